"""The runner: the only process that imports and calls student code.

It is started by the judge (see :mod:`autograder.engine.sandbox`) with two pipe file
descriptors, reads one request at a time, and answers with plain data.  Nothing it sends
back is trusted: the judge only compares it with what the reference computed.

Requests
    ``{"op": "load", "path", "module", "forbidden"}``  import the submission as ``module``
        (the names its exercises forbid are resolved first, see :func:`resolve_before_import`).
    ``{"op": "call", "function", "probe", "args", "kwargs", "options", "forbidden",
       "lent", "seed", "default_device"}``
        run ``probe(student_function, *args, **kwargs, **options)`` with the forbidden
        calls patched out and the helpers the judge lends bound in the module (``lent``:
        ``{"oracle": {"source", "names"}, "recorded": {"helpers", "calls"}}``, or None;
        see :func:`lent_helpers`).  No reference code is ever sent.
    ``{"op": "batch", "count": n}`` followed by ``n`` call requests: answered one by one.
Answers
    ``{"ok": value}`` or ``{"raised": {"type", "message", "forbidden", "lineno"}}``.
"""

from __future__ import annotations

import builtins
import fnmatch
import functools
import importlib
import importlib.util
import os
import random
import re
import sys
import traceback
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import torch
from torch._C import (
    _pop_torch_dispatch_stack,
    _pop_torch_function_stack,
    _push_on_torch_dispatch_stack,
    _push_on_torch_function_stack,
)
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

from autograder.engine import protocol
from autograder.engine.entry_points import DEFAULT_PROBE
from autograder.engine.forbidden_names import (
    BACKWARD_PASSES,
    OPERATORS,
    backward_pass,
    expand,
)
from autograder.engine.lending import Graded, RecordedDouble

# The builtins this module's code calls (isinstance, id, callable ...), as they were when it
# was imported, before any submission: the submission shares the builtins module with the
# runner, and one rebound there at import (a lying isinstance) would be what the refusal of
# forbidden calls asks at each call.  Every function below is made with these.
__builtins__ = dict(vars(builtins))  # noqa: A001


class _Scope:
    """A ``with`` block around a generator, as :func:`contextlib.contextmanager` makes, but
    the runner's own: contextlib's class is shared with the submission, which could rebind
    its ``__enter__`` at import so that the rules of a call (:func:`guard`) never start."""

    def __init__(self, generator: Iterator[Any]) -> None:
        self._generator = generator

    def __enter__(self) -> Any:
        return next(self._generator)

    def __exit__(self, kind: Any, error: Any, _trace: Any) -> bool:
        if kind is None:
            for _ in self._generator:
                raise RuntimeError("a scope's generator yielded twice")
            return False
        try:
            self._generator.throw(error if error is not None else kind())
        except StopIteration:
            return True  # the generator handled it
        except BaseException as raised:
            # The error itself, or a StopIteration that the generator turned into a
            # RuntimeError (PEP 479): the block's own error goes on, as contextlib's does.
            if raised is error or (isinstance(error, StopIteration) and raised.__cause__ is error):
                return False
            raise
        raise RuntimeError("a scope's generator yielded again after an error")


def contextmanager(function: Callable[..., Iterator[Any]]) -> Callable[..., _Scope]:
    """:func:`contextlib.contextmanager`, made with :class:`_Scope`."""

    @functools.wraps(function)
    def scope(*args: Any, **kwargs: Any) -> _Scope:
        return _Scope(function(*args, **kwargs))

    return scope


@contextmanager
def nullcontext() -> Iterator[None]:
    """:func:`contextlib.nullcontext`, the runner's own (see :class:`_Scope`)."""
    yield


class ForbiddenCallError(RuntimeError):
    """Raised inside student code when it calls a library function the exercise forbids."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not allowed in this exercise: implement it yourself")
        self.name = name


def resolve(dotted: str) -> tuple[Any, str, Any]:
    """``"torch.nn.functional.softmax"`` -> (the module object, "softmax", the function)."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:split])
        # What import_module answers for a module imported already, without its import
        # machinery (taken for every forbidden name as a submission loads, see
        # resolve_before_import: the submission's own entries are not there yet).
        owner: Any = sys.modules.get(prefix)
        if owner is None:
            try:
                owner = importlib.import_module(prefix)
            except ImportError:
                continue
        try:
            for part in parts[split:-1]:
                owner = getattr(owner, part)
            return owner, parts[-1], getattr(owner, parts[-1])
        except AttributeError:
            break
    raise LookupError(dotted)


# What the refusal asks at each call, taken when the runner is imported (before any
# submission): a submission can rebind what torch's modules hold (torch._ops.OpOverload)
# at import, not these.
_TORCH_OPERATORS = (torch._ops.OpOverload, torch._ops.OpOverloadPacket)
_PYTHON_FUNCTIONS = (types.FunctionType, types.MethodType)
_current_graph_task_id = torch._C._current_graph_task_id


def operator_patterns(names: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """:func:`autograder.engine.forbidden_names.operator_patterns`, with this module's
    builtins (see ``__builtins__`` above)."""
    return tuple(name[len(OPERATORS) :] for name in names if name.startswith(OPERATORS))


def matches_operator(operator: str, patterns: tuple[str, ...]) -> bool:
    """:func:`autograder.engine.forbidden_names.matches_operator`, by the matchers made
    before the submission was imported (:func:`resolve_before_import`): fnmatch and re
    look up their own functions as they run, which a submission could rebind."""
    return any(_operator_matcher(pattern)(operator) is not None for pattern in patterns)


@functools.cache
def _operator_matcher(pattern: str) -> Callable[[str], Any]:
    return re.compile(fnmatch.translate(pattern)).match


def _is_data_descriptor(value: Any) -> bool:
    """:func:`inspect.isdatadescriptor`, which looks up ``inspect``'s own names (and can be
    rebound itself) as it runs."""
    kind = type(value)
    if isinstance(value, type) or kind in _PYTHON_FUNCTIONS:
        return False
    return hasattr(kind, "__set__") or hasattr(kind, "__delete__")


def _refusing(name: str) -> Callable[..., Any]:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise ForbiddenCallError(name)

    refuse.__name__ = name.rsplit(".", 1)[-1]
    refuse.refuses = name  # type: ignore[attr-defined]
    return refuse


# Each forbidden name that exists, wildcards expanded: (name, owner, attribute, the object).
Resolved = list[tuple[str, Any, str, Any]]


def resolve_before_import(names: list[str]) -> dict[str, Resolved]:
    """What each forbidden name (as declared) stands for now, before the submission runs.

    Resolved later, a name would find what the submission left there: a decoy it bound to
    ``torch.gather`` (or a module it planted in ``sys.modules``) after keeping the original,
    which would then pass the refusal.  A name that stands for nothing yet is resolved at
    each call, as it is then.
    """
    for pattern in operator_patterns(names):
        _operator_matcher(pattern)
    return {name: list(_resolved([name])) for name in dict.fromkeys(names)}


def _resolved(
    names: list[str], before: dict[str, Resolved] | None = None
) -> Iterator[tuple[str, Any, str, Any]]:
    """Each forbidden name that exists here, wildcards expanded (see
    :mod:`autograder.engine.forbidden_names`): (name, owner, attribute, the object), as
    ``before`` (:func:`resolve_before_import`) holds it, else as it is now."""
    seen: set[str] = set()
    for declared in dict.fromkeys(names):
        if before is not None and before.get(declared):
            found = before[declared]
        else:
            found = []
            for name in expand([declared]):
                try:
                    found.append((name, *resolve(name)))
                except LookupError:
                    continue
        for entry in found:
            if entry[0] not in seen:
                seen.add(entry[0])
                yield entry


@contextmanager
def forbidden_calls(namespaces: list[dict[str, Any]], resolved: Resolved) -> Iterator[None]:
    """Replace each forbidden callable by one that raises, wherever it can be reached from.

    Module attributes (``torch.gather``), class attributes (``torch.Tensor.gather``) and
    names the submission imported directly (``from torch import gather``) are all patched;
    classes such as ``nn.Softmax`` get a refusing ``__init__`` so ``isinstance`` still works.
    An attribute of tensors (``torch.Tensor.grad_fn``), an object that is not callable, a
    method of a builtin type that cannot be replaced, and a torch function written in Python
    that hands itself to the function mode (:func:`_dispatches_itself`) are left as they are:
    the function mode, the dispatcher guard and the source scan refuse them.
    The judge also scans the source for these names, in case the submission undoes this.
    ``resolved``: the forbidden names resolved (:func:`guard`'s: as they were before the
    submission was imported, a late name as it is now).
    """
    saved: list[tuple[Any, str, Any, bool]] = []
    # Where each value sits in each namespace, looked up once (not a pass over every name
    # the submission defined for each forbidden name).
    holders: list[tuple[dict[str, Any], dict[int, list[str]]]] = []
    for namespace in namespaces:
        keys: dict[int, list[str]] = {}
        for key, value in list(namespace.items()):
            keys.setdefault(id(value), []).append(key)
        holders.append((namespace, keys))
    try:
        for name, owner, attribute, original in resolved:
            if (
                _is_data_descriptor(original)
                or not callable(original)
                or _dispatches_itself(original)
            ):
                continue
            if isinstance(original, type):
                try:
                    init = original.__dict__.get("__init__")
                    original.__init__ = _refusing(name)  # type: ignore[misc]
                    saved.append((original, "__init__", init, True))
                    continue
                except TypeError:
                    pass  # a builtin type: replace the name instead
            replacement = _refusing(name)
            try:
                setattr(owner, attribute, replacement)
            except (TypeError, AttributeError):
                continue  # a builtin type's method: the function mode refuses it
            saved.append((owner, attribute, original, False))
            for namespace, keys in holders:
                for key in keys.get(id(original), ()):
                    if namespace.get(key) is original:
                        saved.append((namespace, key, original, None))
                        namespace[key] = replacement
        yield
    finally:
        for owner, attribute, original, is_class in reversed(saved):
            if is_class is None:
                owner[attribute] = original
            elif is_class and original is None:
                if attribute in vars(owner):
                    delattr(owner, attribute)
            else:
                setattr(owner, attribute, original)


def _dispatches_itself(original: Any) -> bool:
    """A torch function written in Python whose every call, under a function mode, goes to
    the mode by ``handle_torch_function(<its own global name>, ...)`` (``torch.autograd.grad``,
    ``Tensor.backward``, ``F.softmax``): :class:`RefuseForbidden` sees each call anyway, and
    a stand-in under that name would be what the mode (or another mode above it, such as
    the default device's) is handed, and called, even for a lent helper's allowed call."""
    code = getattr(original, "__code__", None)
    return code is not None and "handle_torch_function" in code.co_names


@dataclass(frozen=True)
class RefusalTables:
    """What :class:`RefuseForbidden` looks each torch call up in, made from the resolved
    forbidden names (read only once made)."""

    originals: dict[int, tuple[Any, str]]
    attributes: dict[int, tuple[Any, str]]
    operator_methods: dict[str, Any]
    operators: dict[str, str]
    operator_patterns: tuple[str, ...]
    transforms: list[str]

    @classmethod
    def of(cls, names: list[str], resolved: Iterable[tuple[str, Any, str, Any]]) -> RefusalTables:
        tables = cls({}, {}, {}, {}, tuple(operator_patterns(names)), [])
        # The forbidden names of torch.func's transforms, the first reported where torch's
        # name for a transform is not among them: a refused call is reported by a name the
        # request forbade (the judge accepts no other).
        tables.transforms.extend(
            n for n in (*names, *expand(names)) if n.startswith("torch.func.") or n == "torch.vmap"
        )
        for name, _, attribute, original in resolved:
            if isinstance(original, type):
                continue  # a class: its refusing __init__ stops it
            if _is_data_descriptor(original):
                tables.attributes[id(original)] = (original, name)  # read through __get__
                continue
            if id(original) in operator_methods():
                # Python's operators reach it too: under a mode, torch reports ``x * y`` as
                # ``Tensor.mul``, looked up now (so the refusing stand-in).  ``x.mul`` stays
                # refused by its name; ``x * y`` gets the original back.
                tables.operator_methods[name] = original
                continue
            tables.originals[id(original)] = (original, name)  # kept alive, ids stay unique
            if name.startswith("torch."):
                tables.operators[attribute] = name  # torch.ops.aten.<attribute>
        return tables


class RefuseForbidden(TorchFunctionMode):
    """Refuse a forbidden torch function however the submission reached it.

    :func:`forbidden_calls` replaces the names; a copy taken before the call (a tuple built
    at import, ``torch._C._VariableFunctions.gather``, ``torch.ops.aten.gather``) is still
    the same function, and torch hands every call of a torch function to this mode first.
    Made before :func:`forbidden_calls` replaces the names, so it knows the originals.
    Also refused here: reading a forbidden attribute of tensors (``torch.Tensor.grad_fn``:
    torch reports the read to the mode), an aten operator whose name matches a forbidden
    ``torch.ops.aten.`` name or pattern, and, where a name of ``torch.func`` is forbidden,
    any torch function called under one of its transforms (``vmap``, ``grad``, ``jvp`` ...),
    however the transform was reached.
    A lent oracle (``lent``) may call the originals it held when it was compiled, from its
    own code and globals: exactly what calling the helper gives the student anyway
    (``dispatch``, the :class:`RefuseAtDispatch` of the same call, lets that call's
    operators through).
    """

    def __init__(
        self,
        tables: RefusalTables,
        lent: LentHelper | None = None,
        dispatch: RefuseAtDispatch | None = None,
    ) -> None:
        super().__init__()
        self._lent = lent
        self._dispatch = dispatch
        self._originals = tables.originals
        self._attributes = tables.attributes
        self._operator_methods = tables.operator_methods
        self._operators = tables.operators
        self._operator_patterns = tables.operator_patterns
        self._transforms = tables.transforms

    def __enter__(self) -> RefuseForbidden:
        # Not torch's own: TorchFunctionMode.__enter__ and __exit__ look up what pushes and
        # pops a mode when they run, and a submission can rebind them at import (the mode
        # then never refuses).  These were taken before any submission was imported.
        _push_on_torch_function_stack(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        _pop_torch_function_stack()

    def _forbidden_name(self, func: Any) -> str | None:
        kept = self._originals.get(id(func))
        if kept is not None and kept[0] is func:
            return kept[1]
        if isinstance(func, _TORCH_OPERATORS):
            operator = func.__name__.split(".")[0]
            if operator in self._operators:
                return self._operators[operator]
            if matches_operator(operator, self._operator_patterns):
                return OPERATORS + operator
        if self._attributes and getattr(func, "__name__", None) == "__get__":
            owner = getattr(func, "__self__", None)
            kept = self._attributes.get(id(owner))
            if kept is not None and kept[0] is owner:
                return kept[1]
        if self._transforms:
            transform = torch._C._functorch.peek_interpreter_stack()
            if transform is not None:
                name = TRANSFORMS.get(transform.key().name)
                return name if name in self._transforms else self._transforms[0]
        return None

    def __torch_function__(self, func, types, args=(), kwargs=None):
        func = self._operator_methods.get(getattr(func, "refuses", None), func)
        name = self._forbidden_name(func)
        if name is None:
            return func(*args, **(kwargs or {}))
        if not (self._lent is not None and self._lent.called(func)):
            raise ForbiddenCallError(name)
        with self._dispatch.lent() if self._dispatch is not None else nullcontext():
            return func(*args, **(kwargs or {}))


# The public function of each of torch.func's transforms, by torch's name for it.
TRANSFORMS = {
    "Vmap": "torch.vmap",
    "Grad": "torch.func.grad",
    "Jvp": "torch.func.jvp",
    "Functionalize": "torch.func.functionalize",
}


class RefuseAtDispatch(TorchDispatchMode):
    """Refuse, at torch's dispatcher, what no Python name shows.

    Every aten operator a call runs comes here, wherever it was started from: a backward
    pass (the autograd engine runs its operators with a graph task of its own, whether
    ``Tensor.backward``, ``torch.autograd.grad``, the engine's own ``run_backward`` or a
    hook started it) when one of :data:`BACKWARD_PASSES` is forbidden, and an operator
    matching a forbidden ``torch.ops.aten.`` name however it was reached (TorchScript
    included).  While a lent helper calls a forbidden original (see
    :class:`RefuseForbidden`), its operators pass.
    """

    def __init__(self, backward: str | None, operators: tuple[str, ...]) -> None:
        super().__init__()
        self._backward = backward
        self._operators = operators
        self._lent_calls = 0

    @classmethod
    def for_names(cls, names: list[str]) -> RefuseAtDispatch | None:
        """The guard ``names`` need, or None when they forbid nothing it would see."""
        backward = next((name for name in BACKWARD_PASSES if name in names), None)
        operators = operator_patterns(names)
        return cls(backward, operators) if backward or operators else None

    def __enter__(self) -> RefuseAtDispatch:
        # Not torch's own, as for RefuseForbidden: TorchDispatchMode.__enter__ is reached
        # through plain names (torch.autograd.graph.TorchDispatchMode).  Torch's also sets
        # flags that only torch.compile reads, which no exercise lets run.
        _push_on_torch_dispatch_stack(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        _pop_torch_dispatch_stack(None)

    @contextmanager
    def lent(self) -> Iterator[None]:
        self._lent_calls += 1
        try:
            yield
        finally:
            self._lent_calls -= 1

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if not self._lent_calls:
            if self._backward is not None and _current_graph_task_id() != -1:
                raise ForbiddenCallError(backward_pass(self._backward))
            operator = func.__name__.split(".")[0]
            if func.namespace == "aten" and matches_operator(operator, self._operators):
                raise ForbiddenCallError(OPERATORS + operator)
        return func(*args, **(kwargs or {}))


@contextmanager
def lent_helpers(
    module: Any, lent: dict[str, Any] | None, oracles: HelperCache, graded: Graded, log: list
) -> Iterator[None]:
    """Bind the helpers the judge lends in the module while the graded function runs.

    ``lent["oracle"]``: the assignment's oracles (public code built on torch's own
    functions, the student kit's ground truth), ``source`` holding only the lent ones, and
    the ``names`` to bind.  ``lent["recorded"]``: :class:`RecordedDouble` data (each
    helper's ``parameters`` under ``helpers``, and the recorded ``calls``), for helpers no
    library function does the work of.  ``graded``: the graded call's arguments, which the
    doubles recognise among their own; ``log``: where the doubles log their calls.
    """
    bound: dict[str, Any] = {}
    oracle = (lent or {}).get("oracle") or {}
    if oracle.get("names"):
        namespace = oracles.get(oracle["source"])
        bound.update({name: namespace[name] for name in oracle["names"]})
    recorded = (lent or {}).get("recorded") or {}
    for name, parameters in (recorded.get("helpers") or {}).items():
        bound[name] = RecordedDouble(name, parameters, recorded.get("calls") or [], graded, log)
    saved = {name: module.__dict__.get(name) for name in bound}
    try:
        module.__dict__.update(bound)
        yield
    finally:
        for name, value in saved.items():
            module.__dict__[name] = value


@functools.cache
def operator_methods() -> frozenset[int]:
    """The ids of the torch functions that Python's operators on tensors call."""
    seen: list[Any] = []

    class Record(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.append(func)
            return func(*args, **(kwargs or {}))

    x, y, mask = torch.ones(2, 2), torch.ones(2, 2), torch.ones(2, 2, dtype=torch.int64)
    with Record():
        for operator in (
            lambda: (x + y, x - y, x * y, x / y, x // y, x % y, x**y, x @ y, -x, +x, abs(x)),
            lambda: (x == y, x != y, x < y, x <= y, x > y, x >= y, 2 + x, 2 - x, 2 * x, 2 / x),
            lambda: (mask & mask, mask | mask, mask ^ mask, ~mask, mask << 1, mask >> 1, x[0]),
        ):
            operator()
        z = x.clone()
        z += y
        z -= y
        z *= y
        z /= y
        z[0] = 1.0
    return frozenset(id(func) for func in seen) - {id(torch.ones), id(torch.Tensor.clone)}


class LentHelper:
    """The oracles a runner compiled to lend: whom :class:`RefuseForbidden` lets call a
    forbidden original.

    Only a helper's own code, with its own globals, calling what a global it names held when
    it was compiled (an oracle's ``_softmax = torch.softmax``): exactly what calling the helper
    gives the student anyway.  Rebinding the helper's globals, or running other code with
    them, reaches nothing more.
    """

    def __init__(self, namespace: dict[str, Any]) -> None:
        self.namespace = namespace
        self._held: list[tuple[types.CodeType, Any]] = []  # kept alive: their ids stay theirs
        for value in list(namespace.values()):
            functions = [value]
            if isinstance(value, type) and value.__module__ == namespace.get("__name__"):
                functions = list(vars(value).values())
            for function in functions:
                code = getattr(function, "__code__", None)
                if code is None or getattr(function, "__globals__", None) is not namespace:
                    continue
                for inner in _code_objects(code):
                    self._held += [(inner, namespace[n]) for n in inner.co_names if n in namespace]
        self._allowed = {(id(code), id(value)) for code, value in self._held}

    def called(self, func: Any) -> bool:
        """Whether this call of ``func`` comes from a helper's own code that names it.

        The frames of torch's own Python code between the two are passed over: a torch
        function written in Python (``torch.autograd.grad``) hands itself to the mode from
        inside, through ``handle_torch_function``.
        """
        frame = sys._getframe(2)
        while frame is not None and (
            frame.f_code.co_name == "__torch_function__"
            or str(frame.f_globals.get("__name__", "")).partition(".")[0] == "torch"
        ):
            frame = frame.f_back
        return (
            frame is not None
            and frame.f_globals is self.namespace
            and (id(frame.f_code), id(func)) in self._allowed
        )


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _code_objects(constant)


class HelperCache:
    """The oracles this runner lends, compiled once from the (public) source the judge sent."""

    def __init__(self) -> None:
        self._compiled: dict[str, LentHelper] = {}

    def lent(self, source: str) -> LentHelper:
        if source not in self._compiled:
            namespace: dict[str, Any] = {"__name__": "oracle"}
            exec(compile(source, "<oracle>", "exec"), namespace)  # noqa: S102 - the judge's
            self._compiled[source] = LentHelper(namespace)
        return self._compiled[source]

    def get(self, source: str) -> dict[str, Any]:
        return self.lent(source).namespace


def describe_exception(error: BaseException, path: str | None) -> dict[str, Any]:
    """What the judge is told about an exception: type, message and the student's line."""
    lineno = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        if path is not None and frame.f_code.co_filename == path:
            lineno = line
    if isinstance(error, SyntaxError):
        lineno = error.lineno
    forbidden = error.name if isinstance(error, ForbiddenCallError) else None
    # Look for a forbidden call hidden under another exception's cause.
    cause = error.__cause__ or error.__context__
    while forbidden is None and cause is not None:
        if isinstance(cause, ForbiddenCallError):
            forbidden = cause.name
        cause = cause.__cause__ or cause.__context__
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = "<exception whose message cannot be shown>"
    return {
        "type": type(error).__name__[:200],
        # The class and its bases: a subclass of the named exception counts as raising it.
        "bases": [cls.__name__[:200] for cls in type(error).__mro__][:20],
        "message": message[:2000],
        "forbidden": forbidden,
        "lineno": lineno,
    }


def seed_everything(seed: int) -> None:
    if _accelerator_present():
        torch.manual_seed(seed)
    else:
        # torch.manual_seed also queues a seeding of every lazy accelerator module (CUDA,
        # XPU, MTIA) with a formatted stack trace each: costly on every call, for devices not there.
        torch.random.default_generator.manual_seed(seed)
    random.seed(seed)
    try:
        import numpy
    except ImportError:
        return
    numpy.random.seed(seed % 2**32)


@functools.cache
def _accelerator_present() -> bool:
    # Asked in the runner, never in the fork server (which must not touch CUDA).
    return torch.cuda.is_available() or (hasattr(torch, "xpu") and torch.xpu.is_available())


class Runner:
    def __init__(self) -> None:
        self.module: Any = None
        self.path: str | None = None
        self.oracles = HelperCache()
        # Probes loaded so far, by qualified name (trusted code of the grader).
        self.probes: dict[str, Callable[..., Any]] = {}
        # The forbidden names as resolved before the submission was imported (see load).
        self.before_import: dict[str, Resolved] = {}
        # What refusing each list of forbidden names takes, made once (see _refusals).
        self.refusals: dict[tuple[str, ...], tuple[Resolved, RefusalTables]] = {}
        operator_methods()  # now, before any student code could change an operator

    def load(self, request: dict[str, Any]) -> Any:
        path = request["path"]
        name = request["module"]
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        self.path = path
        self.before_import = resolve_before_import(request.get("forbidden", []))
        self.refusals = {}  # (made of the names as they were before this import)
        spec.loader.exec_module(module)
        self.module = module
        return sorted(k for k, v in vars(module).items() if callable(v))

    def call(self, request: dict[str, Any]) -> Any:
        if self.module is None:
            raise RuntimeError("no submission loaded")
        name = request["function"]
        function = getattr(self.module, name, None)
        if function is None:
            raise AttributeError(f"{name} is not defined")
        qualified = request.get("probe") or DEFAULT_PROBE
        if qualified not in self.probes:
            self.probes[qualified] = load_probe(qualified)
        probe = self.probes[qualified]
        args = protocol.to_runner_value(request.get("args", []))
        kwargs = protocol.to_runner_value(request.get("kwargs", {}))
        options = protocol.to_runner_value(request.get("options", {}))
        seed_everything(int(request.get("seed", 0)))
        guarded = guard(
            function,
            forbidden=request.get("forbidden", []),
            namespaces=[vars(self.module)],
            module=self.module,
            lent=protocol.to_runner_value(request.get("lent")),
            oracles=self.oracles,
            default_device=request.get("default_device"),
            before=self.before_import,
            made=self._refusals(request.get("forbidden", [])),
        )
        return probe(guarded, *args, **kwargs, **options)

    def _refusals(self, forbidden: list[str]) -> tuple[Resolved, RefusalTables]:
        """:func:`refusals_before_import` for these names, made once in this runner."""
        key = tuple(forbidden)
        if key not in self.refusals:
            self.refusals[key] = refusals_before_import(forbidden, self.before_import)
        return self.refusals[key]

    def serve(self, fd_in: int, fd_out: int) -> None:
        while True:
            try:
                request = protocol.read_message(fd_in)
            except EOFError:
                return
            if isinstance(request, dict) and request.get("op") == "batch":
                # Read every call first (the judge writes them all before it reads), then
                # answer them one by one, as if they had come one at a time.
                count = int(request.get("count", 0))
                for call in [protocol.read_message(fd_in) for _ in range(count)]:
                    self.answer(call, fd_out)
            else:
                self.answer(request, fd_out)

    def answer(self, request: Any, fd_out: int) -> None:
        try:
            op = request.get("op")
            if op == "load":
                answer: dict[str, Any] = {"ok": self.load(request)}
            elif op == "call":
                answer = {"ok": self.call(request)}
            elif op == "ping":
                answer = {"ok": "pong"}
            else:
                raise ValueError(f"unknown op {op!r}")
        except BaseException as error:  # noqa: BLE001 - SystemExit from students too
            answer = {"raised": describe_exception(error, self.path)}
        try:
            protocol.write_message(fd_out, answer)
        except protocol.ProtocolError as error:
            protocol.write_message(
                fd_out,
                {"raised": {"type": "ProtocolError", "message": str(error)}},
            )


def guard(
    function: Callable[..., Any],
    *,
    forbidden: list[str],
    namespaces: list[dict[str, Any]],
    module: Any,
    lent: dict[str, Any] | None,
    oracles: HelperCache,
    default_device: str | None,
    before: dict[str, Resolved] | None = None,
    made: tuple[Resolved, RefusalTables] | None = None,
) -> Callable[..., Any]:
    """Wrap the student's function so every call runs under the exercise's rules.

    ``guarded.rules(args, kwargs)`` enters the same rules for other code of the exercise: a
    probe runs a class exercise's methods (``forward``) under them, so forbidden calls are
    refused there too, and a method that calls an exercise the class is built on (declared,
    ``lends``) gets what the judge lends.  The wrapper's ``lent_calls`` lists the calls of
    the lent doubles (a probe may report it).  ``before``: the forbidden names as resolved
    before the submission was imported (:func:`resolve_before_import`); ``made``: what
    :func:`refusals_before_import` made of them for these names (the runner keeps it).
    """
    log: list[dict[str, Any]] = []
    # Made once for the request, not at each entry of the rules (a probe enters them at
    # every step of a training loop; ~0.1 ms each for the autograd names): the names
    # resolved before the import stand for the same at every entry.  A name that stood
    # for nothing then is looked up at each entry, as it is then; should it stand for
    # something now, that entry resolves and makes everything afresh.
    late = _late_names(forbidden, before)
    # What every entry makes while the late names stand for nothing.
    made_resolved, made_tables = made or refusals_before_import(forbidden, before)

    def refusals() -> tuple[Resolved, RefusalTables]:
        if late and any(True for _ in _resolved(late)):
            resolved = list(_resolved(forbidden, before))
            return resolved, RefusalTables.of(forbidden, resolved)
        return made_resolved, made_tables

    @contextmanager
    def rules(
        args: tuple[Any, ...] = (), kwargs: dict[str, Any] | None = None
    ) -> Iterator[HostCopies | None]:
        # Compiled before the forbidden names are replaced: an oracle holds the originals.
        oracle = (lent or {}).get("oracle") or {}
        compiled = oracles.lent(oracle["source"]) if oracle.get("names") else None
        graded = (tuple(args), dict(kwargs or {}))
        dispatch = RefuseAtDispatch.for_names(forbidden)
        resolved, tables = refusals()
        with (
            lent_helpers(module, lent, oracles, graded, log),
            dispatch if dispatch is not None else nullcontext(),
            RefuseForbidden(tables, compiled, dispatch),
            forbidden_calls(namespaces, resolved),
            default_device_trap(default_device),
            host_copies_of_meta(graded) as copies,
        ):
            yield copies

    def guarded(*args: Any, **kwargs: Any) -> Any:
        with rules(args, kwargs) as copies:
            result = function(*args, **kwargs)
            if isinstance(result, types.GeneratorType):
                # A generator's body runs when it is consumed: consume it here, under the rules.
                result = list(result)
            if copies is not None:
                copies.refuse(result)
            return result

    guarded.__wrapped__ = function  # type: ignore[attr-defined]
    guarded.lent_calls = log  # type: ignore[attr-defined]
    guarded.rules = rules  # type: ignore[attr-defined]
    return guarded


def refusals_before_import(
    forbidden: list[str], before: dict[str, Resolved] | None
) -> tuple[Resolved, RefusalTables]:
    """The names of ``forbidden`` resolved before the import (``before``), and the tables
    made of them: what each entry of :func:`guard`'s rules refuses while the names that
    stood for nothing then still do.  The same for a runner's whole life (its ``before``
    does not change): the runner makes it once for each list of names."""
    late = set(_late_names(forbidden, before))
    resolved = list(_resolved([name for name in forbidden if name not in late], before))
    return resolved, RefusalTables.of(forbidden, resolved)


def _late_names(forbidden: list[str], before: dict[str, Resolved] | None) -> list[str]:
    """The names of ``forbidden`` that stood for nothing before the import (looked up at
    each entry of the rules, as they are then)."""
    return [name for name in dict.fromkeys(forbidden) if not (before and before.get(name))]


@contextmanager
def default_device_trap(device: str | None) -> Iterator[None]:
    """Make tensors created without ``device=`` land on ``device`` (e.g. ``meta``).

    A function that builds helper tensors on the default device instead of its input's
    device then fails here on any machine, as it would on a GPU.
    """
    if device is None:
        yield
        return
    # A context, not set_default_device(previous): setting the CPU back would leave a
    # device mode behind that slows every later torch call of the runner down.
    with torch.device(device):
        yield


class HostCopyInResult(Exception):
    """The result holds a copy of a ``meta`` input made with ``.cpu()`` / ``.to("cpu")``."""


class HostCopies(TorchFunctionMode):
    """On ``meta`` inputs, ``.cpu()`` and ``.to("cpu")`` give a marked ``meta`` tensor instead
    of failing, and what is computed from one is marked too.

    ``meta`` cannot copy to the host, so a correct ``.cpu().item()`` of a count and a wrong
    ``.cpu()`` of an input kept in the result fail alike there.  With the copies marked, the
    first still stops at ``.item()`` (an operation ``meta`` cannot run), while the second
    returns a marked tensor: on a GPU it would be on the CPU, and :meth:`refuse` says so.
    """

    def __init__(self) -> None:
        super().__init__()
        self._marked: dict[int, torch.Tensor] = {}  # by id; the values keep the ids alive

    def _mark(self, value: Any) -> None:
        for leaf in tree_leaves(value):
            if isinstance(leaf, torch.Tensor):
                self._marked[id(leaf)] = leaf

    def _is_marked(self, value: Any) -> bool:
        return any(
            isinstance(leaf, torch.Tensor) and id(leaf) in self._marked
            for leaf in tree_leaves(value)
        )

    def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
        kwargs = kwargs or {}
        source = args[0] if args else None
        if (
            isinstance(source, torch.Tensor)
            and source.device.type == "meta"
            and (func is torch.Tensor.cpu or (func is torch.Tensor.to and _to_cpu(args, kwargs)))
        ):
            copy = source.detach().clone().requires_grad_(source.requires_grad)
            self._mark(copy)
            return copy
        result = func(*args, **kwargs)
        if self._is_marked((args, kwargs)):
            self._mark(result)
        return result

    def refuse(self, result: Any) -> None:
        if self._is_marked(result):
            raise HostCopyInResult(
                "the result was copied to the CPU (.cpu() or .to('cpu')) from the input: on "
                "a GPU it would not be on the input's device; keep it where the input is"
            )


def _to_cpu(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Whether a ``Tensor.to`` call moves to the CPU."""
    for value in (*args[1:], kwargs.get("device")):
        if isinstance(value, str | torch.device) and torch.device(value).type == "cpu":
            return True
        if isinstance(value, torch.Tensor) and value.device.type == "cpu":
            return True
    return False


@contextmanager
def host_copies_of_meta(args: Any) -> Iterator[HostCopies | None]:
    """:class:`HostCopies` while a call has ``meta`` tensors among its arguments."""
    if not any(
        isinstance(leaf, torch.Tensor) and leaf.device.type == "meta" for leaf in tree_leaves(args)
    ):
        yield None
        return
    with HostCopies() as copies:
        yield copies


# The probe of a plain call (DEFAULT_PROBE); an assignment's own probes live in its folder.


def is_probe_module(module_name: str) -> bool:
    """Probes are trusted code of the grader: the plain call, or an assignment's ``probes``."""
    parts = module_name.split(".")
    plain = module_name == DEFAULT_PROBE.partition(":")[0]
    in_assignment = parts[:2] == ["autograder", "exercises"] and parts[3:] == ["probes"]
    return plain or (len(parts) == 4 and in_assignment)


def load_probe(qualified: str) -> Callable[..., Any]:
    """Load a probe by its qualified name; the results it returns are still only data."""
    module_name, _, attribute = qualified.partition(":")
    if not is_probe_module(module_name):
        raise ValueError(f"not a probe: {qualified}")
    return getattr(importlib.import_module(module_name), attribute)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    fd_in, fd_out = int(argv[0]), int(argv[1])
    torch.set_num_threads(1)
    Runner().serve(fd_in, fd_out)
    os._exit(0)


if __name__ == "__main__":
    main()
