"""Notebook submissions: a notebook's code graded like a module.

Two ways in, one result:

- ``autograder grade tensors.ipynb``: :func:`autograder.notebook_source.notebook_source`
  takes the student's code cells (not the autograded test cells, not shell ``!`` or magic
  ``%`` lines) and the notebook is graded like the equivalent ``tensors.py``, with the same
  checks and the same score.
- the test cell under each exercise of a released notebook calls :func:`check`, which
  collects the code the running kernel defined (the cells that define the functions, and the
  assignment's imports), grades that one function the way ``autograder grade`` does, prints
  the feedback and returns the points, the cell's value (nbgrader's autograde reads it as
  the cell's partial credit).  The grade of record is ``autograder grade-nbgrader``'s.
"""

from __future__ import annotations

import ast
import importlib.util
import linecache
import re
import sys
import tempfile
import time
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograder.notebook_source import TEST_CELL, CellLines, join_located_cells

# The name a student's cell gives the feedback's language: FEEDBACK_LANGUAGE = "zh".
LANGUAGE_VARIABLE = "FEEDBACK_LANGUAGE"


# ---------------------------------------------------------------------------------------
# The running kernel -> module source
# ---------------------------------------------------------------------------------------
def _without_ipython_calls(source: str) -> str:
    """IPython caches ``%magic`` as ``get_ipython().run_line_magic(...)``: make it ``pass``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines(keepends=True)
    for node in ast.walk(tree):
        value = getattr(node, "value", None)
        if not isinstance(node, ast.Expr | ast.Assign) or not isinstance(value, ast.Call):
            continue
        func = value.func
        owner = func.value if isinstance(func, ast.Attribute) else None
        if (
            isinstance(owner, ast.Call)
            and isinstance(owner.func, ast.Name)
            and owner.func.id == "get_ipython"
        ):
            first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
            indent = re.match(r"[ \t]*", lines[first]).group(0)
            lines[first] = f"{indent}pass\n"
            for index in range(first + 1, last + 1):
                lines[index] = "\n"
    return "".join(lines)


def _cell_file(obj: object) -> str | None:
    """The kernel cell (a linecache entry) that defined a function or class."""
    code = getattr(obj, "__code__", None)
    if code is None and isinstance(obj, type):
        code = next(
            (getattr(v, "__code__", None) for v in vars(obj).values() if hasattr(v, "__code__")),
            None,
        )
    filename = getattr(code, "co_filename", None)
    return filename if filename in linecache.cache else None


def _bound_names(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _imports(namespace: Mapping[str, Any], known: set[str]) -> list[str]:
    """Import statements for the modules and library objects the kernel has names for."""
    lines = []
    for name, value in namespace.items():
        if name.startswith("_") or name in known:
            continue
        if isinstance(value, types.ModuleType):
            module, attribute = value.__name__, None
        else:
            module = getattr(value, "__module__", None)
            attribute = getattr(value, "__qualname__", None)
            if not (callable(value) and module and attribute) or "." in attribute:
                continue
        if module == "__main__" or module.split(".")[0] in {"autograder", "IPython", "ipykernel"}:
            continue
        loaded = sys.modules.get(module)
        if loaded is None or (attribute and getattr(loaded, attribute, None) is not value):
            continue
        if attribute is None:
            lines.append(f"import {module} as {name}" if module != name else f"import {name}")
        else:
            lines.append(f"from {module} import {attribute} as {name}")
    return lines


def layout_source(assignment: str) -> str:
    """The module a notebook is laid out like: the kit's stub, or the reference solution."""
    stub = Path(__file__).resolve().parent / "stubs" / f"{assignment}.py"
    if stub.is_file():
        return stub.read_text(encoding="utf-8")
    from autograder.grading.registry import load_assignment

    spec = importlib.util.find_spec(load_assignment(assignment).reference_module)
    return Path(spec.origin).read_text(encoding="utf-8")


def kernel_source(assignment: str, namespace: Mapping[str, Any]) -> str:
    """The module the kernel's definitions amount to (:func:`kernel_module`)."""
    return kernel_module(assignment, namespace)[0]


def kernel_module(assignment: str, namespace: Mapping[str, Any]) -> tuple[str, CellLines]:
    """The module the kernel's definitions amount to, for grading one assignment, and the
    cell of each of its lines: an exercise's cell by the notebook's heading of it
    (``Exercise 3: gather``), another by its execution count (``[7]``).

    It follows the notebook: the setup cell (the assignment's imports) and the provided
    code in the reference module's order, with the kernel's own cell in place of every
    function or class it defines; then the other cells that defined functions or classes
    still in the namespace (the student's helpers), in the order they last ran; imports for
    the other modules the kernel has names for go after the setup.
    """
    from autograder.release.module import split_module

    reference = split_module(layout_source(assignment))
    module_name = namespace.get("__name__", "__main__")

    def defined_in(value: object) -> str | None:
        if not isinstance(value, types.FunctionType | type):
            return None
        return _cell_file(value) if getattr(value, "__module__", None) == module_name else None

    shell = namespace.get("get_ipython", lambda: None)()
    order = getattr(getattr(shell, "compile", None), "_filename_map", {})
    helpers = sorted(
        {file for value in namespace.values() if (file := defined_in(value))},
        key=lambda file: (order.get(file, 0), file),
    )
    used: set[str] = set()
    exercises = {exercise.name for exercise in _exercises(assignment)}
    headings = {
        block.name: f"Exercise {number}: {block.name}"  # as the notebook's heading says
        for number, block in enumerate(
            (b for b in reference.blocks if b.name in exercises and b.kind != "code"), start=1
        )
    }

    def cell(file: str, label: str | None = None) -> tuple[str, str | None]:
        used.add(file)
        source = _without_ipython_calls("".join(linecache.cache[file][2]))
        return source, label or f"[{order.get(file, '?')}]"

    pieces: list[tuple[str, str | None]] = [(reference.header, None)]
    for block in reference.blocks:
        if block.kind == "code":
            pieces.append((block.source, None))
        elif (file := defined_in(namespace.get(block.name))) and file not in used:
            pieces.append(cell(file, headings.get(block.name)))
    pieces += [cell(file) for file in helpers if file not in used]
    pieces = [piece for piece in pieces if not TEST_CELL.search(piece[0])]
    known = _bound_names("\n".join(b.source for b in reference.blocks if b.kind == "code"))
    imports = "\n".join(_imports(namespace, known | _bound_names(reference.header)))
    return join_located_cells([pieces[0], (imports, None), *pieces[1:]])


def _exercises(assignment: str) -> list:
    from autograder.grading.registry import load_assignment

    return list(load_assignment(assignment).exercises)


def check(
    assignment: str, function: str, namespace: Mapping[str, Any], language: str | None = None
) -> float:
    """Grade ``function`` as the kernel defines it; print the feedback, return the points.

    The feedback is in ``language`` (``"en"`` or ``"zh"``); without it, in the notebook's
    ``FEEDBACK_LANGUAGE`` if a cell set one, else English: the notebooks are bilingual, and
    their test cells are locked, so a student chooses the language in a cell of their own.

    Only the checks students see run here (hidden ones run in the instructor's grader): the
    points are the visible checks' share of the exercise's points.  The test cell ends with
    this call, so the points are the cell's value: nbgrader reads a number there as the
    cell's partial credit.  Never raises for a wrong function: a test
    cell that raised would get 0 from nbgrader whatever the function's partial credit.
    (The grade of record comes from ``autograder grade-nbgrader``, in the sandbox; a
    student can redefine this function in their kernel.)
    """
    from autograder.engine.sandbox import Limits
    from autograder.grading.config import GradingConfig
    from autograder.grading.grade import grade_module, in_cells
    from autograder.grading.model import GradeReport
    from autograder.grading.registry import load_assignment
    from autograder.i18n import LANGUAGES, T, translate
    from autograder.report.text import render_text

    lang = language or namespace.get(LANGUAGE_VARIABLE) or "en"
    if lang not in LANGUAGES:
        raise ValueError(
            f"language {lang!r}: the feedback is in one of {', '.join(LANGUAGES)} "
            f'(e.g. {LANGUAGE_VARIABLE} = "zh")'
        )
    graded = load_assignment(assignment)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="autograder-notebook-") as scratch:
        path = Path(scratch) / f"{assignment}.py"
        source, cells = kernel_module(assignment, namespace)
        path.write_text(source, encoding="utf-8")
        # Feedback in the student's kernel, on the student's machine: a weaker sandbox
        # (where user namespaces are refused) still gives it.
        results = grade_module(
            graded,
            path,
            only=[function],
            visible_only=True,
            config=GradingConfig.from_environment(limits=Limits(weak_sandbox=True)),
        )
    # Lines said as the notebook's cells and lines in them, not the module's.
    results = in_cells(results, cells, assignment, f"{assignment}.ipynb")
    report = GradeReport(results=results, execution_time=time.monotonic() - start)
    if not results:
        return 0.0
    heading = T(
        "exercise {function} of the {assignment} notebook", function=function, assignment=assignment
    )
    print(render_text(report, lang=lang, heading=lambda _: translate(heading, lang)), end="")
    if report.score < report.max_score:
        advice = T(
            "{function}: {score}/{max_score} points; read the feedback above, fix the "
            "function, run its cell and this one again.",
            function=function,
            score=f"{report.score:g}",
            max_score=f"{report.max_score:g}",
        )
        print(translate(advice, lang))
    # The cell is worth the exercise's points, hidden checks included: the visible checks'
    # share of them, so passing every visible check gives the cell's points (the grade of
    # record, with the hidden checks, comes from the sandboxed grader).
    exercise = next(e for e in graded.exercises if e.name == function)
    share = report.score / report.max_score if report.max_score else 0.0
    return float(min(round(share * exercise.max_score, 4), exercise.max_score))
