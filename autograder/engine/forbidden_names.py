"""What a forbidden name stands for: one callable, or several where it holds a wildcard.

An exercise declares the calls it forbids by their dotted names (``torch.gather``).  The last
part of a name may hold a wildcard (:func:`fnmatch.fnmatchcase`'s ``*``, ``?``, ``[...]``):

``torch.func.*``
    every public name of ``torch.func`` (its ``__all__``, else the names without a leading
    underscore), each refused like a name written out;
``torch.ops.aten.*_backward``
    every aten operator whose name matches, however it is reached: ``torch.ops.aten.<op>``
    (matched by the operator's name when it is called, so an operator not yet loaded counts
    too) and the Python bindings of the same operators (``torch.<op>``,
    ``torch.Tensor.<op>``, ``torch._C._nn.<op>`` ...), expanded here.

A name written out under ``torch.ops.aten.`` is matched by the operator's name in the same
way; it is never looked up as an attribute.

The runner reports a refused call by one of these names (:func:`reportable` says which the
judge accepts): a declared name, a name a wildcard expands to, an aten operator matching a
declared operator pattern, or a backward pass (:func:`backward_pass`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import Any

# Names under this prefix are aten operators, matched by the operator's own name.
OPERATORS = "torch.ops.aten."
# The autograd engine's entry points: forbidding one forbids every backward pass.
BACKWARD_PASSES = ("torch.autograd.backward", "torch.autograd.grad", "torch.Tensor.backward")
# An operator's name is an identifier; longer than this, it is no operator torch has.
MAX_OPERATOR = 100
# Where torch binds aten operators as Python callables.
OPERATOR_HOMES = (
    "torch",
    "torch.Tensor",
    "torch._C._VariableFunctions",
    "torch._C._nn",
    "torch._C._special",
    "torch._C._linalg",
    "torch._C._fft",
    "torch.nn.functional",
)


def is_pattern(name: str) -> bool:
    """Whether the last part of ``name`` holds a wildcard."""
    return any(character in name.rpartition(".")[2] for character in "*?[")


def operator_patterns(names: Iterable[str]) -> tuple[str, ...]:
    """The operator names (or patterns) among ``names``: what follows ``torch.ops.aten.``."""
    return tuple(name[len(OPERATORS) :] for name in names if name.startswith(OPERATORS))


def matches_operator(operator: str, patterns: tuple[str, ...]) -> bool:
    """Whether an aten operator (``sigmoid_backward``, overload left off) is among them."""
    return any(fnmatchcase(operator, pattern) for pattern in patterns)


def backward_pass(name: str) -> str:
    """How a backward pass is reported, ``name`` the forbidden entry point it stands for
    (the pass may have been started another way: by the engine itself, or a hook)."""
    return f"{name} (a backward pass)"


def reportable(reported: str, declared: Iterable[str]) -> bool:
    """Whether a runner may report ``reported`` as a refused call when ``declared`` were
    forbidden: one of them, a name one of them expands to, an aten operator one of them
    matches, or a backward pass of a forbidden entry point.  Anything else is made up."""
    names = tuple(sorted(declared))
    if reported in names or reported in expand(names):
        return True
    if reported.startswith(OPERATORS):
        operator = reported[len(OPERATORS) :]
        return (
            len(operator) <= MAX_OPERATOR
            and operator.isidentifier()
            and matches_operator(operator, operator_patterns(names))
        )
    return any(reported == backward_pass(name) for name in BACKWARD_PASSES if name in names)


def expand(names: Iterable[str]) -> tuple[str, ...]:
    """Every name written out: wildcards replaced by the names they match, operator names
    (``torch.ops.aten.``) left out (they are matched by name, see :func:`operator_patterns`)."""
    return _expand(tuple(names))


@functools.cache
def _expand(names: tuple[str, ...]) -> tuple[str, ...]:
    expanded: list[str] = []
    for name in names:
        if not is_pattern(name):
            if not name.startswith(OPERATORS):
                expanded.append(name)
            continue
        home, _, pattern = name.rpartition(".")
        if name.startswith(OPERATORS):
            for place in OPERATOR_HOMES:
                owner = _lookup(place)
                if owner is not None:
                    expanded += [f"{place}.{a}" for a in dir(owner) if fnmatchcase(a, pattern)]
            continue
        owner = _lookup(home)
        if owner is None:
            continue
        public = getattr(owner, "__all__", None)
        candidates = public if public is not None else [a for a in dir(owner) if a[:1] != "_"]
        expanded += [f"{home}.{a}" for a in candidates if fnmatchcase(a, pattern)]
    return tuple(dict.fromkeys(expanded))


def _lookup(dotted: str) -> Any:
    """The module or class ``dotted`` names, or None."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for part in parts[split:]:
                owner = getattr(owner, part)
        except AttributeError:
            return None
        return owner
    return None
