"""``autograder grade-nbgrader``: nbgrader keeps the course, our grader writes the grades.

One temporary course per module (the release built by tests/test_release.py's ``course``
fixture, copied): nbgrader's own ``generate_assignment`` made the gradebook, three students
submit ``tensors``, the command grades them in the sandbox and nbgrader's own ``export``
reads the grades back:

- ``correct``: the solutions, full marks;
- ``partial``: one function replaced by a mutant, the same points per test cell as
  ``autograder grade`` gives each function of the same notebook;
- ``patcher``: the release's stubs plus an answer cell that replaces the test cells' check
  by a function returning None (which nbgrader's own autograde would take for full
  marks), 0.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from autograder.batch.model import StudentResult
from autograder.batch.nbgrader import (
    cell_scores,
    open_course,
    submission_time,
    submitted_students,
    write_grades,
)
from autograder.batch.pool import failed_results
from autograder.cli import main
from autograder.grading.grade import grade_path
from autograder.grading.registry import load_assignment
from tests.classroom import autograder
from tests.gradelib import MUTANTS, by_function
from tests.notebooklib import RELEASE, filled_notebook, grade_id
from tests.test_release import course  # noqa: F401 - the session's release course fixture

pytestmark = [
    pytest.mark.xdist_group("nbgrader"),
    pytest.mark.filterwarnings("ignore:Object of type"),  # nbgrader's SQLAlchemy warnings
]

MUTANT = MUTANTS / "tensors" / "broadcast_shapes" / "no_error.py"
PATCH = "import autograder.notebook as nb\nnb.check = lambda *a, **k: None\n"
TOTAL = load_assignment("tensors").max_score


def _submissions() -> dict[str, nbformat.NotebookNode]:
    partial = filled_notebook("tensors")
    for cell in partial.cells:
        if grade_id(cell) == "broadcast_shapes":
            cell.source = MUTANT.read_text()
    patcher = nbformat.read(RELEASE / "tensors" / "tensors.ipynb", as_version=4)
    for cell in patcher.cells:
        if grade_id(cell) == "broadcast_shapes":  # an answer cell: the student may edit it
            cell.source += "\n\n" + PATCH
    return {"correct": filled_notebook("tensors"), "partial": partial, "patcher": patcher}


def _nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    scripts = str(Path(sys.executable).parent)  # nbgrader runs alembic from there
    env = {**os.environ, "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")])}
    # nbconvert's templates (generate_feedback's HTML), in the environment that installed
    # it: a virtual environment reusing another's packages has none of its own.
    import nbconvert

    shared = Path(nbconvert.__file__).resolve().parents[4] / "share" / "jupyter"
    if shared.is_dir():
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(shared), env.get("JUPYTER_PATH")]))
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def graded(course, tmp_path_factory):  # noqa: F811 - the imported fixture
    """The course with three submissions, graded by the command, then exported by nbgrader."""
    copy = Path(shutil.copytree(course, tmp_path_factory.mktemp("nbgrader") / "course"))
    for student, notebook in _submissions().items():
        folder = copy / "submitted" / student / "tensors"
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / "tensors.ipynb")
    (copy / "submitted" / "correct" / "tensors" / "timestamp.txt").write_text(
        "2026-03-01 12:00:00.000000 UTC"
    )
    run = autograder(
        "grade-nbgrader", "tensors", "--course-dir", str(copy), "--jobs", "1", cwd=copy
    )
    assert run.returncode == 0, run.stderr[-3000:]
    export = _nbgrader("export", "--to", "grades.csv", cwd=copy)
    assert export.returncode == 0, export.stderr[-3000:]
    with (copy / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = {
            row["student_id"]: row
            for row in csv.DictReader(handle)
            if row["assignment"] == "tensors"
        }
    return copy, run, rows


def test_nbgrader_export_shows_our_grades(graded):
    copy, run, rows = graded
    assert set(rows) == {"correct", "partial", "patcher"}
    assert all(float(row["max_score"]) == TOTAL for row in rows.values())
    assert float(rows["correct"]["score"]) == TOTAL
    assert float(rows["patcher"]["score"]) == 0
    # Each score once (not again as each student's progress line), and no SQLAlchemy noise.
    assert (run.stdout + run.stderr).count("correct: 30/30") == 1
    assert "SAWarning" not in run.stderr


def test_nbgrader_generate_feedback_shows_our_feedback(graded):
    """grade-nbgrader writes autograded/ as nbgrader autograde would (no notebook run):
    nbgrader's own generate_feedback then writes each student's page, with our feedback."""
    copy, run, _ = graded
    assert "wrote 3 notebooks into autograded/" in run.stdout
    instructor = nbformat.read(copy / "source" / "tensors" / "tensors.ipynb", as_version=4)
    tests = {
        grade_id(c): c.source for c in instructor.cells if (grade_id(c) or "").startswith("test-")
    }
    for student in ("correct", "partial", "patcher"):
        notebook = nbformat.read(
            copy / "autograded" / student / "tensors" / "tensors.ipynb", as_version=4
        )
        cells = {grade_id(c): c for c in notebook.cells if grade_id(c) in tests}
        assert set(cells) == set(tests), student
        for name, cell in cells.items():
            assert cell.source == tests[name]  # the instructor's test cell, whatever was submitted
            assert cell.metadata.nbgrader["points"] == 10
            (output,) = cell.outputs
            assert output.output_type == "stream" and output.text.strip(), (student, name)
        answers = [c for c in notebook.cells if c.cell_type == "code" and grade_id(c) not in tests]
        assert all(not c.outputs for c in answers)  # nothing the student saved is shown
    partial = nbformat.read(
        copy / "autograded" / "partial" / "tensors" / "tensors.ipynb", as_version=4
    )
    shapes = (
        next(c for c in partial.cells if grade_id(c) == "test-broadcast_shapes").outputs[0].text
    )
    assert "✗" in shapes and "✓" in shapes
    assert (copy / "autograded" / "correct" / "tensors" / "timestamp.txt").is_file()

    feedback = _nbgrader("generate_feedback", "tensors", cwd=copy)
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    for student in ("correct", "partial", "patcher"):
        page = (copy / "feedback" / student / "tensors" / "tensors.html").read_text()
        assert "broadcast_shapes" in page and ("✓" in page or "✗" in page), student
    correct = (copy / "feedback" / "correct" / "tensors" / "tensors.html").read_text()
    assert "30.0 / 30.0" in correct or "30 / 30" in correct


def test_writing_grades_warns_nothing(graded):
    """nbgrader 0.9's models warn on SQLAlchemy 2 at every new submission: not ours to show."""
    copy, _, _ = graded
    target = open_course(copy)
    newcomer = StudentResult("newcomer", "tensors", failed_results(["tensors"], "nothing"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_grades(target, "tensors", [newcomer], {})
    assert not [w for w in caught if "SAWarning" in type(w.message).__name__], caught


def test_partial_credit_per_test_cell_is_autograder_grades(graded, tmp_path):
    from nbgrader.api import Gradebook

    copy, _, rows = graded
    report = grade_path(copy / "submitted" / "partial" / "tensors", "tensors")
    expected = {f: score for f, (score, _) in by_function(report.results).items()}
    assert 0 < expected["broadcast_shapes"] < 10, "the mutant should get partial credit"
    assert float(rows["partial"]["score"]) == report.score < TOTAL
    with Gradebook(f"sqlite:///{copy}/gradebook.db") as gradebook:
        for function, score in expected.items():
            grade = gradebook.find_grade(f"test-{function}", "tensors", "tensors", "partial")
            assert (grade.auto_score, grade.needs_manual_grade) == (score, False)
        submission = gradebook.find_submission("tensors", "correct")
        assert str(submission.timestamp) == "2026-03-01 12:00:00"


def test_grading_again_updates_and_keeps_manual_scores(graded):
    from nbgrader.api import Gradebook

    copy, _, _ = graded
    db_url = f"sqlite:///{copy}/gradebook.db"
    with Gradebook(db_url) as gradebook:
        grade = gradebook.find_grade("test-gather", "tensors", "tensors", "correct")
        grade.manual_score = 5.0
        gradebook.db.commit()
    zero = StudentResult("correct", "tensors", failed_results(["tensors"], "regraded"))
    target = open_course(copy)
    folders = {"correct": copy / "submitted" / "correct" / "tensors"}
    assert write_grades(target, "tensors", [zero], folders) == {"correct": 0.0}
    with Gradebook(db_url) as gradebook:
        grade = gradebook.find_grade("test-gather", "tensors", "tensors", "correct")
        assert (grade.auto_score, grade.manual_score, grade.score) == (0.0, 5.0, 5.0)
        assert grade.needs_manual_grade  # a grader's score stays, flagged for review
        assert gradebook.find_submission("tensors", "correct").score == 5.0


# ---------------------------------------------------------------------------------------
# Refusals: one line, exit status 2, nothing graded
# ---------------------------------------------------------------------------------------
def _refusal(*args: str) -> str:
    result = CliRunner().invoke(main, ["grade-nbgrader", *args])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    return result.output


def test_refuses_an_assignment_missing_from_the_gradebook(course, tmp_path):  # noqa: F811
    from nbgrader.api import Gradebook

    shutil.copy(course / "gradebook.db", tmp_path / "gradebook.db")
    with Gradebook(f"sqlite:///{tmp_path}/gradebook.db") as gradebook:
        gradebook.remove_assignment("tensors")
    output = _refusal("tensors", "--course-dir", str(tmp_path))
    assert "assignment tensors is not in the gradebook" in output
    assert "nbgrader generate_assignment tensors" in output


def test_refuses_a_course_without_gradebook_and_creates_none(tmp_path):
    output = _refusal("tensors", "--course-dir", str(tmp_path))
    assert "no nbgrader gradebook" in output
    assert not (tmp_path / "gradebook.db").exists()


def test_refuses_a_student_without_submission(graded):
    copy, _, _ = graded
    output = _refusal("tensors", "--course-dir", str(copy), "--student", "nobody")
    assert "no submission of tensors by nobody" in output


def test_says_which_extra_holds_nbgrader(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nbgrader", None)
    monkeypatch.setitem(sys.modules, "nbgrader.coursedir", None)
    output = _refusal("tensors", "--course-dir", str(tmp_path))
    assert "torch-autograder[release]" in output


# ---------------------------------------------------------------------------------------
# The pieces
# ---------------------------------------------------------------------------------------
def test_course_reads_its_nbgrader_config(tmp_path):
    (tmp_path / "grades.db").touch()
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{tmp_path}/grades.db'\n"
        "c.CourseDirectory.submitted_directory = 'handed_in'\n"
    )
    for student in ("ann", "bob", ".hidden"):
        (tmp_path / "handed_in" / student / "tensors").mkdir(parents=True)
    (tmp_path / "handed_in" / "cid" / "cnn").mkdir(parents=True)
    found = open_course(tmp_path)
    assert found.db_url == f"sqlite:///{tmp_path}/grades.db"
    assert submitted_students(found, "tensors") == {
        name: tmp_path / "handed_in" / name / "tensors" for name in ("ann", "bob")
    }


def test_submission_time_ignores_what_it_cannot_read(tmp_path):
    assert submission_time(tmp_path) is None
    (tmp_path / "timestamp.txt").write_text("not a time")
    assert submission_time(tmp_path) is None
    (tmp_path / "timestamp.txt").write_text("2026-03-01 12:00:00.000000 UTC")
    assert str(submission_time(tmp_path)) == "2026-03-01 12:00:00"


def test_cell_scores_scale_to_the_gradebook_points():
    cells = {"test-broadcast_shapes": 5.0, "test-gather": 10.0, "extra": 3.0}
    points = {"broadcast_shapes": 7.0, "broadcast_to": 4.0, "gather": 9.0}
    assert cell_scores(cells, "tensors", points) == {
        "test-broadcast_shapes": 3.5,
        "test-gather": 9.0,
    }


def test_refuses_a_broken_nbgrader_config(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.db_url = (\n")
    assert "cannot read" in _refusal("tensors", "--course-dir", str(tmp_path))
