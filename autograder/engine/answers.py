"""What the judge accepts from a runner: each answer checked against the request it answers.

The runner runs student code, and student code can rewrite anything in its process: the
probe that reports on a call, the encoder that writes the answer.  So an answer is only ever
data that the judge checks against what it asked before any check looks at it:

* a tensor without values (one on ``meta``) only where the call had an input on ``meta``
  or the default device was ``meta``: anywhere else the values must come back (the wire
  format already refuses a tensor that claims another device and sends no values);
* an exception described by strings of bounded length, its classes a list of names that
  starts with its own, a forbidden call only among those the request forbade (a wildcard
  forbids the names it matches, see :func:`~autograder.engine.forbidden_names.reportable`);
* a probe's report with exactly the fields that probe reports, each of its type and within
  its bounds, lists as long as the request says (one gradient per input asked for).

An answer that breaks any of these is malformed: the check fails and says why (see
:class:`MalformedAnswer`); nothing in it is compared or skipped.

A probe declares its report in its module's ``REPORTS``: the probe's name, and a
:class:`Kind` or a function of the probe's arguments (by name, as the call binds them)
giving one.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder.engine.forbidden_names import reportable
from autograder.engine.protocol import Placed, TransportedTensor

# Where a value sits in an answer: its keys and indices, from the top.
Location = tuple[Any, ...]


class MalformedAnswer(Exception):
    """An answer that is not what the request can get back: the runner broke the rules."""


def _where(path: Location) -> str:
    """``("grads", 0)`` -> ``"grads[0]"``; the empty path is the answer itself.  (Keys come
    from student code: each is shown cut short.)"""
    if not path:
        return "the answer"
    head, *rest = path
    text = "the result" if head == "result" else str(head)[:40]
    return text + "".join(f"[{part!r:.40}]" for part in rest)


@dataclass(frozen=True)
class Asked:
    """What a request lets its answer hold."""

    # Whether an input of the call (or the default device) was on ``meta``: only then may
    # a tensor come back without values.
    meta: bool = False
    # The names the call forbade: the only forbidden calls an exception may report.
    forbidden: frozenset[str] = frozenset()
    # What the call's value must look like (a probe's report, a load's list of names).
    report: Kind = field(default_factory=lambda: ANY)


class Kind:
    """One shape of value an answer may hold."""

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        raise NotImplementedError


class _Anything(Kind):
    """Any value (a result, judged by the checks); tensors in it still obey the request."""

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if isinstance(value, TransportedTensor):
            TENSOR.check(value, path, asked)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if isinstance(item, list | tuple | dict | TransportedTensor):
                    self.check(item, (*path, index), asked)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, list | tuple | dict | TransportedTensor):
                    self.check(item, (*path, key), asked)


class _Tensor(Kind):
    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if not isinstance(value, TransportedTensor):
            raise MalformedAnswer(f"{_where(path)} is not a tensor")
        if value.values is None and not asked.meta:
            raise MalformedAnswer(
                f"{_where(path)} has no values: it claims device {value.device}, where the "
                "call's inputs were not on meta"
            )


class Exactly(Kind):
    """A value of one of these exact types (``True`` is not an int here)."""

    def __init__(self, *types: type) -> None:
        self.types = types

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if type(value) not in self.types:
            names = " or ".join(kind.__name__ for kind in self.types)
            raise MalformedAnswer(f"{_where(path)} is not a {names}")


class Text(Kind):
    """A string of at most ``limit`` characters."""

    def __init__(self, limit: int = 1000) -> None:
        self.limit = limit

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if type(value) is not str or len(value) > self.limit:
            raise MalformedAnswer(
                f"{_where(path)} is not a text of at most {self.limit} characters"
            )


class Maybe(Kind):
    """``None`` or a value of ``kind``."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if value is not None:
            self.kind.check(value, path, asked)


class ListOf(Kind):
    """A list (or tuple) of values of ``kind``: ``length`` of them, or at most ``limit``."""

    def __init__(self, kind: Kind, limit: int = 10_000, length: int | None = None) -> None:
        self.kind = kind
        self.limit = limit
        self.length = length

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if not isinstance(value, list | tuple):
            raise MalformedAnswer(f"{_where(path)} is not a list")
        if self.length is not None and len(value) != self.length:
            raise MalformedAnswer(
                f"{_where(path)} holds {len(value)} items where the call asked for {self.length}"
            )
        if len(value) > self.limit:
            raise MalformedAnswer(f"{_where(path)} holds more than {self.limit} items")
        for index, item in enumerate(value):
            self.kind.check(item, (*path, index), asked)


class Row(Kind):
    """A list (or tuple) of exactly one value of each of ``kinds``, in order."""

    def __init__(self, *kinds: Kind) -> None:
        self.kinds = kinds

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if not isinstance(value, list | tuple) or len(value) != len(self.kinds):
            raise MalformedAnswer(f"{_where(path)} is not a row of {len(self.kinds)} values")
        for index, (kind, item) in enumerate(zip(self.kinds, value)):
            kind.check(item, (*path, index), asked)


class TextKeyed(Kind):
    """A dict of at most ``limit`` entries, each key a text, each value of ``kind``."""

    def __init__(self, kind: Kind, limit: int = 1000) -> None:
        self.kind = kind
        self.limit = limit

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if not isinstance(value, dict) or len(value) > self.limit:
            raise MalformedAnswer(f"{_where(path)} is not a dict of at most {self.limit} entries")
        for key, item in value.items():
            if type(key) is not str or len(key) > 1000:
                raise MalformedAnswer(f"{_where(path)} has a key that is not a short text")
            self.kind.check(item, (*path, key), asked)


class Report(Kind):
    """A dict with exactly the ``required`` keys, and any of the ``optional`` ones, each
    value of its kind."""

    def __init__(self, required: dict[str, Kind], optional: dict[str, Kind] | None = None) -> None:
        self.required = required
        self.optional = optional or {}

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        if not isinstance(value, dict):
            raise MalformedAnswer(f"{_where(path)} is not a report")
        missing = self.required.keys() - value.keys()
        if missing:
            raise MalformedAnswer(f"{_where(path)} lacks {', '.join(sorted(missing))}")
        extra = value.keys() - self.required.keys() - self.optional.keys()
        if extra:
            shown = ", ".join(sorted(str(key)[:40] for key in extra)[:5])
            raise MalformedAnswer(f"{_where(path)} holds fields nobody asked for ({shown})")
        for key, item in value.items():
            kind = self.required.get(key) or self.optional[key]
            kind.check(item, (*path, key), asked)


class OneOf(Kind):
    """A value of any of these kinds."""

    def __init__(self, *kinds: Kind) -> None:
        self.kinds = kinds

    def check(self, value: Any, path: Location, asked: Asked) -> None:
        errors = []
        for kind in self.kinds:
            try:
                kind.check(value, path, asked)
                return
            except MalformedAnswer as error:
                errors.append(str(error))
        raise MalformedAnswer(errors[0])


ANY = _Anything()
TENSOR = _Tensor()
BOOL = Exactly(bool)
INT = Exactly(int)
NUMBER = Exactly(int, float)
# A name the student's code chose (a class's, a method's): as long as the wire allows.
NAME = Text(100_000)
# A probe that does not declare its report: a dict holding at least the result.
SOME_REPORT = TextKeyed(ANY)

# What a runner answers to a load (the names of the module's callables) and to a ping.
LOADED = ListOf(Text(1000), limit=100_000)
PONG = Exactly(str)

# An exception as the runner describes it (autograder.engine.runner.describe_exception).
MAX_NAME = 200
MAX_MESSAGE = 2000
MAX_BASES = 20


def check_raised(raised: Any, asked: Asked) -> None:
    """An exception's description: its type, classes, message, forbidden call and line."""
    if not isinstance(raised, dict) or "type" not in raised:
        raise MalformedAnswer("the exception is not described")
    extra = raised.keys() - {"type", "bases", "message", "forbidden", "lineno"}
    if extra:
        raise MalformedAnswer("the exception's description holds fields nobody asked for")
    kind = raised["type"]
    if type(kind) is not str or len(kind) > MAX_NAME:
        raise MalformedAnswer("the exception's type is not a class name")
    bases = raised.get("bases", [kind])
    if (
        type(bases) is not list
        or not 0 < len(bases) <= MAX_BASES
        or not all(type(name) is str and len(name) <= MAX_NAME for name in bases)
        or bases[0] != kind
    ):
        raise MalformedAnswer("the exception's classes are not a list of class names")
    message = raised.get("message", "")
    if type(message) is not str or len(message) > MAX_MESSAGE:
        raise MalformedAnswer("the exception's message is not a text of bounded length")
    forbidden = raised.get("forbidden")
    if forbidden is not None and (
        type(forbidden) is not str or not reportable(forbidden, asked.forbidden)
    ):
        raise MalformedAnswer("the exception names a forbidden call the request did not forbid")
    line = raised.get("lineno")
    if line is not None and (type(line) is not int or line < 0):
        raise MalformedAnswer("the exception's line is not a line number")


def check_answer(answer: dict[str, Any], asked: Asked) -> None:
    """Raise :class:`MalformedAnswer` unless ``answer`` (``{"ok": value}`` or
    ``{"raised": description}``, as the wire format decoded it) fits the request."""
    if len(answer) != 1:
        raise MalformedAnswer("the answer is neither a value nor an exception")
    if "raised" in answer:
        check_raised(answer["raised"], asked)
    else:
        asked.report.check(answer["ok"], ("result",) if asked.report is ANY else (), asked)


# -- what a request asks -------------------------------------------------------------------------
def _on_meta(value: Any, depth: int = 0) -> bool:
    """Whether ``value`` (inputs, options) names the ``meta`` device anywhere."""
    if depth > 40:
        return False
    if isinstance(value, Placed):
        return value.device.startswith("meta") or _on_meta(value.tensor, depth + 1)
    if isinstance(value, torch.Tensor):
        return value.device.type == "meta"
    if isinstance(value, torch.device):
        return value.type == "meta"
    if isinstance(value, str):
        return value.startswith("meta")
    if isinstance(value, list | tuple):
        return any(_on_meta(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return any(_on_meta(item, depth + 1) for item in value.values())
    return False


# A probe's report: fixed, or a function of the probe's arguments by name (as the probe is
# called: the student's function, then the call's ``args``, ``kwargs`` and ``options``).
ReportOf = Kind | Callable[[dict[str, Any]], Kind]


def probe_report(
    probe: str, args: tuple[Any, ...], kwargs: dict[str, Any], options: dict[str, Any]
) -> Kind:
    """The report ``probe`` (``module:function``) gives for this call, as its module's
    ``REPORTS`` declares it (a dict holding at least the result where it declares none)."""
    module_name, _, name = probe.partition(":")
    module = importlib.import_module(module_name)
    report: ReportOf = getattr(module, "REPORTS", {}).get(name, SOME_REPORT)
    if isinstance(report, Kind):
        return report
    try:
        bound = inspect.signature(getattr(module, name)).bind(None, *args, **kwargs, **options)
    except TypeError:
        return SOME_REPORT  # the runner cannot call it either: it answers with the TypeError
    bound.apply_defaults()
    return report(bound.arguments)


def asked_by_call(
    probe: str,
    args: Iterable[Any],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    forbidden: Iterable[str],
    default_device: str | None,
) -> Asked:
    """What a call request lets its answer hold."""
    args = tuple(args)
    meta = (default_device or "").startswith("meta") or _on_meta([args, kwargs, options])
    return Asked(meta, frozenset(forbidden), probe_report(probe, args, kwargs, options))
