"""Finding a submission's modules: flat and nested layouts, modules and notebooks, nbgrader's
``submitted/<student>/<assignment>/``, for ``grade``, ``check`` and ``grade-batch`` alike, and
the feedback when nothing is found (what was looked for, what is there)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.errors import SubmissionError
from autograder.grading.discovery import LISTED_FILES
from autograder.grading.grade import find_modules, grade_path
from autograder.grading.registry import load_assignment
from tests.gradelib import ROOT, SOLUTIONS
from tests.test_batch import grade_batch

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit

# The instructor's notebook: its solution cells are the solutions (and it says it is tensors).
NOTEBOOK = ROOT / "source" / "tensors" / "tensors.ipynb"
LOOKED_FOR = "tensors.py, tensors.ipynb, tensors/tensors.py, tensors/tensors.ipynb"
MAX_SCORE = load_assignment("tensors").max_score


def _put(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


def _anonymous_notebook(target: Path) -> Path:
    """The solved notebook without our metadata (as a student's own notebook would be)."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.metadata.pop("autograder")
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    return target


def _assert_full_marks(path: Path) -> None:
    report = grade_path(path, "tensors")
    failures = [f"{r.title}: {r.feedback}" for r in report.results if not r.passed]
    assert not failures, "\n".join(failures)
    assert report.score == report.max_score == MAX_SCORE


# ---------------------------------------------------------------------------------------
# Which file is found
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "layout", ["tensors.py", "tensors.ipynb", "tensors/tensors.py", "tensors/tensors.ipynb"]
)
def test_every_layout_is_found(tmp_path, layout):
    submitted = tmp_path / layout
    _put(SOLUTIONS / "tensors.py" if layout.endswith(".py") else NOTEBOOK, submitted)
    assert find_modules(tmp_path, "tensors") == {"tensors": submitted}
    assert find_modules(tmp_path)["tensors"] == submitted


def test_of_files_worked_on_a_module_wins_over_a_notebook_and_flat_over_nested(tmp_path):
    for layout in ("tensors/tensors.ipynb", "tensors/tensors.py", "tensors.ipynb", "tensors.py"):
        _put(SOLUTIONS / "tensors.py" if layout.endswith(".py") else NOTEBOOK, tmp_path / layout)
        assert find_modules(tmp_path, "tensors") == {"tensors": tmp_path / layout}


def test_the_file_worked_on_is_graded_and_the_report_says_which_and_why(tmp_path):
    """A stub beside the student's notebook (as a template repository holds both): the
    notebook is graded, not the stub before it in the order, and every report says so."""
    stub = _put(ROOT / "assignments" / "tensors.py", tmp_path / "tensors.py")
    notebook = _put(NOTEBOOK, tmp_path / "tensors.ipynb")
    assert find_modules(tmp_path, "tensors") == {"tensors": notebook}
    report = grade_path(tmp_path, "tensors")
    assert report.score == MAX_SCORE and report.files == {"tensors": "tensors.ipynb"}
    (note,) = report.notes
    assert note.startswith("tensors: tensors.ipynb is graded, not tensors.py: the others are")
    for command in (["grade", str(tmp_path)], ["check", str(tmp_path)]):
        said = CliRunner().invoke(main, command)
        assert note in " ".join(said.output.split()), command
    chinese = CliRunner().invoke(main, ["grade", str(tmp_path), "--lang", "zh"]).output
    assert "评分的是 tensors.ipynb，不是 tensors.py" in chinese
    # Both worked on (or neither): the documented order decides, and says so.
    stub.write_text((SOLUTIONS / "tensors.py").read_text())
    assert find_modules(tmp_path, "tensors") == {"tensors": stub}
    assert "several were worked on" in grade_path(tmp_path, "tensors").notes[0]
    # One file: nothing to say.
    notebook.unlink()
    assert grade_path(tmp_path, "tensors").notes == []


def test_a_renamed_notebook_of_ours_is_found_by_its_metadata(tmp_path):
    renamed = _put(NOTEBOOK, tmp_path / "tensors" / "Tensors (1).ipynb")
    _anonymous_notebook(tmp_path / "hw1.ipynb")  # says nothing: not taken for anything
    assert find_modules(tmp_path, "tensors") == {"tensors": renamed}
    assert find_modules(tmp_path, "mlp") == {"mlp": None}


def test_nbgrader_layout_is_found_from_the_student_and_the_assignment_folder(tmp_path):
    student = tmp_path / "submitted" / "alice"
    notebook = _put(NOTEBOOK, student / "tensors" / "tensors.ipynb")
    (student / "tensors" / "timestamp.txt").write_text("2024-01-01 00:00:00\n")
    assert find_modules(student)["tensors"] == notebook
    assert find_modules(student / "tensors")["tensors"] == notebook


# ---------------------------------------------------------------------------------------
# Full marks whatever the layout
# ---------------------------------------------------------------------------------------
def test_flat_and_nested_modules_get_full_marks(tmp_path):
    _put(SOLUTIONS / "tensors.py", tmp_path / "flat" / "tensors.py")
    _put(SOLUTIONS / "tensors.py", tmp_path / "nested" / "tensors" / "tensors.py")
    _assert_full_marks(tmp_path / "flat")
    _assert_full_marks(tmp_path / "nested")


def test_flat_and_nested_notebooks_get_full_marks(tmp_path):
    _put(NOTEBOOK, tmp_path / "flat" / "tensors.ipynb")
    _put(NOTEBOOK, tmp_path / "nested" / "tensors" / "tensors.ipynb")
    _assert_full_marks(tmp_path / "flat")
    _assert_full_marks(tmp_path / "nested")


def test_nbgrader_submission_gets_full_marks_from_the_command(tmp_path):
    student = tmp_path / "submitted" / "alice"
    _put(NOTEBOOK, student / "tensors" / "tensors.ipynb")
    for path in (student, student / "tensors"):
        result = CliRunner().invoke(
            main, ["grade", str(path), "--assignment", "tensors", "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["score"] == data["max_score"] == MAX_SCORE


@pytest.mark.slow
def test_grade_batch_grades_nbgrader_submitted_folder(tmp_path):
    submitted = tmp_path / "submitted"
    _put(NOTEBOOK, submitted / "alice" / "tensors" / "tensors.ipynb")
    _put(SOLUTIONS / "tensors.py", submitted / "bob" / "tensors" / "tensors.py")
    out = tmp_path / "grades"
    grade_batch(submitted, out)  # --assignment tensors --jobs 2
    students = json.loads((out / "results.json").read_text())["students"]
    assert [s["student"] for s in students] == ["alice", "bob"]
    for student in students:
        assert student["error"] is None
        assert all(r["passed"] for r in student["results"]), student


# ---------------------------------------------------------------------------------------
# Nothing found: say what was looked for and what is there
# ---------------------------------------------------------------------------------------
def test_not_found_names_what_was_looked_for_and_what_is_there(tmp_path):
    _anonymous_notebook(tmp_path / "hw1.ipynb")
    _put(SOLUTIONS / "tensors.py", tmp_path / "notes" / "scratch.py")
    _put(SOLUTIONS / "tensors.py", tmp_path / ".ipynb_checkpoints" / "tensors-checkpoint.py")
    report = grade_path(tmp_path, "tensors")
    assert report.score == 0 and report.results
    for result in report.results:
        assert LOOKED_FOR in result.feedback, result.feedback
        assert "it holds hw1.ipynb, notes/scratch.py" in result.feedback
        assert "checkpoint" not in result.feedback
        assert "hw1.ipynb" in result.translations["zh"] and "未提交" in result.translations["zh"]


def test_not_found_lists_a_capped_number_of_files(tmp_path):
    for index in range(LISTED_FILES + 5):
        (tmp_path / f"cell{index:02d}.py").write_text("")
    feedback = grade_path(tmp_path, "tensors").results[0].feedback
    assert "cell00.py" in feedback and f"cell{LISTED_FILES - 1:02d}.py" in feedback
    assert f"cell{LISTED_FILES:02d}.py" not in feedback and feedback.endswith("and more")


def test_not_found_in_an_empty_folder(tmp_path):
    result = grade_path(tmp_path, "tensors").results[0]
    assert LOOKED_FOR in result.feedback
    assert result.feedback.endswith("it holds no .py or .ipynb file")


# ---------------------------------------------------------------------------------------
# autograder check takes what grade takes
# ---------------------------------------------------------------------------------------
def test_check_reads_a_notebook_as_a_notebook(tmp_path):
    notebook = _put(NOTEBOOK, tmp_path / "tensors.ipynb")
    result = CliRunner().invoke(main, ["check", str(notebook)])
    assert result.exit_code == 0, result.output
    assert "NameError" not in result.output and "FAIL" not in result.output


def test_check_finds_a_nested_notebook(tmp_path):
    _put(NOTEBOOK, tmp_path / "tensors" / "tensors.ipynb")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--function", "gather"])
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "tensors" / "tensors.ipynb") in result.output


def test_check_says_what_it_looked_for(tmp_path):
    _anonymous_notebook(tmp_path / "hw1.ipynb")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--function", "gather"])
    assert result.exit_code == 2
    assert LOOKED_FOR in result.output and "hw1.ipynb" in result.output
    everything = CliRunner().invoke(main, ["check", str(tmp_path), "--lang", "zh"])
    assert everything.exit_code == 2
    assert "<name>/<name>.ipynb" in everything.output and "hw1.ipynb" in everything.output
    assert "找不到" in everything.output


def test_a_linked_file_is_listed_never_graded(tmp_path):
    """A student's symbolic link could name the reference solution or another student's
    work, which the judge would read as the grader's user: inside a submission folder no
    link is followed, and the feedback says why the file was not graded."""
    alice, bob, dave, erin = (
        tmp_path / "class" / name for name in ("alice", "bob", "dave", "erin")
    )
    for student in (alice, bob, dave, erin):
        student.mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / "tensors.py", alice / "tensors.py")
    (bob / "tensors.py").symlink_to(SOLUTIONS / "tensors.py")  # the reference
    (dave / "tensors.py").symlink_to(alice / "tensors.py")  # another student's work
    (erin / "tensors").symlink_to(SOLUTIONS, target_is_directory=True)  # a linked folder
    (erin / "tensors.ipynb").symlink_to(ROOT / "source" / "tensors" / "tensors.ipynb")
    assert find_modules(alice, "tensors") == {"tensors": alice / "tensors.py"}
    for student in (bob, dave, erin):
        assert find_modules(student, "tensors") == {"tensors": None}, student.name
    report = grade_path(bob, "tensors")
    assert report.score == 0
    feedback = " ".join(result.feedback for result in report.results)
    assert "tensors.py (a symbolic link: not graded)" in feedback
    # In a class folder, a student's entry itself may be a link (uploads unpacked there).
    (tmp_path / "class" / "frank").symlink_to(SOLUTIONS, target_is_directory=True)
    (tmp_path / "class" / "gina.py").symlink_to(SOLUTIONS / "tensors.py")
    for linked in ("frank", "gina.py"):
        with pytest.raises(SubmissionError, match="symbolic link"):
            find_modules(tmp_path / "class" / linked, "tensors")
