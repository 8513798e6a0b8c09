"""Helpers for the project's tests: grade sources and splice mutants into solutions."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from autograder.grading.grade import grade_module
from autograder.grading.model import CheckResult
from autograder.grading.registry import load_assignment

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
ASSIGNMENTS = ROOT / "assignments"
MUTANTS = Path(__file__).resolve().parent / "mutants"


def by_function(results: list[CheckResult]) -> dict[str, tuple[float, float]]:
    """{function: (score, max_score)} for a list of check results."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for result in results:
        totals[result.function][0] += result.score
        totals[result.function][1] += result.max_score
    return {name: (score, total) for name, (score, total) in totals.items()}


def grade_file(path: Path, assignment: str, **kwargs) -> list[CheckResult]:
    return grade_module(load_assignment(assignment), path, **kwargs)


def grade_source(tmp_path: Path, assignment: str, source: str, **kwargs) -> list[CheckResult]:
    path = tmp_path / f"{assignment}.py"
    path.write_text(source, encoding="utf-8")
    return grade_file(path, assignment, **kwargs)


def grade_replacement(
    tmp_path: Path, assignment: str, replacement: str, function: str
) -> list[CheckResult]:
    """Grade ``function`` of the reference solution with ``replacement`` spliced in."""
    source = splice((SOLUTIONS / f"{assignment}.py").read_text(), replacement)
    return grade_source(tmp_path, assignment, source, only=[function])


def splice(module_source: str, replacement_source: str) -> str:
    """Replace the module's top-level functions by those defined in ``replacement_source``.

    Everything else the replacement holds (imports, helper functions) is added at the end,
    so a mutant file is just the wrong function plus whatever it needs.
    """
    module = ast.parse(module_source)
    replacement = ast.parse(replacement_source)
    replaced = {node.name for node in replacement.body if isinstance(node, ast.FunctionDef)}
    lines = module_source.splitlines(keepends=True)
    spans = [
        (node.lineno - 1 - len(node.decorator_list), node.end_lineno)
        for node in module.body
        if isinstance(node, ast.FunctionDef) and node.name in replaced
    ]
    kept = [
        line
        for index, line in enumerate(lines)
        if not any(start <= index < end for start, end in spans)
    ]
    return "".join(kept) + "\n\n" + replacement_source


def mutant_files(assignment: str | None = None) -> list[Path]:
    """Every mutant: tests/mutants/<assignment>/<function>/<name>.py."""
    pattern = f"{assignment}/*/*.py" if assignment else "*/*/*.py"
    return sorted(MUTANTS.glob(pattern))


def correct_files(assignment: str | None = None) -> list[Path]:
    """Differently written correct implementations: tests/correct/<assignment>/<name>.py."""
    pattern = f"{assignment}/*.py" if assignment else "*/*.py"
    return sorted((MUTANTS.parent / "correct").glob(pattern))
