"""The nbgrader *source* notebook of one assignment, built from its solution module.

Cells, in the module's order (nbgrader's cell types in brackets):

- the introduction: the module docstring, in English and every translated language [read-only];
- the setup cell: the module's imports [read-only];
- per graded function: a teaching cell [read-only], the function with its solution between
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` [solution], and a test cell worth the
  exercise's points that runs the autograder's visible checks on it and leaves the points
  as its value, nbgrader's partial credit [autograded tests];
- any other top-level code of the module [read-only, or solution if it has a solution block].

nbgrader's ``generate_assignment`` turns it into the student notebook.
"""

from __future__ import annotations

import re

import nbformat
from nbformat.notebooknode import NotebookNode

from autograder.grading.model import Assignment, Exercise
from autograder.release.module import ModuleParts
from autograder.release.stubs import SOLUTION_BLOCK
from autograder.release.teaching import exercise_markdown, intro_markdown

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _cell_id(grade_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", grade_id)[:64]


def _nbgrader(cell: NotebookNode, grade_id: str, *, solution=False, grade=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    cell.id = _cell_id(grade_id)
    return cell


def _markdown(source: str, grade_id: str) -> NotebookNode:
    return _nbgrader(nbformat.v4.new_markdown_cell(source.rstrip("\n")), grade_id)


def _code(source: str, grade_id: str, **kwargs) -> NotebookNode:
    return _nbgrader(nbformat.v4.new_code_cell(source.rstrip("\n")), grade_id, **kwargs)


def test_source(name: str, exercise: Exercise) -> str:
    """The autograded test cell: our visible checks on the function defined above it.

    Its last expression is the call, so the cell's value is the points (nbgrader's autograde
    reads a number there as partial credit); hidden checks run only in the instructor's
    grader (``autograder grade-nbgrader``), never in the student's kernel.
    """
    return "\n".join(
        [
            f"# Test cell: runs the autograder's checks on {exercise.name} "
            f"({exercise.max_score:g} points).",
            "from autograder.notebook import check",
            "",
            f'check("{name}", "{exercise.name}", globals())',
        ]
    )


def source_notebook(assignment: Assignment, parts: ModuleParts) -> NotebookNode:
    """The instructor's notebook (with solutions) for one assignment."""
    name = assignment.name
    exercises = {exercise.name: exercise for exercise in assignment.exercises}
    cells = [_markdown(intro_markdown(name, parts.docstring), "intro")]
    if parts.header.strip():
        cells.append(_code(parts.header, "setup"))
    number = 0
    for index, block in enumerate(parts.blocks):
        # An exercise may be a class (modules.MLP): graded like a function.
        exercise = exercises.get(block.name) if block.kind in ("function", "class") else None
        if exercise is None:
            grade_id = block.name or f"code-{index}"
            solution = SOLUTION_BLOCK.search(block.source) is not None
            cells.append(_code(block.source, grade_id, solution=solution))
            continue
        number += 1
        text = exercise_markdown(name, block.name, number, exercise.max_score, block.docstring)
        cells += [
            _markdown(text, f"{block.name}-text"),
            _code(block.source, block.name, solution=True),
            _code(
                test_source(name, exercise),
                f"test-{block.name}",
                grade=True,
                points=exercise.max_score,
            ),
        ]
    defined = {b.name for b in parts.blocks if b.kind in ("function", "class")}
    missing = sorted(set(exercises) - defined)
    if missing:
        raise ValueError(f"{name}: graded functions missing from the solution: {missing}")
    metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "autograder": {"assignment": name},
    }
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    nbformat.validate(notebook)
    return notebook
