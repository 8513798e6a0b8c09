"""Helpers for the notebook tests: the committed notebooks, filled in like a student would."""

from __future__ import annotations

import nbformat

from tests.gradelib import ROOT

SOURCE = ROOT / "source"
RELEASE = ROOT / "release"


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def solution_cells(assignment: str) -> dict[str, str]:
    """{grade_id: source} of the solution cells of the instructor's notebook."""
    notebook = nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)
    return {
        grade_id(cell): cell.source
        for cell in notebook.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }


def filled_notebook(assignment: str, answers: dict[str, str] | None = None):
    """The student notebook with solution cells replaced by ``answers`` (default: ours)."""
    notebook = nbformat.read(RELEASE / assignment / f"{assignment}.ipynb", as_version=4)
    answers = solution_cells(assignment) if answers is None else answers
    for cell in notebook.cells:
        if grade_id(cell) in answers:
            cell.source = answers[grade_id(cell)]
    return notebook
