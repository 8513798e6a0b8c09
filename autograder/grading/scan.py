"""The second line against forbidden calls: read the submission's source, run nothing.

The runner patches forbidden functions while an exercise runs, but student code runs in
that process and could undo the patch.  This scan finds the names in the source of the
exercise and of the module-level helpers it calls.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class ForbiddenUse:
    name: str
    line: int


def _functions(
    tree: ast.Module,
) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]:
    """Top-level functions and classes (an exercise may be a class: its methods are read)."""
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }


def _imported_names(tree: ast.Module) -> set[str]:
    """Names bound by ``from x import y [as z]`` anywhere in the module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == alias.asname or alias.asname is None:
                    names.add(alias.name)
    return names


def _reachable(start: str, functions: dict[str, ast.AST], stop: set[str]) -> list[ast.AST]:
    """The exercise and the module-level helpers it calls, transitively."""
    seen = {start}
    order = [functions[start]]
    queue = [functions[start]]
    while queue:
        for node in ast.walk(queue.pop()):
            if (
                isinstance(node, ast.Name)
                and node.id in functions
                and node.id not in seen
                and node.id not in stop
            ):
                seen.add(node.id)
                order.append(functions[node.id])
                queue.append(functions[node.id])
    return order


def find_forbidden(
    source: str, function: str, forbidden: tuple[str, ...], other_exercises: set[str]
) -> list[ForbiddenUse]:
    """Forbidden names used in ``function`` (or helpers it calls), as written in the source."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    functions = _functions(tree)
    if function not in functions or not forbidden:
        return []
    by_last = {name.rsplit(".", 1)[-1]: name for name in forbidden}
    imported = _imported_names(tree)
    uses: list[ForbiddenUse] = []
    for body in _reachable(function, functions, other_exercises - {function}):
        for node in ast.walk(body):
            hit = None
            if isinstance(node, ast.Attribute) and node.attr in by_last:
                hit = ast.unparse(node)[:80]
            elif isinstance(node, ast.Name) and node.id in by_last and node.id in imported:
                hit = f"{node.id} (imported from a library)"
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in by_last
            ):
                hit = ast.unparse(node)[:80]
            if hit is not None:
                uses.append(ForbiddenUse(hit, getattr(node, "lineno", 0)))
    return sorted(set(uses), key=lambda use: (use.line, use.name))


def helpers_used(source: str, function: str, exercises: set[str]) -> set[str]:
    """The other exercises of the module that ``function`` calls (itself or through helpers).

    Only these are replaced by the reference versions while ``function`` is graded.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    functions = _functions(tree)
    if function not in functions:
        return set()
    others = exercises - {function}
    used: set[str] = set()
    for body in _reachable(function, functions, others):
        for node in ast.walk(body):
            if isinstance(node, ast.Name) and node.id in others:
                used.add(node.id)
    return used


def reference_subset(source: str, needed: set[str], graded: str, exercises: set[str]) -> str:
    """The reference module's source with only the exercises in ``needed`` (and those they
    call) left in: never ``graded``, the function being graded, nor any other exercise.

    This is what a runner gets to run the reference helpers; the rest of the reference
    module never enters it.
    """
    tree = ast.parse(source)
    functions = _functions(tree)
    keep: set[str] = set()
    for name in needed & functions.keys():
        for node in _reachable(name, functions, {graded}):
            keep.add(getattr(node, "name", ""))
    tree.body = [
        node
        for node in tree.body
        if not (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name in exercises
            and node.name not in keep - {graded}
        )
    ]
    return ast.unparse(tree)
