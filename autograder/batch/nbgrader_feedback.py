"""nbgrader's ``autograded/`` notebooks, written from our grading: what ``nbgrader
generate_feedback`` turns into each student's feedback and the formgrader shows.

``nbgrader autograde`` would run the student's notebook and save it in
``autograded/<student>/<assignment>/``.  Our grader runs no notebook: the notebook saved
there is the submission with the instructor's test cells put back (from the gradebook, as
autograde's ``OverwriteCells`` does: a student cannot change what a test cell shows), every
code cell's outputs cleared (outputs a student saved are not ours to show), and each test
cell's output our feedback on its function, check by check, with the cell's points in its
metadata.  The points themselves are in the gradebook (:func:`.nbgrader.write_grades`),
which ``generate_feedback`` reads.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from autograder.batch.model import StudentResult
from autograder.batch.nbgrader import TEST_CELL_PREFIX, Course
from autograder.grading.model import CheckResult
from autograder.notebook_source import LARGEST_NOTEBOOK, read_notebook
from autograder.report.common import check_name, feedback, points


def cell_feedback(results: Sequence[CheckResult], lang: str = "en") -> str:
    """A test cell's output: each check of its function, passed or failed, and why."""
    lines = []
    for result in results:
        mark = "✓" if result.passed else "✗"
        lines.append(
            f"{mark} {check_name(result, lang)} ({points(result.score)}/{points(result.max_score)})"
        )
        if not result.passed:
            lines += [f"    {line}" for line in feedback(result, lang).splitlines()]
    return "\n".join(lines) + "\n"


def _submitted_notebook(folder: Path, assignment: str) -> Path | None:
    path = folder / f"{assignment}.ipynb"
    # A notebook past the grader's size limit is not read here either (nbgrader reads it
    # whole as well): grading refused it too, as it refused a link.
    if path.is_symlink() or not path.is_file() or path.stat().st_size > LARGEST_NOTEBOOK:
        return None
    return path


def autograded_notebook(
    submitted: Path,
    result: StudentResult,
    assignment: str,
    sources: dict[str, str],
    maxima: dict[str, float],
    roles: dict[str, dict[str, bool]],
):
    """The submission as ``nbgrader autograde`` would save it, with our feedback.

    ``roles``: each cell of the gradebook, by id, as ``{"grade": .., "solution": ..,
    "task": ..}``.  A student's cell keeps those roles only: ``generate_feedback`` looks
    up a grade or a comment for every cell that claims one, and stops at one it lacks.
    """
    notebook = read_notebook(submitted)
    by_function: dict[str, list[CheckResult]] = {}
    for check in result.results:
        if check.assignment == assignment:
            by_function.setdefault(check.function, []).append(check)
    for index, cell in enumerate(notebook.cells):
        metadata = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = metadata.get("grade_id", "") if isinstance(metadata, dict) else ""
        if grade_id in sources:
            # The instructor's test cell, whatever the student made of it (a markdown or
            # raw cell of their own would show their text with its points).
            notebook.cells[index] = _test_cell(grade_id, sources, maxima, by_function)
            if "id" in cell:  # (nbformat 4.5's cell ids: kept, not drawn anew)
                notebook.cells[index]["id"] = cell["id"]
            continue
        if "nbgrader" in cell.get("metadata", {}):
            if grade_id in roles:
                cell.metadata.nbgrader.update(roles[grade_id])
            else:  # an id the gradebook does not know (as nbgrader's OverwriteCells drops)
                del cell.metadata["nbgrader"]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return notebook


def _test_cell(
    grade_id: str,
    sources: dict[str, str],
    maxima: dict[str, float],
    by_function: dict[str, list[CheckResult]],
):
    """A test cell as the instructor wrote it (source and nbgrader metadata), with our
    feedback on its function as its output."""
    import nbformat

    checks = by_function.get(grade_id.removeprefix(TEST_CELL_PREFIX))
    text = cell_feedback(checks) if checks else "not graded: no check of this function\n"
    cell = nbformat.v4.new_code_cell(sources[grade_id])
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": grade_id,
        "locked": True,
        "points": maxima[grade_id],
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return cell


def write_autograded(
    course: Course, assignment: str, results: Sequence[StudentResult], folders: dict[str, Path]
) -> list[Path]:
    """Write ``autograded/<student>/<assignment>/<assignment>.ipynb`` (and the submission's
    ``timestamp.txt``) for every student whose submission holds the notebook; the files."""
    import nbformat

    with course.gradebook() as gradebook:
        notebook = gradebook.find_notebook(assignment, assignment)
        sources = {
            cell.name: cell.source
            for cell in notebook.source_cells
            if cell.name.startswith(TEST_CELL_PREFIX)
        }
        maxima = {cell.name: float(cell.max_score) for cell in notebook.grade_cells}
        kinds = {
            kind: {cell.name for cell in getattr(notebook, f"{kind}_cells")}
            for kind in ("grade", "solution", "task")
        }
        roles = {
            cell.name: {kind: cell.name in names for kind, names in kinds.items()}
            for cell in notebook.source_cells
        }
    sources = {name: source for name, source in sources.items() if name in maxima}
    written: list[Path] = []
    for result in results:
        folder = folders.get(result.student)
        submitted = _submitted_notebook(folder, assignment) if folder else None
        if submitted is None:
            continue
        try:
            autograded = autograded_notebook(submitted, result, assignment, sources, maxima, roles)
        except Exception:  # noqa: BLE001 - any notebook nbformat chokes on (a cell's
            # metadata a list: TypeError), not only one it refuses: the gradebook has its
            # points all the same, and the students after this one get their notebooks
            continue
        target = course.autograded(result.student, assignment)
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"{assignment}.ipynb"
        nbformat.write(autograded, path)
        written.append(path)
        timestamp = folder / "timestamp.txt"
        if timestamp.is_file() and not timestamp.is_symlink():
            shutil.copyfile(timestamp, target / "timestamp.txt")
    return written
