"""Hostile students against the class's platforms: nbgrader's autograded notebooks,
Gradescope's container, the class files an instructor opens.

Each test is an attack a student can mount through what they hand in; it must fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from autograder.batch.lms import match, read_roster, render_lms
from autograder.batch.model import BatchResults, StudentResult
from autograder.batch.nbgrader_feedback import autograded_notebook
from autograder.grading.model import CheckResult
from tests.notebooklib import RELEASE, grade_id
from tests.test_release import course  # noqa: F401 - the session's release course fixture

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
    roles = {"test-broadcast_shapes": {"grade": True, "solution": False, "task": False}}
    autograded = autograded_notebook(submitted, result, "tensors", sources, maxima, roles)

    (cell,) = [c for c in autograded.cells if grade_id(c) == "test-broadcast_shapes"]
    assert cell.cell_type == "code"
    assert cell.source == sources["test-broadcast_shapes"]
    assert cell.metadata.nbgrader["grade"] is True and cell.metadata.nbgrader["locked"] is True
    assert not cell.metadata.nbgrader.get("solution")
    (output,) = cell.outputs
    assert FORGED not in output.text
    assert FORGED not in nbformat.writes(autograded)


class _CountedName(str):
    """A name whose comparisons are counted (the hash stays str's)."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _CountedName.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


@pytest.mark.unit
def test_a_module_of_thousands_of_helpers_costs_similarity_linear_work(monkeypatch):
    """A module may be 512 KiB: thousands of helpers all named by one another.  Finding a
    graded function's helpers must cost work in proportion to the code, not to the code
    times the helpers (on main, every name used was compared with every helper found:
    ten seconds and more per student and assignment, a class's similarity stalled)."""
    import ast

    from autograder.batch.similarity import function_sources

    helpers = 2000
    names = ",".join(f"f{i}" for i in range(helpers))
    code = (
        "def broadcast_shapes():\n    return f0\n"
        + "def hub():\n"
        + f"    x = [{names}]\n" * 5
        + "".join(f"def f{i}():\n    return hub\n" for i in range(helpers))
    )
    parse = ast.parse

    def counted_parse(source, *args, **kwargs):
        tree = parse(source, *args, **kwargs)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                node.id = _CountedName(node.id)
        return tree

    monkeypatch.setattr(ast, "parse", counted_parse)
    _CountedName.compared = 0
    found = function_sources(code, ["broadcast_shapes"])
    assert "def hub" in found["broadcast_shapes"]
    used = 5 * helpers + 2 * helpers
    assert _CountedName.compared <= 4 * used, _CountedName.compared


@pytest.mark.unit
def test_helpers_shared_by_every_function_are_not_fingerprinted_once_per_function(monkeypatch):
    """Every graded function calling one 400 KiB helper made each function's piece the whole
    module: fingerprinted once per function (seconds each, for every student and
    assignment).  The code fingerprinted for a student is bounded by twice their module."""
    from autograder.batch import similarity

    functions = ["broadcast_shapes", "broadcast_to", "gather", "scatter_add", "masked_mean"]
    code = (
        "def hub(x):\n"
        + "".join(f"    x = x * {i} + {i} - x // {i + 1}\n" for i in range(12_000))
        + "    return x\n"
        + "".join(f"def {name}(x):\n    return hub(x) + {i}\n" for i, name in enumerate(functions))
    )
    fingerprinted: list[int] = []
    real = similarity.Fingerprints._fingerprint

    def counted(code: str, boilerplate):
        fingerprinted.append(len(code))
        return real(code, boilerplate)

    monkeypatch.setattr(similarity.Fingerprints, "_fingerprint", staticmethod(counted))
    similarity.rank_assignment("tensors", {"mallory": code}, [], functions)
    assert sum(fingerprinted) <= 2 * len(code), (len(code), fingerprinted)


@pytest.mark.unit
@pytest.mark.parametrize("lookalike", ["alice_", "ALICE", "alice "])
def test_a_folder_named_like_anothers_gets_no_one_elses_grade(lookalike):
    """The roster is matched to folders case-blind, with _ and spaces alike: a second folder
    that only differs so (a student who named their folder after a classmate's) took the
    classmate's place in the LMS file, and the classmate's own result vanished from it."""

    def graded(folder: str, points: float) -> StudentResult:
        check = CheckResult("tensors", "gather", "agrees", points, 30, points == 30)
        return StudentResult(folder, folder, [check])

    batch = BatchResults(["tensors"], [graded("alice", 30), graded(lookalike, 0)])
    roster = read_roster("Student,ID,GitHub\nAlice,101,alice\n")
    matched = match(batch, roster)
    ((entry, result),) = matched.rows
    assert result is not None and result.student == "alice" and result.score == 30
    assert [s.student for s in matched.not_on_roster] == [lookalike]
    assert "Alice,101,,,,30" in render_lms("canvas", batch, matched)


# Where a runner under Gradescope looks for the secrets: the package copied into the venv.
_READ_THE_SECRETS = """
def gather(input, dim, index):
    import sys
    from pathlib import Path

    site = next(Path(p) for p in sys.path if p.endswith("site-packages") and "venv" in p)
    seen = []
    for name in ("autograder/exercises/tensors/checks.py", "autograder_solutions/tensors.py"):
        try:
            seen.append(f"READ {name}: {(site / name).read_text()[:30]!r}")
        except OSError as error:
            seen.append(f"REFUSED {name}: {type(error).__name__}")
    raise RuntimeError(" | ".join(seen))
"""


_GRADESCOPE = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv"
)


def _gather_feedback_under_gradescope(tmp_path: Path, gather: str) -> str:
    """Gradescope's layout (as tests/test_gradescope.py builds it), without CAP_SYS_ADMIN,
    started from the course's checkout; what the feedback on ``gather`` says."""
    from tests.gradelib import ROOT, SOLUTIONS, splice
    from tests.test_gradescope import INSTALLED, build, setup, unpack

    with tempfile.TemporaryDirectory() as folder:  # (pytest's tmp_path is root's alone)
        os.chmod(folder, 0o755)
        root = unpack(build(tmp_path, "tensors"), Path(folder) / "autograder")
        setup(root, "--python", sys.executable, "--reuse-packages", str(INSTALLED))
        module = splice((SOLUTIONS / "tensors.py").read_text(), gather)
        (root / "submission" / "tensors.py").write_text(module)
        no_admin = ["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"]
        done = subprocess.run(
            [*no_admin, "bash", str(root / "run_autograder"), str(root)],
            cwd=ROOT,  # the course's checkout: an ``autograder`` package in the current folder
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        results = json.loads((root / "results" / "results.json").read_text())
    return " ".join(t["output"] for t in results["tests"] if "gather" in t["name"])


@_GRADESCOPE
def test_under_gradescope_a_runner_cannot_read_the_packaged_checks_or_solutions(tmp_path):
    """run_autograder ran ``python -m autograder``: the folder it was started from came
    first on the import path, so a folder holding an ``autograder`` package (here the
    course's checkout, on Gradescope whatever folder the harness starts in) was the grader
    imported.  The lock then shut that one, and the package in the venv, the one setup.sh
    installed, stayed readable to the runner: hidden checks and solutions alike."""
    from tests.gradelib import ROOT

    checkout_grader = ROOT / "autograder" / "grading" / "grade.py"
    mode = checkout_grader.stat().st_mode
    said = _gather_feedback_under_gradescope(tmp_path, _READ_THE_SECRETS)
    assert checkout_grader.stat().st_mode == mode  # the course's checkout is not locked
    assert "REFUSED autograder/exercises/tensors/checks.py" in said, said
    assert "REFUSED autograder_solutions/tensors.py" in said, said
    assert "READ" not in said


_WRITE_THE_HOSTS_TMP = """
def gather(input, dim, index):
    import os

    try:
        with open(f"/tmp/planted-by-a-runner-{os.getpid()}", "x") as planted:
            planted.write("the judge's /tmp")
        said = "PLANTED"
    except OSError as error:
        said = f"REFUSED: {type(error).__name__}"
    raise RuntimeError(said)
"""


@_GRADESCOPE
def test_under_gradescope_a_runner_cannot_write_the_judges_tmp(tmp_path):
    """Without a mount namespace /tmp is not the runner's tmpfs but the host's, where the
    judge (root) keeps its own folders (hypothesis's, at a name anyone can guess): Landlock
    let the runner write there all the same, unbounded by the folder's limits."""
    import glob

    said = _gather_feedback_under_gradescope(tmp_path, _WRITE_THE_HOSTS_TMP)
    assert "REFUSED" in said and "PLANTED" not in said, said
    assert not glob.glob("/tmp/planted-by-a-runner-*")


@pytest.mark.filterwarnings("ignore:Object of type")
def test_nbgrader_cells_a_student_marked_graded_do_not_break_the_feedback(course, tmp_path):  # noqa: F811
    """A student can give any cell nbgrader's metadata: a grade cell of an id the gradebook
    does not know, or an answer cell marked graded.  generate_feedback looks each grade up
    and stopped at the first missing one: the student got no feedback page, and the
    instructor's run failed.  The autograded notebook keeps only what the gradebook says."""
    from tests.classroom import autograder
    from tests.notebooklib import filled_notebook
    from tests.test_nbgrader_gradebook import _nbgrader

    copy = Path(shutil.copytree(course, tmp_path / "course"))
    notebook = filled_notebook("tensors")
    for cell in notebook.cells:
        if grade_id(cell) == "broadcast_shapes":  # an answer cell, now claiming points
            cell.metadata.nbgrader.update(grade=True, points=100)
    forged = nbformat.v4.new_code_cell("print('full marks')")
    forged.metadata["nbgrader"] = {
        "grade": True,
        "solution": True,
        "grade_id": "bonus",
        "points": 100,
        "schema_version": 3,
    }
    notebook.cells.append(forged)
    folder = copy / "submitted" / "mallory" / "tensors"
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / "tensors.ipynb")
    run = autograder(
        "grade-nbgrader", "tensors", "--course-dir", str(copy), "--jobs", "1", cwd=copy
    )
    assert run.returncode == 0, run.stderr[-3000:]
    feedback = _nbgrader("generate_feedback", "tensors", cwd=copy)
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    page = (copy / "feedback" / "mallory" / "tensors" / "tensors.html").read_text()
    assert "broadcast_shapes" in page


@pytest.mark.filterwarnings("ignore:Object of type")
def test_a_notebook_nbformat_reads_but_chokes_on_leaves_the_others_feedback(course, tmp_path):  # noqa: F811
    """A cell whose metadata is a list reads as JSON, then raises TypeError where its
    metadata is used: grade-nbgrader stopped there, and every student after this one (by
    name) had no autograded notebook, so no feedback."""
    from tests.classroom import autograder
    from tests.notebooklib import filled_notebook

    copy = Path(shutil.copytree(course, tmp_path / "course"))
    hostile = json.loads(nbformat.writes(filled_notebook("tensors")))
    hostile["cells"][1]["metadata"] = []
    for student, text in (("aaa", json.dumps(hostile)), ("zed", None)):
        folder = copy / "submitted" / student / "tensors"
        folder.mkdir(parents=True)
        if text is None:
            nbformat.write(filled_notebook("tensors"), folder / "tensors.ipynb")
        else:
            (folder / "tensors.ipynb").write_text(text)
    run = autograder(
        "grade-nbgrader", "tensors", "--course-dir", str(copy), "--jobs", "1", cwd=copy
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert (copy / "autograded" / "zed" / "tensors" / "tensors.ipynb").is_file()


@pytest.mark.unit
def test_notebooks_named_after_no_assignment_are_not_each_parsed_whole(tmp_path, monkeypatch):
    """A notebook named after no assignment is graded for the one its metadata names, so
    every such notebook of a submission was read and validated whole by nbformat, for every
    assignment: a hundred large ones cost a class's grade-batch (which lists the sources to
    compare after grading, without a time limit) minutes per assignment.  Its metadata is
    all that is needed."""
    from autograder import notebook_source
    from autograder.batch.similarity import class_sources
    from tests.notebooklib import filled_notebook

    mine = tmp_path / "mallory"
    mine.mkdir()
    for index in range(30):
        nbformat.write(nbformat.v4.new_notebook(), mine / f"scratch{index}.ipynb")
    renamed = filled_notebook("tensors")
    renamed.metadata["autograder"] = {"assignment": "tensors"}
    nbformat.write(renamed, mine / "my work.ipynb")
    parsed: list[Path] = []
    read = notebook_source.read_notebook

    def counted(path: Path):
        parsed.append(path)
        return read(path)

    from autograder.grading import discovery

    asked: list[Path] = []
    metadata_of = discovery.notebook_assignment

    def counted_metadata(path: Path) -> str:
        asked.append(path)
        return metadata_of(path)

    monkeypatch.setattr(notebook_source, "read_notebook", counted)
    monkeypatch.setattr(discovery, "notebook_assignment", counted_metadata)
    sources = class_sources({"mallory": mine}, ["tensors", "mlp"])
    assert "def gather" in sources["mallory"]["tensors"]  # the renamed notebook is found
    assert all(path.name == "my work.ipynb" for path in parsed), sorted({p.name for p in parsed})
    assert len(asked) <= 31 * 2  # each notebook once per assignment compared, not all 14
