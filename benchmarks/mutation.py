"""`make mutation`: mechanical mutation testing of the checks.

Every graded function of ``solutions/<assignment>.py`` is mutated with classic operators,
one node at a time; each mutant module is graded like a submission
(``autograder.grading.grade.grade_module(load_assignment(a), <tmp>/<a>.py)``, as
``tests/gradelib.py`` does) and classified:

* **killed**: the mutated function lost points (a mutant that does not compile or import
  counts as killed, *trivially*, and is reported apart);
* **collateral**: only another function lost points (a bug costs points only in its own
  function, so this should not happen);
* **survived**: no function lost points.  A survivor is then set aside as *equivalent* when
  - it is in the hand-reviewed allowlist ``benchmarks/equivalent_mutants.json`` (function ->
    entries ``{operator, original, mutated, reason}``), or
  - no input tells it apart from the reference: in a separate process (per-call time limit),
    hypothesis draws a thousand inputs per mutant from the checks' own strategies
    (``autograder.exercises.<a>``: the inputs grading draws, many more of them) and from
    broader generators written here (invalid values, empty and 0-d tensors, special floats,
    the ``meta`` device, the default-device trap, tensors that require grad, nets in either
    mode), runs the reference and the mutant on a deep copy each, from the same RNG seed,
    and compares what a caller can see: the result (type, dtype, shape, device, values
    within a few ulps, identity with an input) or the exception type, the inputs afterwards
    (in-place changes, a net's weights and mode, the optimizer's state), the gradients
    reaching inputs that require grad, and the global RNG state afterwards.  No difference:
    **probably equivalent** (set aside, listed for review).  A difference: a **survivor**,
    a gap in the checks, shown with the smallest distinguishing input hypothesis found.

The kill rate of a function is killed / (total - equivalent).

Why our own mutator and not mutmut or cosmic-ray: both mutate the code under test on disk
(cosmic-ray in place, mutmut in a ``mutants/`` copy whose functions dispatch to the mutant
through trampolines and an environment variable) and judge a mutant by a test command's exit
status.  Here ``solutions/`` is also the installed reference (``autograder_solutions``) that
the checks compute expected values with, so mutating it in place changes the expected
values too (and the working tree other people edit); the "tests" are the grader grading a
copy of one module file in a sealed runner that cannot import mutmut's trampolines; and the
verdict we need is "which function's checks lost points", per function, not an exit status.
So this script enumerates the mutants itself with :mod:`ast`: each mutation edits one node
of the function's body (never the docstring, never f-strings), is written back into the
source as a minimal text edit, and is verified by re-parsing: the mutant's AST equals the
original AST with exactly that node replaced.

Usage::

    .venv/bin/python benchmarks/mutation.py [--assignment A] [--function F] [--limit N]
        [--jobs 2] [--examples 300] [--json results.json] [--list]

Exit status 0 (it is a report), unless something goes wrong inside the script.
"""

from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SOLUTIONS = ROOT / "solutions"
ALLOWLIST = Path(__file__).resolve().with_name("equivalent_mutants.json")
EXAMPLES = 1000  # hypothesis examples per survivor when deciding equivalence
CALL_TIMEOUT = 10.0  # seconds per call of the reference or a mutant when deciding equivalence
SEARCH_TIMEOUT = 600.0  # seconds for one survivor's whole search (undecided after that)

# ---------------------------------------------------------------------------------------
# The mutator
# ---------------------------------------------------------------------------------------

COMPARISONS: dict[type[ast.cmpop], tuple[str, str]] = {
    # operator: (its text, a regular expression finding it between the operands)
    ast.Lt: ("<", "<"),
    ast.LtE: ("<=", "<="),
    ast.Gt: (">", ">"),
    ast.GtE: (">=", ">="),
    ast.Eq: ("==", "=="),
    ast.NotEq: ("!=", "!="),
    ast.Is: ("is", r"\bis\b"),
    ast.IsNot: ("is not", r"\bis\s+not\b"),
    ast.In: ("in", r"\bin\b"),
    ast.NotIn: ("not in", r"\bnot\s+in\b"),
}
COMPARISON_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
ARITHMETIC: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
}
ARITHMETIC_SWAPS: dict[type[ast.operator], tuple[type[ast.operator], ...]] = {
    ast.Add: (ast.Sub,),
    ast.Sub: (ast.Add,),
    ast.Mult: (ast.Div,),
    ast.Div: (ast.Mult, ast.FloorDiv),
    ast.FloorDiv: (ast.Div,),
    ast.Mod: (ast.FloorDiv,),
    ast.Pow: (ast.Mult,),
    ast.MatMult: (ast.Mult,),
}
BOOLEAN_OPERATORS: dict[type[ast.boolop], tuple[str, type[ast.boolop]]] = {
    ast.And: (r"\band\b", ast.Or),
    ast.Or: (r"\bor\b", ast.And),
}
UNARY_TEXT = {ast.Not: "not", ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}
# Expressions that need no parentheses wherever another expression stood.
ATOMS = (ast.Name, ast.Constant, ast.Attribute, ast.Call, ast.Subscript, ast.List, ast.Tuple)

OPERATORS = (
    "comparison flip",  # < <=, > >=, == !=, is / is not, in / not in
    "arithmetic swap",  # + -, * /, / //, % //, ** *, @ *
    "augmented assignment swap",  # += -=, *= /= ...
    "and/or swap",
    "constant +-1",  # integer and float constants, +1 and -1
    "True/False flip",
    "remove unary operator",  # -x -> x, not x -> x
    "negate condition",  # if/while/ternary/assert/comprehension conditions
    "swap call arguments",  # two adjacent positional arguments
    "drop keyword argument",  # f(x, dim=1) -> f(x)
    "remove raise",  # raise ... -> pass
    "delete statement",  # any other statement -> pass
)


@dataclass(frozen=True)
class Mutant:
    """One mutant of one graded function."""

    assignment: str
    function: str
    number: int  # 1-based, in enumeration order within the function
    operator: str
    line: int  # of the mutated node, in solutions/<assignment>.py
    original: str  # the source lines the edit touches, whitespace collapsed
    mutated: str  # the same lines in the mutant
    source: str  # the whole mutated module

    @property
    def name(self) -> str:
        return f"{self.assignment}.{self.function}#{self.number}"

    @property
    def where(self) -> str:
        return f"solutions/{self.assignment}.py:{self.line}"

    def key(self) -> tuple[str, str, str]:
        """What the allowlist matches (no line number: stable when lines move)."""
        return (self.operator, self.original, self.mutated)


class _Text:
    """The module's source as UTF-8 bytes (ast's column offsets count bytes)."""

    def __init__(self, source: str) -> None:
        self.data = source.encode("utf-8")
        self.line_starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))

    def start(self, node: ast.AST) -> int:
        return self.line_starts[node.lineno - 1] + node.col_offset

    def end(self, node: ast.AST) -> int:
        return self.line_starts[node.end_lineno - 1] + node.end_col_offset

    def segment(self, node: ast.AST) -> str:
        return self.data[self.start(node) : self.end(node)].decode("utf-8")

    def token(self, after: ast.AST, before: ast.AST, pattern: str, new: str) -> Edit:
        """Replace the operator matching ``pattern`` between two operands by ``new``."""
        start, end = self.end(after), self.start(before)
        gap = self.data[start:end].decode("utf-8")
        found = re.search(pattern, gap)
        if found is None:
            raise AssertionError(f"no {pattern!r} between the operands in {gap!r}")
        return (
            start + len(gap[: found.start()].encode("utf-8")),
            start + len(gap[: found.end()].encode("utf-8")),
            new,
        )

    def wrapped(self, node: ast.AST) -> str:
        """The node's text, parenthesized unless it is an atom."""
        text = self.segment(node)
        return text if isinstance(node, ATOMS) else f"({text})"


Edit = tuple[int, int, str]  # replace bytes [start, end) by this text
Path_ = tuple[tuple[str, int | None], ...]  # from the module: (field, index in a list or None)


@dataclass
class _Change:
    operator: str
    node: ast.AST  # the node replaced
    replacement: ast.AST  # what replaces it in the mutant's AST
    edits: list[Edit]
    within: Path_ = ()  # where the node replaced is, from the node being walked


def _docstring(body: list[ast.stmt]) -> ast.stmt | None:
    first = body[0] if body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first
    return None


def _walk(node: ast.AST, path: Path_) -> Iterator[tuple[ast.AST, Path_]]:
    """Every node under ``node`` (pre-order), skipping f-strings and annotations."""
    yield node, path
    if isinstance(node, ast.JoinedStr):
        return  # error messages: their mutants say nothing about the checks
    for name, value in ast.iter_fields(node):
        if name in ("annotation", "returns", "type_comment"):
            continue
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, ast.AST):
                    yield from _walk(item, (*path, (name, index)))
        elif isinstance(value, ast.AST):
            yield from _walk(value, (*path, (name, None)))


def _changes(node: ast.AST, text: _Text) -> Iterator[_Change]:
    """Every classic mutation of ``node`` itself, in a fixed order."""
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            if type(op) not in COMPARISON_FLIPS:
                continue
            new_op = COMPARISON_FLIPS[type(op)]()
            replacement = copy.deepcopy(node)
            replacement.ops[index] = new_op
            before = node.left if index == 0 else node.comparators[index - 1]
            pattern = COMPARISONS[type(op)][1]
            edit = text.token(
                before, node.comparators[index], pattern, COMPARISONS[type(new_op)][0]
            )
            yield _Change("comparison flip", node, replacement, [edit])
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC_SWAPS:
        for new_type in ARITHMETIC_SWAPS[type(node.op)]:
            replacement = copy.deepcopy(node)
            replacement.op = new_type()
            pattern = re.escape(ARITHMETIC[type(node.op)])
            edits = [text.token(node.left, node.right, pattern, ARITHMETIC[new_type])]
            if isinstance(node.op, ast.Pow):
                # * binds less tightly than **: `a * b ** c` would become `(a * b) * c`.
                start, end = text.start(node), text.end(node)
                edits += [(start, start, "("), (end, end, ")")]
            yield _Change("arithmetic swap", node, replacement, edits)
    elif isinstance(node, ast.AugAssign) and type(node.op) in ARITHMETIC_SWAPS:
        for new_type in ARITHMETIC_SWAPS[type(node.op)]:
            replacement = copy.deepcopy(node)
            replacement.op = new_type()
            pattern = re.escape(ARITHMETIC[type(node.op)] + "=")
            edit = text.token(node.target, node.value, pattern, ARITHMETIC[new_type] + "=")
            yield _Change("augmented assignment swap", node, replacement, [edit])
    elif isinstance(node, ast.BoolOp):
        pattern, new_type = BOOLEAN_OPERATORS[type(node.op)]
        replacement = copy.deepcopy(node)
        replacement.op = new_type()
        new_text = "or" if new_type is ast.Or else "and"
        edits = [text.token(a, b, pattern, new_text) for a, b in zip(node.values, node.values[1:])]
        yield _Change("and/or swap", node, replacement, edits)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float, bool):
        if isinstance(node.value, bool):
            values = [not node.value]
            operator = "True/False flip"
        else:
            values = [node.value + 1, node.value - 1]
            operator = "constant +-1"
        for value in values:
            new_text = repr(value)
            replacement = ast.parse(new_text, mode="eval").body
            edit = (text.start(node), text.end(node), new_text)
            yield _Change(operator, node, replacement, [edit])
    elif isinstance(node, ast.UnaryOp) and type(node.op) in UNARY_TEXT:
        edit = (text.start(node), text.end(node), text.wrapped(node.operand))
        yield _Change("remove unary operator", node, copy.deepcopy(node.operand), [edit])
    elif isinstance(node, ast.Call):
        for index in range(len(node.args) - 1):
            first, second = node.args[index], node.args[index + 1]
            if isinstance(first, ast.Starred) or isinstance(second, ast.Starred):
                continue
            replacement = copy.deepcopy(node)
            replacement.args[index], replacement.args[index + 1] = (
                replacement.args[index + 1],
                replacement.args[index],
            )
            edits = [
                (text.start(first), text.end(first), text.segment(second)),
                (text.start(second), text.end(second), text.segment(first)),
            ]
            yield _Change("swap call arguments", node, replacement, edits)
        items = [*node.args, *node.keywords]
        for index, keyword in enumerate(node.keywords):
            if keyword.arg is None:
                continue  # **kwargs
            position = len(node.args) + index
            if position + 1 < len(items):  # up to the next argument
                edit = (text.start(keyword), text.start(items[position + 1]), "")
            elif position > 0:  # the last one: from the end of the previous argument
                edit = (text.end(items[position - 1]), text.end(keyword), "")
            else:
                edit = (text.start(keyword), text.end(keyword), "")
            replacement = copy.deepcopy(node)
            del replacement.keywords[index]
            yield _Change("drop keyword argument", node, replacement, [edit])
    # Conditions (a node may also be a statement or an expression mutated above).
    condition = getattr(node, "test", None) if isinstance(node, ast.If | ast.While) else None
    if isinstance(node, ast.IfExp | ast.Assert):
        condition = node.test
    conditions = [(condition, ("test", None))] if condition is not None else []
    if isinstance(node, ast.comprehension):
        conditions = [(test, ("ifs", index)) for index, test in enumerate(node.ifs)]
    for test, within in conditions:
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            continue  # "remove unary operator" already drops that not
        negated = ast.UnaryOp(op=ast.Not(), operand=copy.deepcopy(test))
        edit = (text.start(test), text.end(test), f"not ({text.segment(test)})")
        yield _Change("negate condition", test, negated, [edit], (within,))
    if isinstance(node, ast.stmt) and not isinstance(node, ast.Pass):
        operator = "remove raise" if isinstance(node, ast.Raise) else "delete statement"
        padding = "\n" * (node.end_lineno - node.lineno)  # keep the line numbers below
        start = text.start(node)
        # An elif is an If alone in the orelse of another: it becomes "else: pass".
        keyword = "else: pass" if text.data[start : start + 4] == b"elif" else "pass"
        edit = (start, text.end(node), keyword + padding)
        yield _Change(operator, node, ast.Pass(), [edit])


def _dump_replaced(tree: ast.AST, path: Path_, replacement: ast.AST) -> str:
    """``ast.dump`` of ``tree`` with the node at ``path`` replaced (``tree`` is restored)."""
    parent: Any = tree
    for name, index in path[:-1]:
        parent = getattr(parent, name) if index is None else getattr(parent, name)[index]
    name, index = path[-1]
    holder, key = (parent.__dict__, name) if index is None else (getattr(parent, name), index)
    kept = holder[key]
    holder[key] = replacement
    try:
        return ast.dump(tree)
    finally:
        holder[key] = kept


def _apply(data: bytes, edits: list[Edit]) -> bytes:
    for start, end, new in sorted(edits, reverse=True):
        data = data[:start] + new.encode("utf-8") + data[end:]
    return data


def _collapse(text: str) -> str:
    return " ".join(text.split())


def mutants_of(source: str, functions: list[str], assignment: str = "module") -> list[Mutant]:
    """Every mutant of the bodies of ``functions`` in ``source``, in a fixed order.

    Order: the functions as they appear in the module, then the nodes of each body in
    pre-order, then the operators in the order of :func:`_changes`.  Mutants whose AST
    equals the original or an earlier mutant's are dropped.  Each mutant is checked: its
    source parses to the original AST with exactly one node replaced.
    """
    tree = ast.parse(source)
    text = _Text(source)
    mutants: list[Mutant] = []
    for position, function in enumerate(tree.body):
        if not isinstance(function, ast.FunctionDef) or function.name not in functions:
            continue
        docstring = _docstring(function.body)
        seen: set[str] = {ast.dump(function)}
        span = (text.start(function), text.end(function))
        number = 0
        for index, statement in enumerate(function.body):
            if statement is docstring:
                continue
            for node, path in _walk(statement, (("body", index),)):
                for change in _changes(node, text):
                    where = (*path, *change.within)
                    expected = _dump_replaced(function, where, change.replacement)
                    mutated_data = _apply(text.data, change.edits)
                    mutated = ast.parse(mutated_data.decode("utf-8")).body
                    dump = ast.dump(mutated[position]) if len(mutated) == len(tree.body) else ""
                    inside = all(
                        span[0] <= start and end <= span[1] for start, end, _ in change.edits
                    )
                    if dump != expected or not inside:  # nothing else changed
                        raise AssertionError(
                            f"{function.name}: the {change.operator} edit at line "
                            f"{change.node.lineno} does not give the intended AST"
                        )
                    if dump in seen:
                        continue
                    seen.add(dump)
                    number += 1
                    mutants.append(
                        _mutant(assignment, function.name, number, change, text, mutated_data)
                    )
    return mutants


def _mutant(
    assignment: str, function: str, number: int, change: _Change, text: _Text, mutated: bytes
) -> Mutant:
    first = min(start for start, _, _ in change.edits)
    last = max(end for _, end, _ in change.edits)
    starts = text.line_starts
    line = max(i for i, offset in enumerate(starts) if offset <= first)  # 0-based
    last_line = max(i for i, offset in enumerate(starts) if offset < max(last, first + 1))
    region_start = starts[line]
    region_end = starts[last_line + 1] if last_line + 1 < len(starts) else len(text.data)
    delta = len(mutated) - len(text.data)
    return Mutant(
        assignment=assignment,
        function=function,
        number=number,
        operator=change.operator,
        line=change.node.lineno,
        original=_collapse(text.data[region_start:region_end].decode("utf-8")),
        mutated=_collapse(mutated[region_start : region_end + delta].decode("utf-8")),
        source=mutated.decode("utf-8"),
    )


def graded_functions(assignment: str) -> list[str]:
    from autograder.grading.registry import load_assignment

    return [exercise.name for exercise in load_assignment(assignment).exercises]


def assignment_mutants(assignment: str) -> list[Mutant]:
    source = (SOLUTIONS / f"{assignment}.py").read_text(encoding="utf-8")
    return mutants_of(source, graded_functions(assignment), assignment)


def spread(items: list[Any], limit: int | None) -> list[Any]:
    """At most ``limit`` of ``items``, spread evenly over them (deterministic)."""
    if limit is None or len(items) <= limit:
        return items
    return [items[(i * len(items)) // limit] for i in range(limit)]


# ---------------------------------------------------------------------------------------
# The allowlist of hand-reviewed equivalent mutants
# ---------------------------------------------------------------------------------------


def load_allowlist(path: Path = ALLOWLIST) -> dict[tuple[str, str, str, str], str]:
    """{(function, operator, original, mutated): reason} from the JSON file."""
    if not path.exists():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    allowed = {}
    for function, items in entries.items():
        if function.startswith("_"):
            continue  # comments
        for item in items:
            key = (function, item["operator"], item["original"], item["mutated"])
            allowed[key] = item["reason"]
    return allowed


# ---------------------------------------------------------------------------------------
# Grading one mutant (in a worker process)
# ---------------------------------------------------------------------------------------


@dataclass
class Verdict:
    mutant: Mutant
    status: str  # killed, collateral, equivalent, survived
    trivial: bool = False  # killed because it does not compile or import
    collateral: list[str] = field(default_factory=list)  # other functions that lost points
    failed_checks: list[str] = field(default_factory=list)
    equivalence: str = ""  # how a set-aside mutant was judged equivalent
    distinguished_by: str = ""  # a survivor: the input that tells it apart, and how
    seconds: float = 0.0


_BASELINES: dict[str, dict[str, tuple[float, float]]] = {}
# One transcript store per assignment and worker: every mutant replays what the reference
# (and the mutants before it) recorded, in memory only (never the user's cache).
_STORES: dict[str, Any] = {}


def _grade_source(assignment: str, source: str) -> list[Any]:
    from autograder.grading.config import GradingConfig
    from autograder.grading.grade import grade_module
    from autograder.grading.registry import load_assignment
    from autograder.grading.replay import TranscriptStore

    config = GradingConfig.from_environment(cache_dir=None)
    store = _STORES.setdefault(assignment, TranscriptStore(config))
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        path = Path(folder) / f"{assignment}.py"
        path.write_text(source, encoding="utf-8")
        return grade_module(load_assignment(assignment), path, config=config, store=store)


def _scores(results: list[Any]) -> dict[str, tuple[float, float]]:
    totals: dict[str, list[float]] = {}
    for result in results:
        total = totals.setdefault(result.function, [0.0, 0.0])
        total[0] += result.score
        total[1] += result.max_score
    return {name: (score, most) for name, (score, most) in totals.items()}


def baseline(assignment: str) -> dict[str, tuple[float, float]]:
    """The reference's own scores (graded once per process; also warms replay up)."""
    if assignment not in _BASELINES:
        source = (SOLUTIONS / f"{assignment}.py").read_text(encoding="utf-8")
        _BASELINES[assignment] = _scores(_grade_source(assignment, source))
    return _BASELINES[assignment]


def _worker_setup() -> None:
    """Nothing to set up: each worker keeps its transcripts in memory (see _STORES)."""


def judge(mutant: Mutant, allowed: dict[tuple[str, str, str, str], str], examples: int) -> Verdict:
    """Grade one mutant and classify it; decide equivalence for a survivor."""
    started = time.monotonic()
    verdict = Verdict(mutant, "survived")
    try:
        compile(mutant.source, f"{mutant.assignment}.py", "exec")
    except SyntaxError:
        verdict.status, verdict.trivial = "killed", True
        return verdict
    reference = baseline(mutant.assignment)
    results = _grade_source(mutant.assignment, mutant.source)
    scores = _scores(results)
    verdict.failed_checks = [f"{r.function}: {r.check}" for r in results if not r.passed]
    lost = {name for name, (score, _) in scores.items() if score < reference[name][0]}
    verdict.collateral = sorted(lost - {mutant.function})
    if mutant.function in lost:
        verdict.status = "killed"
        verdict.trivial = any("could not import" in r.feedback for r in results)
    elif lost:
        verdict.status = "collateral"
    else:
        reason = allowed.get((mutant.function, *mutant.key()))
        if reason is not None:
            verdict.status, verdict.equivalence = "equivalent", f"reviewed: {reason}"
        else:
            search = decide_equivalence(mutant, examples)
            if search.get("verdict") == "equivalent":
                verdict.status = "equivalent"
                verdict.equivalence = (
                    f"no difference on {search['examples']} generated inputs (automatic)"
                )
            else:
                verdict.distinguished_by = search.get("difference", "undecided")
    verdict.seconds = time.monotonic() - started
    return verdict


def decide_equivalence(mutant: Mutant, examples: int) -> dict[str, Any]:
    """Search for an input telling the mutant apart, in a fresh process with limits."""
    with tempfile.TemporaryDirectory(prefix="equivalence-") as folder:
        path = Path(folder) / f"mutant_{mutant.assignment}.py"
        path.write_text(mutant.source, encoding="utf-8")
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "_equivalence",
            mutant.assignment,
            mutant.function,
            str(path),
            str(examples),
        ]
        env = {**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(Path(folder) / "hypothesis")}
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=SEARCH_TIMEOUT,
                env=env,
                cwd=folder,
                preexec_fn=_limit_memory,
            )
        except subprocess.TimeoutExpired:
            return {"verdict": "undecided", "difference": "undecided: the search timed out"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        return {"verdict": "undecided", "difference": f"undecided: the search failed: {tail}"}
    return json.loads(lines[-1])


def _limit_memory() -> None:
    import resource

    limit = 8 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# ---------------------------------------------------------------------------------------
# Deciding equivalence: inputs, observations, comparison (in the _equivalence process)
# ---------------------------------------------------------------------------------------


@dataclass
class Call:
    """One call of a graded function: its arguments and where its tensors live."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    where: str = "cpu"  # cpu, meta (inputs on meta), trap (cpu inputs, default device meta)

    def __repr__(self) -> str:
        parts = [_show(a) for a in self.args]
        parts += [f"{k}={_show(v)}" for k, v in self.kwargs.items()]
        where = {"cpu": "", "meta": " [inputs on meta]", "trap": " [default device meta]"}
        return f"({', '.join(parts)}){where[self.where]}"


def _show(value: Any) -> str:
    import torch

    if isinstance(value, torch.Tensor):
        grad = ", requires_grad=True" if value.requires_grad else ""
        kind = "Parameter" if isinstance(value, torch.nn.Parameter) else "tensor"
        if value.device.type == "meta" or value.numel() > 24 or value.numel() == 0:
            return f"{kind}(shape={tuple(value.shape)}, {value.dtype}, {value.device}{grad})"
        values = value.detach().tolist()
        strided = "" if value.is_contiguous() else ", non-contiguous"
        return f"{kind}({values}, {value.dtype}{strided}{grad})"
    if isinstance(value, torch.nn.Module):
        mode = "training" if value.training else "eval"
        return f"{_layers(value)} in {mode} mode"
    if isinstance(value, torch.optim.Optimizer):
        group = {k: v for k, v in value.param_groups[0].items() if k in ("lr", "momentum")}
        return f"{type(value).__name__}({group})"
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        sizes = [len(batch[1]) for batch in value]
        return f"<{len(value)} batches of sizes {sizes}>"
    if isinstance(value, list | tuple):
        inner = ", ".join(_show(v) for v in value)
        comma = "," if isinstance(value, tuple) and len(value) == 1 else ""
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{comma})"
    return repr(value)


def _layers(module: Any) -> str:
    """``Sequential(Flatten, Linear(12, 4))``: a net in one short line."""
    import torch

    if isinstance(module, torch.nn.Linear):
        return f"Linear({module.in_features}, {module.out_features})"
    if isinstance(module, torch.nn.Dropout):
        return f"Dropout({module.p})"
    children = [_layers(child) for child in module.children()]
    return f"{type(module).__name__}({', '.join(children)})" if children else type(module).__name__


def _placed(inner: Any, places: tuple[str, ...] = ("cpu", "cpu", "meta", "trap")) -> Any:
    """Calls from ``(args, kwargs)`` draws, their tensors on cpu, on meta, or trapped."""
    from hypothesis import strategies as st

    @st.composite
    def build(draw: Any) -> Call:
        args, kwargs = draw(inner)
        where = draw(st.sampled_from(places))
        if where == "meta":
            args, kwargs = _to_meta(args), _to_meta(kwargs)
        return Call(tuple(args), dict(kwargs), where)

    return build()


def _to_meta(value: Any) -> Any:
    import torch

    if isinstance(value, torch.Tensor):
        moved = value.detach().to("meta")
        return moved.requires_grad_(value.requires_grad) if moved.is_floating_point() else moved
    if isinstance(value, list | tuple):
        return type(value)(_to_meta(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_meta(v) for k, v in value.items()}
    return value


def _maybe_grad(draw: Any, x: Any) -> Any:
    from hypothesis import strategies as st

    if x.is_floating_point() and draw(st.booleans()):
        return x.clone().requires_grad_(True)
    return x


def _container(draw: Any, shape: Any) -> Any:
    import torch
    from hypothesis import strategies as st

    kind = draw(st.sampled_from(("tuple", "tuple", "list", "size")))
    shape = tuple(shape)
    if kind == "list":
        return list(shape)
    if kind == "size" and all(s >= 0 for s in shape):
        return torch.Size(shape)
    return shape


def input_strategy(assignment: str, function: str) -> Any:
    """Hypothesis strategy of :class:`Call` for one graded function."""
    builders: dict[str, Callable[[], Any]] = {
        **_tensors_inputs(),
        **_softmax_inputs(),
        **_mlp_inputs(),
        **_model_selection_inputs(),
        **_cnn_inputs(),
        **_training_inputs(),
    }
    return builders[function]()


def _tensors_inputs() -> dict[str, Callable[[], Any]]:
    import torch
    from hypothesis import strategies as st

    from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors
    from autograder.exercises.tensors import checks

    any_shape = st.lists(st.integers(0, 4), max_size=5)

    @st.composite
    def shape_calls(draw: Any) -> tuple[tuple, dict]:
        shape_list = draw(
            checks.broadcastable_shapes()
            | checks.clashing_shapes()
            | st.lists(any_shape, max_size=4)
        )
        return tuple(_container(draw, s) for s in shape_list), {}

    @st.composite
    def to_calls(draw: Any) -> tuple[tuple, dict]:
        arbitrary = st.tuples(
            tensors(shapes(0, 3, 0, 3), draw(st.sampled_from(FLOAT_DTYPES))),
            st.lists(st.integers(0, 3), max_size=4),
        )
        x, shape = draw(checks.broadcast_to_cases() | checks.impossible_targets() | arbitrary)
        return (_maybe_grad(draw, x), _container(draw, shape)), {}

    @st.composite
    def one_bad_index(draw: Any) -> tuple[Any, int, Any]:
        """A valid case with one index outside [0, input.size(dim))."""
        x, dim, index = draw(checks.gather_cases())
        if index.numel():
            flat = index.clone().reshape(-1)
            size = x.size(dim)
            where = draw(st.integers(0, flat.numel() - 1))
            flat[where] = draw(st.sampled_from((-2, -1, size, size + 1)))
            index = flat.reshape(index.shape)
        return x, dim, index

    @st.composite
    def gather_calls(draw: Any) -> tuple[tuple, dict]:
        arbitrary = st.tuples(
            tensors(shapes(1, 3, 0, 3)),  # 0-d inputs: the reference raises (see the README)
            st.integers(-4, 3),
            tensors(shapes(0, 3, 0, 4), torch.int64, -2, 4),
        )
        x, dim, index = draw(
            checks.gather_cases() | checks.bad_index_shapes() | one_bad_index() | arbitrary
        )
        return (_maybe_grad(draw, x), dim, index), {}

    return {
        "broadcast_shapes": lambda: _placed(shape_calls(), ("cpu",)),
        "broadcast_to": lambda: _placed(to_calls()),
        # Not on meta: the reference compares index values there (and raises).
        "gather": lambda: _placed(gather_calls(), ("cpu", "cpu", "trap")),
    }


SPECIAL_FLOATS = (0.0, -0.0, 1.0, -1.0, 88.7, 100.0, -100.0, 1e4, -1e4)


def _special_tensors(shape: Any, dtype: Any, masked: bool = False) -> Any:
    """Tensors with large values (and, ``masked``, -inf) among ordinary ones."""
    import torch
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    specials = (*SPECIAL_FLOATS, -math.inf) if masked else SPECIAL_FLOATS
    elements = st.sampled_from(specials) | st.floats(-10, 10)
    return hnp.arrays("float64", shape, elements=elements).map(
        lambda a: torch.from_numpy(a.copy()).to(dtype)
    )


def _softmax_inputs() -> dict[str, Callable[[], Any]]:
    from hypothesis import strategies as st

    from autograder.exercises.softmax_regression import checks
    from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors

    @st.composite
    def softmax_calls(draw: Any) -> tuple[tuple, dict]:
        if draw(st.booleans()):
            x, dim, contiguous = draw(checks.softmax_cases())
            if not contiguous and x.dim() >= 2:
                x = x.transpose(0, -1).contiguous().transpose(0, -1)
        else:
            dtype = draw(st.sampled_from(FLOAT_DTYPES))
            x = draw(_special_tensors(draw(shapes(0, 3, 0, 4)), dtype, masked=True))
            dim = draw(st.integers(-4, 3))
        x = _maybe_grad(draw, x)
        how = draw(st.sampled_from(("positional", "keyword", "default")))
        if how == "positional":
            return (x, dim), {}
        return ((x,), {"dim": dim}) if how == "keyword" else ((x,), {})

    def labels_for(draw: Any, n: int, classes: int) -> Any:
        """Labels in [0, classes): n of them, or (now and then) another count."""
        count = draw(st.sampled_from((n, n, n, max(n - 1, 0), n + 1)))
        return draw(checks.labels(count, classes))

    @st.composite
    def probability_calls(draw: Any) -> tuple[tuple, dict]:
        if draw(st.booleans()):
            y_hat, y = draw(checks.probability_cases())
        else:
            shape = draw(shapes(0, 3, 0, 4))
            y_hat = draw(tensors(shape, draw(st.sampled_from(FLOAT_DTYPES)), 0.0, 1.0))
            n = shape[0] if shape else 0
            y = labels_for(draw, n, shape[1] if len(shape) > 1 and shape[1] else 1)
        return (_maybe_grad(draw, y_hat), y), {}

    @st.composite
    def logit_calls(draw: Any) -> tuple[tuple, dict]:
        choice = draw(st.integers(0, 2))
        if choice == 0:
            logits, y = draw(checks.logit_cases())
        else:
            shape = draw(shapes(0, 3, 0, 4) if choice == 1 else shapes(2, 2, 1, 4))
            logits = draw(_special_tensors(shape, draw(st.sampled_from(FLOAT_DTYPES))))
            n = shape[0] if shape else 0
            y = labels_for(draw, n, shape[1] if len(shape) > 1 and shape[1] else 1)
        return (_maybe_grad(draw, logits), y), {}

    return {
        "softmax": lambda: _placed(softmax_calls()),
        "cross_entropy": lambda: _placed(probability_calls()),
        "stable_cross_entropy": lambda: _placed(logit_calls()),
    }


def _mlp_inputs() -> dict[str, Callable[[], Any]]:
    import torch
    from hypothesis import strategies as st

    from autograder.exercises.mlp import checks
    from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors

    probabilities = (
        checks.PROBABILITIES
        | st.floats(-0.5, 1.5)
        | st.sampled_from((0, 1, -1e-9, 1e-9, 1 - 1e-9, 1 + 1e-9, math.nan))
    )

    @st.composite
    def dropout_calls(draw: Any) -> tuple[tuple, dict]:
        dtype = draw(st.sampled_from(FLOAT_DTYPES))
        x = draw(tensors(shapes(0, 3, 0, 5), dtype))
        p = draw(probabilities)
        return (_maybe_grad(draw, x), p), {}

    @st.composite
    def weights(draw: Any) -> Any:
        shape = draw(shapes(0, 5, 0, 6))
        tensor = torch.empty(shape, dtype=draw(st.sampled_from(FLOAT_DTYPES)))
        if draw(st.booleans()):
            tensor = torch.nn.Parameter(tensor)
        return tensor

    @st.composite
    def fan_calls(draw: Any) -> tuple[tuple, dict]:
        return (draw(weights()),), {}

    @st.composite
    def init_calls(draw: Any) -> tuple[tuple, dict]:
        tensor = draw(weights())
        gain = draw(st.sampled_from((None, 1.0, 1, 0.5, math.sqrt(2))) | st.floats(0, 3))
        if gain is None:
            return (tensor,), {}
        return ((tensor, gain), {}) if draw(st.booleans()) else ((tensor,), {"gain": gain})

    return {
        "dropout_layer": lambda: _placed(dropout_calls()),
        "fan_in_and_fan_out": lambda: _placed(fan_calls()),
        "xavier_uniform_": lambda: _placed(init_calls()),
        "xavier_normal_": lambda: _placed(init_calls()),
    }


def _model_selection_inputs() -> dict[str, Callable[[], Any]]:
    from hypothesis import strategies as st

    from autograder.exercises.model_selection import checks
    from autograder.exercises.strategies import shapes

    @st.composite
    def fold_calls(draw: Any) -> tuple[tuple, dict]:
        if draw(st.booleans()):
            k, X, y = draw(checks.fold_cases())
            i = draw(st.integers(0, k - 1) | st.integers(-2, k + 1))
        else:
            n = draw(st.integers(0, 10))
            X, y = checks.make_data(n, draw(shapes(0, 2, 1, 3)))
            y = y[: draw(st.integers(max(n - 1, 0), n))]
            k, i = draw(st.integers(-1, 12)), draw(st.integers(-2, 12))
        return (k, i, X, y), {}

    return {"get_k_fold_data": lambda: _placed(fold_calls())}


def _cnn_inputs() -> dict[str, Callable[[], Any]]:
    from hypothesis import strategies as st

    from autograder.engine.protocol import Placed
    from autograder.exercises.cnn import checks
    from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors

    edge = st.sampled_from((-1, 0, 1, 2))  # where the refusals are
    size = edge | st.integers(-1, 12)
    argument = size | st.lists(size, min_size=1, max_size=3).map(tuple)
    names = ("input_size", "kernel_size", "stride", "padding", "dilation")

    def one_at_the_edge(draw: Any, config: tuple[tuple, dict]) -> tuple[tuple, dict]:
        """A valid configuration with one argument (or one entry of it) set to -1 ... 2."""
        args, kwargs = config
        values = {**dict(zip(names, args)), **kwargs}
        name = draw(st.sampled_from(names))
        value = values.get(name)
        if isinstance(value, tuple):
            entry = draw(st.integers(0, len(value) - 1))
            values[name] = (*value[:entry], draw(edge), *value[entry + 1 :])
        else:
            values[name] = draw(edge)
        return (), values

    def size_calls(configs: Callable[..., Any], arbitrary: Any) -> Any:
        """The checks' configurations, valid or broken, one at the edge, or anything."""

        @st.composite
        def calls(draw: Any) -> tuple[tuple, dict]:
            choice = draw(st.integers(0, 3))
            if choice < 2:
                return draw(configs(broken=choice == 1))
            if choice == 2:
                return one_at_the_edge(draw, draw(configs()))
            return draw(arbitrary)

        return calls()

    conv_anything = st.integers(2, 5).flatmap(lambda count: st.tuples(*[argument] * count))
    pool_anything = st.tuples(size, size, st.none() | size, size, size, st.booleans())
    conv_calls = size_calls(checks.conv_configs, conv_anything.map(lambda args: (args, {})))
    pool_calls = size_calls(
        checks.pool_configs,
        pool_anything.map(lambda args: (args[:5], {"ceil_mode": args[5]})),
    )

    @st.composite
    def corr2d_calls(draw: Any) -> tuple[tuple, dict]:
        if draw(st.booleans()):
            X, K = draw(checks.corr2d_cases())
            if isinstance(X, Placed):
                X = X.tensor.t().contiguous().t()
        else:
            dtype = draw(st.sampled_from(FLOAT_DTYPES))
            X = draw(tensors(shapes(0, 3, 0, 5), dtype, -2, 2))
            K = draw(tensors(shapes(0, 3, 0, 5), dtype, -2, 2))
        return (_maybe_grad(draw, X), _maybe_grad(draw, K)), {}

    return {
        "conv_output_size": lambda: _placed(conv_calls, ("cpu",)),
        "pool_output_size": lambda: _placed(pool_calls, ("cpu",)),
        "corr2d": lambda: _placed(corr2d_calls()),
    }


def _training_inputs() -> dict[str, Callable[[], Any]]:
    import torch
    from hypothesis import strategies as st
    from torch import nn

    from autograder.exercises.training import checks, probes

    @st.composite
    def setup(draw: Any) -> tuple[Any, Any]:
        spec: dict[str, Any] = {"sizes": draw(st.sampled_from(([12, 4], [12, 6, 4])))}
        if len(spec["sizes"]) > 2 and draw(st.booleans()):
            spec["dropout"] = 0.5
        net = probes.build_net(spec, checks.initial_state(spec, draw(st.integers(0, 3))))
        net.train(draw(st.booleans()))
        optimizer = probes.build_optimizer(
            net,
            {"lr": draw(st.sampled_from((0.1, 0.5))), "momentum": draw(st.sampled_from((0, 0.9)))},
        )
        return net, optimizer

    def batches(draw: Any) -> list[tuple[Any, Any]]:
        sizes = draw(st.lists(st.integers(1, 8), max_size=4))
        return checks.make_batches(tuple(sizes), draw(st.integers(0, 3)))

    def device(draw: Any) -> dict[str, Any]:
        choice = draw(st.sampled_from(("absent", None, "cpu", torch.device("cpu"))))
        return {} if choice == "absent" else {"device": choice}

    @st.composite
    def epoch_calls(draw: Any) -> tuple[tuple, dict]:
        net, optimizer = draw(setup())
        return (net, batches(draw), nn.CrossEntropyLoss(), optimizer), device(draw)

    @st.composite
    def accuracy_calls(draw: Any) -> tuple[tuple, dict]:
        net, _ = draw(setup())
        return (net, batches(draw)), device(draw)

    @st.composite
    def train_calls(draw: Any) -> tuple[tuple, dict]:
        net, optimizer = draw(setup())
        train_iter, test_iter = batches(draw), batches(draw)
        epochs = draw(st.integers(0, 3))
        return (net, train_iter, test_iter, nn.CrossEntropyLoss(), epochs, optimizer), device(draw)

    return {
        "train_epoch": lambda: _placed(epoch_calls(), ("cpu",)),
        "evaluate_accuracy": lambda: _placed(accuracy_calls(), ("cpu",)),
        "train": lambda: _placed(train_calls(), ("cpu",)),
    }


class CallTimedOut(Exception):
    """A call ran past CALL_TIMEOUT."""


def observe(function: Callable[..., Any], call: Call) -> dict[str, Any]:
    """What a caller can see of one call: result or exception, inputs after, grads, RNG."""
    import signal

    import torch

    args, kwargs = copy.deepcopy((call.args, call.kwargs))
    torch.manual_seed(20261201)

    def expire(signum: int, frame: Any) -> None:
        raise CallTimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, CALL_TIMEOUT)
    try:
        if call.where == "trap":
            with torch.device("meta"):
                result = function(*args, **kwargs)
        else:
            result = function(*args, **kwargs)
        outcome: Any = ("returns", _normal(result, args))
    except CallTimedOut:
        outcome, result = ("times out",), None
    except Exception as error:  # noqa: BLE001 - any exception is an outcome
        outcome, result = ("raises", type(error).__name__), None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    seen = {
        "outcome": outcome,
        "inputs afterwards": _normal(args, ()),
        "global RNG state afterwards": hashlib.sha256(torch.get_rng_state().numpy()).hexdigest(),
    }
    leaves = [a for a in args if isinstance(a, torch.Tensor) and a.requires_grad and a.is_leaf]
    if (
        leaves
        and isinstance(result, torch.Tensor)
        and result.grad_fn is not None
        and result.device.type != "meta"
    ):
        weights = torch.linspace(-1, 1, max(result.numel(), 1), dtype=torch.float64)
        weights = weights[: result.numel()].reshape(result.shape).to(result.dtype)
        try:
            grads = torch.autograd.grad((result * weights).sum(), leaves, allow_unused=True)
            seen["gradients"] = _normal(list(grads), ())
        except Exception as error:  # noqa: BLE001
            seen["gradients"] = ("raises", type(error).__name__)
    elif leaves:
        seen["gradients"] = "none"
    return seen


def _normal(value: Any, inputs: tuple[Any, ...]) -> Any:
    """A comparable rendering of ``value`` (tensors keep their values for :func:`differ`)."""
    import torch

    for index, argument in enumerate(inputs):
        if value is argument and not isinstance(value, int | float | bool | str | type(None)):
            return ("the input object", index, _normal(value, ()))
    if isinstance(value, torch.Tensor):
        values = None if value.device.type == "meta" else value.detach().cpu()
        return ("tensor", str(value.dtype), tuple(value.shape), value.device.type,
                value.requires_grad, values)  # fmt: skip
    if isinstance(value, torch.nn.Module):
        modes = [m.training for m in value.modules()]
        state = {k: _normal(v, ()) for k, v in value.state_dict().items()}
        return ("module", type(value).__name__, modes, state)
    if isinstance(value, torch.optim.Optimizer):
        return ("optimizer", _normal(value.state_dict()["state"], ()))
    if isinstance(value, dict):
        return ("dict", {str(k): _normal(v, ()) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_normal(v, inputs) for v in value])
    if isinstance(value, bool | int | float | str | type(None)):
        return (type(value).__name__, value)
    if isinstance(value, torch.dtype | torch.device):
        return (type(value).__name__, str(value))
    return (type(value).__name__,)


def differ(a: Any, b: Any, where: str = "") -> str | None:
    """Where two observations differ (None if they agree); floats within a few ulps."""
    import torch

    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        if a.shape != b.shape or a.dtype != b.dtype:
            return where
        if a.is_floating_point():
            eps = torch.finfo(a.dtype).eps
            a64, b64 = a.double(), b.double()
            close = torch.isclose(a64, b64, rtol=16 * eps, atol=16 * eps, equal_nan=True)
            return None if bool(close.all()) else f"{where} values"
        return None if torch.equal(a, b) else f"{where} values"
    if isinstance(a, float) and isinstance(b, float):
        same = a == b or (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9)
        return None if same else where
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{where} keys"
        for key in a:
            found = differ(a[key], b[key], f"{where} {key}".strip())
            if found:
                return found
        return None
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if type(a) is not type(b) or len(a) != len(b):
            return where or "structure"
        for x, y in zip(a, b):
            found = differ(x, y, where)
            if found is not None:
                return found
        return None
    return None if (type(a) is type(b) and a == b) else where


def _summary(seen: dict[str, Any]) -> str:
    outcome = seen["outcome"]
    if outcome[0] != "returns":
        return " ".join(str(part) for part in outcome)
    return "returns " + _shown_value(outcome[1])


def _shown_value(value: Any) -> str:
    import torch

    if not isinstance(value, tuple) or not value:
        return repr(value)
    kind = value[0]
    if kind == "tensor":
        _, dtype, shape, device, grad, values = value
        if isinstance(values, torch.Tensor) and 0 < values.numel() <= 12:
            return f"tensor({values.tolist()}, {dtype}, {device})"
        return f"tensor(shape={shape}, {dtype}, {device})"
    if kind in ("tuple", "list"):
        inner = ", ".join(_shown_value(v) for v in value[1])
        comma = "," if kind == "tuple" and len(value[1]) == 1 else ""
        return f"({inner}{comma})" if kind == "tuple" else f"[{inner}]"
    if kind == "the input object":
        return f"its input #{value[1] + 1} itself"
    if kind in ("int", "float", "bool", "str", "NoneType"):
        return repr(value[1])
    return kind


def search_equivalence(assignment: str, function: str, path: str, examples: int) -> dict:
    """Try ``examples`` inputs; the first (shrunk) input that tells them apart, if any."""
    import importlib
    import importlib.util

    from hypothesis import HealthCheck, Phase, given, settings

    reference = getattr(importlib.import_module(f"autograder_solutions.{assignment}"), function)
    spec = importlib.util.spec_from_file_location(f"mutant_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    mutant = getattr(module, function)
    found: dict[str, Any] = {}

    class Distinguished(Exception):
        pass

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
    )
    @given(input_strategy(assignment, function))
    def search(call: Call) -> None:
        expected, got = observe(reference, call), observe(mutant, call)
        difference = differ(expected, got)
        if difference is not None:
            found["difference"] = (
                f"{function}{call!r}: reference {_summary(expected)}, mutant {_summary(got)}"
                f" (they differ in: {difference})"
            )
            raise Distinguished

    try:
        search()
    except Distinguished:
        return {"verdict": "distinguished", "difference": found["difference"]}
    except Exception as error:  # noqa: BLE001 - e.g. hypothesis' Flaky
        if found:
            return {"verdict": "distinguished", "difference": found["difference"]}
        return {"verdict": "undecided", "difference": f"undecided: {error!r}"[:300]}
    return {"verdict": "equivalent", "examples": examples}


# ---------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------


def report(verdicts: list[Verdict], console: Any) -> dict[str, dict[str, Any]]:
    from rich.table import Table

    rows: dict[str, dict[str, Any]] = {}
    for verdict in verdicts:
        mutant = verdict.mutant
        row = rows.setdefault(
            f"{mutant.assignment}.{mutant.function}",
            {"total": 0, "killed": 0, "trivial": 0, "collateral": 0, "equivalent": 0,
             "survived": 0},
        )  # fmt: skip
        row["total"] += 1
        row[verdict.status] += 1
        row["trivial"] += verdict.trivial
    table = Table(title="Mutation testing of the checks", show_lines=False)
    columns = ("total", "killed", "trivially", "collateral", "equivalent", "survivors", "kill rate")
    table.add_column("function", no_wrap=True)
    for column in columns:
        table.add_column(column, justify="right", no_wrap=True)
    totals = dict.fromkeys(
        ("total", "killed", "trivial", "collateral", "equivalent", "survived"), 0
    )
    for name, row in rows.items():
        row["kill rate"] = _rate(row)
        for key in totals:
            totals[key] += row[key]
        table.add_row(name, *_cells(row))
    table.add_section()
    table.add_row("all", *_cells({**totals, "kill rate": _rate(totals)}))
    console.print(table)

    collateral = [v for v in verdicts if v.collateral]
    if collateral:
        console.print("\nCollateral (another function lost points; should not happen):")
        for verdict in collateral:
            _print_mutant(console, verdict, f"also cost points in: {', '.join(verdict.collateral)}")
    equivalent = [v for v in verdicts if v.status == "equivalent"]
    if equivalent:
        console.print(f"\nSet aside as equivalent ({len(equivalent)}):")
        for verdict in equivalent:
            _print_mutant(console, verdict, verdict.equivalence)
    survivors = [v for v in verdicts if v.status == "survived"]
    console.print(f"\nSurvivors: gaps in the checks ({len(survivors)}):")
    for verdict in survivors:
        _print_mutant(console, verdict, f"told apart by: {verdict.distinguished_by}")
    if not survivors:
        console.print("  none")
    return rows


def _rate(row: dict[str, Any]) -> float | None:
    considered = row["total"] - row["equivalent"]
    return row["killed"] / considered if considered else None


def _cells(row: dict[str, Any]) -> list[str]:
    rate = row["kill rate"]
    return [
        str(row["total"]),
        str(row["killed"]),
        str(row["trivial"]),
        str(row["collateral"]),
        str(row["equivalent"]),
        str(row["survived"]),
        "-" if rate is None else f"{100 * rate:.1f} %",
    ]


def _print_mutant(console: Any, verdict: Verdict, note: str) -> None:
    mutant = verdict.mutant
    lines = [
        f"  {mutant.where}  {mutant.name}  [{mutant.operator}]",
        f"      - {mutant.original}",
        f"      + {mutant.mutated}",
        f"      {note}",
    ]
    console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def _judge_all(
    mutants: list[Mutant], allowed: dict, examples: int, jobs: int, console: Any
) -> list[Verdict]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    verdicts: list[Verdict] = []
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("grading mutants", total=len(mutants))
        if jobs <= 1:
            _worker_setup()
            for mutant in mutants:
                progress.update(task, description=f"grading {mutant.name}")
                verdicts.append(judge(mutant, allowed, examples))
                progress.advance(task)
            return verdicts
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_setup) as pool:
            futures = [pool.submit(judge, m, allowed, examples) for m in mutants]
            for future in as_completed(futures):
                verdicts.append(future.result())
                progress.advance(task)
    order = {m.name: i for i, m in enumerate(mutants)}
    return sorted(verdicts, key=lambda v: order[v.mutant.name])


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_equivalence":
        assignment, function, path, examples = argv[1:5]
        print(json.dumps(search_equivalence(assignment, function, path, int(examples))))
        return 0
    from rich.console import Console

    from autograder.grading.registry import ASSIGNMENT_NAMES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assignment", action="append", choices=ASSIGNMENT_NAMES)
    parser.add_argument("--function", action="append", help="only these graded functions")
    parser.add_argument(
        "--limit", type=int, help="at most N mutants per function, spread over its mutants"
    )
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--examples", type=int, default=EXAMPLES, help="inputs tried per survivor")
    parser.add_argument("--json", type=Path, help="also write every verdict to this file")
    parser.add_argument("--list", action="store_true", help="list the mutants, grade nothing")
    options = parser.parse_args(argv)

    console = Console()
    if not console.is_terminal:
        console = Console(width=140)  # a log file: room for the table
    mutants: list[Mutant] = []
    for assignment in options.assignment or ASSIGNMENT_NAMES:
        everything = assignment_mutants(assignment)
        for function in graded_functions(assignment):
            if options.function and function not in options.function:
                continue
            mine = [m for m in everything if m.function == function]
            mutants += spread(mine, options.limit)
    if options.list:
        for mutant in mutants:
            console.print(
                f"{mutant.where}  {mutant.name}  [{mutant.operator}]  {mutant.mutated}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        return 0
    allowed = load_allowlist()
    started = time.monotonic()
    verdicts = _judge_all(mutants, allowed, options.examples, options.jobs, console)
    rows = report(verdicts, console)
    minutes = (time.monotonic() - started) / 60
    console.print(f"\n{len(verdicts)} mutants graded in {minutes:.1f} min with {options.jobs} jobs")
    used = {(v.mutant.function, *v.mutant.key()) for v in verdicts}
    graded = {v.mutant.function for v in verdicts}
    stale = [key for key in allowed if key[0] in graded and key not in used and not options.limit]
    for function, operator, _, mutated in stale:
        console.print(
            f"allowlist entry matches no mutant: {function} [{operator}] {mutated}",
            markup=False,
            highlight=False,
        )
    if options.json:
        records = []
        for verdict in verdicts:
            record = asdict(verdict)
            record["mutant"].pop("source")
            records.append(record)
        summary = {"functions": rows, "mutants": records, "minutes": round(minutes, 1)}
        options.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
