"""Hostile students against the class's platforms: nbgrader's autograded notebooks,
Gradescope's container, the class files an instructor opens.

Each test is an attack a student can mount through what they hand in; it must fail.
"""

from __future__ import annotations

import nbformat
import pytest

from autograder.batch.model import StudentResult
from autograder.batch.nbgrader_feedback import autograded_notebook
from tests.notebooklib import RELEASE, grade_id

FORGED = "✓ every check passed (10/10)"


@pytest.mark.unit
@pytest.mark.parametrize("cell_type", ["markdown", "raw"])
def test_a_test_cell_turned_into_text_is_put_back_as_the_instructors(tmp_path, cell_type):
    """nbgrader's OverwriteCells restores a test cell's type: a student who turns the test
    cell into a markdown (or raw HTML) cell of their own must not have their text shown,
    with the cell's points, where our feedback belongs."""
    notebook = nbformat.read(RELEASE / "tensors" / "tensors.ipynb", as_version=4)
    index = next(i for i, c in enumerate(notebook.cells) if grade_id(c) == "test-broadcast_shapes")
    forged = nbformat.v4.new_markdown_cell(FORGED)
    forged.cell_type = cell_type
    forged.metadata = {
        "nbgrader": {
            "grade": True,
            "grade_id": "test-broadcast_shapes",
            "locked": False,
            "solution": True,
            "points": 10,
            "schema_version": 3,
        },
        "format": "text/html",
    }
    if cell_type == "raw":
        forged.metadata["raw_mimetype"] = "text/html"
    else:
        del forged["metadata"]["format"]
    notebook.cells[index] = forged
    submitted = tmp_path / "tensors.ipynb"
    nbformat.write(notebook, submitted)

    result = StudentResult("mallory", str(submitted))
    sources = {"test-broadcast_shapes": "grade('broadcast_shapes')"}
    maxima = {"test-broadcast_shapes": 10.0}
    autograded = autograded_notebook(submitted, result, "tensors", sources, maxima)

    (cell,) = [c for c in autograded.cells if grade_id(c) == "test-broadcast_shapes"]
    assert cell.cell_type == "code"
    assert cell.source == sources["test-broadcast_shapes"]
    assert cell.metadata.nbgrader["grade"] is True and cell.metadata.nbgrader["locked"] is True
    assert not cell.metadata.nbgrader.get("solution")
    (output,) = cell.outputs
    assert FORGED not in output.text
    assert FORGED not in nbformat.writes(autograded)
