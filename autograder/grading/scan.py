"""The second line against forbidden calls: read the submission's source, run nothing.

The runner patches forbidden functions while an exercise runs, but student code runs in
that process and could undo the patch.  This scan finds the names in the source of the
exercise and of the module-level helpers it calls, and the names that would switch the
runner's refusal off (:data:`ESCAPES`) anywhere in the module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from autograder.engine.forbidden_names import expand, matches_operator, operator_patterns


@dataclass(frozen=True)
class ForbiddenUse:
    name: str
    line: int


# Top-level functions and classes by name.
Functions = dict[str, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]


def _functions(tree: ast.Module) -> Functions:
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


def _parsed(source: str, function: str) -> tuple[ast.Module, Functions] | None:
    """The module's tree and its top-level functions, if it parses and defines ``function``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    functions = _functions(tree)
    return (tree, functions) if function in functions else None


def find_forbidden(
    source: str, function: str, forbidden: tuple[str, ...], other_exercises: set[str]
) -> list[ForbiddenUse]:
    """Forbidden names used in ``function`` (or helpers it calls), as written in the source:
    the last part of each name (wildcards expanded, an aten operator's pattern matched)."""
    parsed = _parsed(source, function)
    if parsed is None or not forbidden:
        return []
    tree, functions = parsed
    try:
        return _forbidden_uses(tree, functions, function, forbidden, other_exercises)
    except RecursionError:  # an expression nested past what ast.unparse can print
        return [ForbiddenUse("an expression nested too deeply to read", 0)]


def _forbidden_uses(
    tree: ast.Module,
    functions: Functions,
    function: str,
    forbidden: tuple[str, ...],
    other_exercises: set[str],
) -> list[ForbiddenUse]:
    by_last = {name.rsplit(".", 1)[-1]: name for name in expand(forbidden)}
    operators = operator_patterns(forbidden)

    def named(attribute: object) -> bool:
        return isinstance(attribute, str) and (
            attribute in by_last or matches_operator(attribute, operators)
        )

    imported = _imported_names(tree)
    uses: list[ForbiddenUse] = []
    for body in _reachable(function, functions, other_exercises - {function}):
        for node in ast.walk(body):
            hit = None
            if isinstance(node, ast.Attribute) and named(node.attr):
                hit = ast.unparse(node)[:80]
            elif isinstance(node, ast.Name) and named(node.id) and node.id in imported:
                hit = f"{node.id} (imported from a library)"
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and named(node.args[1].value)
            ):
                hit = ast.unparse(node)[:80]
            if hit is not None:
                uses.append(ForbiddenUse(hit, getattr(node, "lineno", 0)))
    return sorted(set(uses), key=lambda use: (use.line, use.name))


# What switches off or goes around the runner's refusal of forbidden calls (a torch function
# mode, which is thread-local and can be popped or disabled) or digs the originals out of the
# stand-ins.  No exercise needs any of them: an exercise that forbids calls gets no points
# when its code, a helper it calls or the module's top-level code names one.  Spelled at run
# time ("Disable" + "TorchFunction"), a name escapes this scan: refusing forbidden calls in
# the student's own process is a best effort, unlike the sandbox (README, threat model).
ESCAPES = frozenset(
    {
        "DisableTorchFunction",
        "_disabled_torch_function_impl",
        "_pop_torch_function_stack",
        "_push_on_torch_function_stack",
        "_get_function_stack_at",
        "_len_torch_function_stack",
        "_pop_mode",
        "_pop_mode_temporarily",
        "_get_current_function_mode",
        "_get_current_function_mode_stack",
        "__torch_function__",
        "RefuseForbidden",
        # The same for the runner's guard at torch's dispatcher (RefuseAtDispatch), and
        # functorch's own machinery under torch.func.
        "__torch_dispatch__",
        "RefuseAtDispatch",
        "_python_dispatch",
        "_DisableTorchDispatch",
        "_pop_torch_dispatch_stack",
        "_push_on_torch_dispatch_stack",
        "_get_dispatch_stack_at",
        "_len_torch_dispatch_stack",
        "_functorch",
        "_VariableFunctions",
        "ops",  # torch.ops.aten: the operators themselves
        "jit",  # TorchScript runs the operators by name, past the mode
        "CompilationUnit",
        "compile",
        "_dynamo",
        "library",
        "_dispatch_call_boxed",
        "threading",
        "_thread",
        "Thread",
        "start_new_thread",
        "ThreadPoolExecutor",
        "__subclasses__",
        "__closure__",
        "__wrapped__",
    }
)


def _dotted(node: ast.AST) -> str:
    """``a.b.c`` for a chain of attributes on a name; "" for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


def _inside_the_grader(dotted: str) -> bool:
    """A module of the grader's own (the runner's, seen in ``sys.modules``), not the
    ``autograder.data`` loaders an exercise may use."""
    parts = dotted.split(".")
    return parts[0] == "autograder" and len(parts) > 1 and parts[1] != "data"


def find_escapes(source: str, function: str, other_exercises: set[str]) -> list[ForbiddenUse]:
    """Names of :data:`ESCAPES`, or of the grader's own modules, as written (imports and
    strings included) in ``function``, the helpers it calls, or the module's top-level
    code: what ``function``'s calls can run."""
    parsed = _parsed(source, function)
    if parsed is None:
        return []
    tree, functions = parsed
    top_level = [node for node in tree.body if node not in functions.values()]
    reached = _reachable(function, functions, other_exercises - {function})
    uses: list[ForbiddenUse] = []
    for node in (inner for body in [*top_level, *reached] for inner in ast.walk(body)):
        named: list[str] = []
        if isinstance(node, ast.Attribute):
            named = [node.attr, _dotted(node)]
        elif isinstance(node, ast.Name):
            named = [node.id]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            module = f"{node.module}." if isinstance(node, ast.ImportFrom) and node.module else ""
            for alias in node.names:
                named += [*alias.name.split("."), module + alias.name]
            named += module.split(".")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = [node.value, *node.value.split(".")]
        line = getattr(node, "lineno", 0)
        uses += [
            ForbiddenUse(name, line)
            for name in named
            if name in ESCAPES or _inside_the_grader(name)
        ]
    return sorted(set(uses), key=lambda use: (use.line, use.name))


def oracle_subset(source: str, needed: set[str], graded: str, exercises: set[str]) -> str:
    """An oracle module's source with only the exercises in ``needed`` (and those they call)
    left in: never ``graded``, the function being graded, nor any other exercise.

    This is what a runner compiles to lend oracles (public code, the student kit's): the
    oracles of the other exercises, and the forbidden originals they hold, stay out.
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
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name in exercises
            and node.name not in keep - {graded}
        )
    ]
    return ast.unparse(tree)
