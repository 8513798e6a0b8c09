"""``autograder release``: the committed student files are exactly what the solutions give,
hold no solution text, and survive nbgrader's own round trip (generate, then autograde).

The nbgrader tests share one temporary course directory: the release built from scratch,
with its gradebook, once per session (xdist workers included).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from autograder.cli import main
from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.i18n import TRANSLATED
from autograder.release.build import build_release
from autograder.release.markdown import docstring_to_markdown
from autograder.release.module import split_module
from autograder.release.readme import with_course_table
from autograder.release.source_notebook import source_notebook
from autograder.release.stubs import SOLUTION_BLOCK
from autograder.release.student import course_api, tools_on_path
from autograder.release.teaching import translated_text
from tests.gradelib import ASSIGNMENTS, MUTANTS, ROOT, SOLUTIONS, built_once
from tests.notebooklib import RELEASE, SOURCE, filled_notebook


def _files(folder):
    return {p.relative_to(folder): p for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """The release built from scratch into a temporary nbgrader course directory, once per
    test session (tests copy what they change and leave this one as it is)."""
    return built_once(
        tmp_path_factory,
        "release-course",
        lambda out: build_release(ROOT, out, db_url=f"sqlite:///{out}/gradebook.db"),
    )


# ---------------------------------------------------------------------------------------
# The committed files are the generated ones
# ---------------------------------------------------------------------------------------
@pytest.mark.xdist_group("nbgrader")
@pytest.mark.parametrize("assignment", ASSIGNMENT_NAMES)
def test_committed_release_matches_the_solutions(course, assignment):
    stale = "is out of date: run `autograder release` (make release) and commit the result"
    got = (course / "assignments" / f"{assignment}.py").read_bytes()
    assert got == (ASSIGNMENTS / f"{assignment}.py").read_bytes(), f"assignments/ {stale}"
    for folder in ("source", "release"):
        generated = _files(course / folder / assignment)
        committed = _files(ROOT / folder / assignment)
        assert generated, f"nothing generated in {folder}/{assignment}"
        assert sorted(generated) == sorted(committed), f"{folder}/{assignment} {stale}"
        for name, path in generated.items():
            assert path.read_bytes() == committed[name].read_bytes(), (
                f"{folder}/{assignment}/{name} {stale}"
            )


# ---------------------------------------------------------------------------------------
# No solution reaches the students
# ---------------------------------------------------------------------------------------
def _solution_lines(source: str) -> set[str]:
    """The lines only solution blocks hold (long enough not to occur by chance)."""
    outside = {line.strip() for line in SOLUTION_BLOCK.sub("", source).splitlines()}
    inside = {
        line.strip()
        for block in SOLUTION_BLOCK.finditer(source)
        for line in block.group(0).splitlines()[1:-1]
    }
    return {line for line in inside - outside if len(line) >= 12}


def _strings(value) -> list[str]:
    """Every string in a JSON document (notebooks escape quotes in the raw file)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _text(path) -> str:
    text = path.read_text(encoding="utf-8")
    return "\n".join(_strings(json.loads(text))) if path.suffix == ".ipynb" else text


@pytest.mark.parametrize("assignment", ASSIGNMENT_NAMES)
def test_no_solution_text_is_released(assignment):
    lines = _solution_lines((SOLUTIONS / f"{assignment}.py").read_text(encoding="utf-8"))
    assert lines, "the solution has no solution block"
    # The check is not vacuous: the instructor's notebook does hold the solution.
    instructor = _text(SOURCE / assignment / f"{assignment}.ipynb")
    assert all(line in instructor for line in lines)
    released = [ASSIGNMENTS / f"{assignment}.py", *_files(RELEASE / assignment).values()]
    for path in released:
        # Whole lines: a docstring may quote a fragment (``with torch.no_grad():``) as a hint.
        text = {line.strip() for line in _text(path).splitlines()}
        leaked = sorted(lines & text)
        assert not leaked, f"{path.relative_to(ROOT)} holds solution lines: {leaked}"


def test_hidden_checks_never_reach_a_notebook():
    """Hidden checks run only in the instructor's grader: no test cell names them."""
    tensors = load_assignment("tensors")
    gather = next(e for e in tensors.exercises if e.name == "gather")
    hidden = dataclasses.replace(gather.checks[-1], visible=False)
    variant = dataclasses.replace(
        tensors,
        exercises=[
            dataclasses.replace(e, checks=[*e.checks[:-1], hidden]) if e is gather else e
            for e in tensors.exercises
        ],
    )
    parts = split_module((SOLUTIONS / "tensors.py").read_text(encoding="utf-8"))
    notebook = source_notebook(variant, parts)
    cell = next(c.source for c in notebook.cells if '"gather"' in c.source)
    assert "HIDDEN" not in cell and "hidden" not in cell
    # The cell's value is the points (nbgrader's partial credit): the call comes last.
    assert cell.splitlines()[-1] == 'check("tensors", "gather", globals())'


# ---------------------------------------------------------------------------------------
# nbgrader autograde: full points for solved cells, 0 for the release as shipped, partial
# credit per test cell (the points the test cell leaves as its value)
# ---------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
@pytest.mark.filterwarnings("ignore:Object of type")  # nbgrader's own SQLAlchemy warnings
def test_nbgrader_autograde_round_trip(course, tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    course = Path(shutil.copytree(course, tmp_path / "course"))
    # The kernel nbgrader starts must import this checkout's autograder.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    shipped = nbformat.read(RELEASE / "tensors" / "tensors.ipynb", as_version=4)
    partial = filled_notebook("tensors")
    for cell in partial.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "broadcast_shapes":
            cell.source = (MUTANTS / "tensors" / "broadcast_shapes" / "no_error.py").read_text()
    # The partial notebook's other two cells are the solutions: full points for those.
    submissions = {"shipped": shipped, "partial": partial}
    for student, notebook in submissions.items():
        folder = course / "submitted" / student / "tensors"
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / "tensors.ipynb")
    db_url = f"sqlite:///{course}/gradebook.db"
    with tools_on_path():
        api = course_api(course, db_url=db_url, Execute={"timeout": 600})
        result = api.autograde("tensors", "*")
    assert result["success"], result.get("log")

    total = load_assignment("tensors").max_score
    with Gradebook(db_url) as gradebook:
        as_shipped = gradebook.find_submission("tensors", "shipped")
        assert (as_shipped.score, as_shipped.max_score) == (0, total)
        # The test cell's value is its partial credit (the cell raises no more).
        cells = {
            name: gradebook.find_grade(f"test-{name}", "tensors", "tensors", "partial").score
            for name in ("broadcast_shapes", "broadcast_to", "gather")
        }
        assert 0 < cells.pop("broadcast_shapes") < 10 and cells == {
            "broadcast_to": 10,
            "gather": 10,
        }

    # The shipped notebook's test cells explain why: the functions are not implemented.
    graded = nbformat.read(course / "autograded/shipped/tensors/tensors.ipynb", as_version=4)
    outputs = [
        json.dumps(cell.outputs)
        for cell in graded.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    ]
    assert len(outputs) == 3
    assert all("not implemented" in text and '"0.0"' in text for text in outputs)
    assert not any('"error"' in text for text in outputs)


# ---------------------------------------------------------------------------------------
# Teaching text and the command
# ---------------------------------------------------------------------------------------
def test_teaching_text_covers_every_exercise_in_every_language():
    for lang in TRANSLATED:
        for assignment in ASSIGNMENT_NAMES:
            functions = [None, *(e.name for e in load_assignment(assignment).exercises)]
            for function in functions:
                text = translated_text(lang, assignment, function)
                assert text, (lang, assignment, function)
                if lang == "zh":
                    assert re.search(r"[\u4e00-\u9fff]", text), (assignment, function)


def test_teaching_cells_are_in_both_languages():
    notebook = nbformat.read(RELEASE / "tensors" / "tensors.ipynb", as_version=4)
    teaching = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    assert len(teaching) == 1 + len(load_assignment("tensors").exercises)
    for text in teaching:
        assert "### 中文说明" in text
    assert "Align the shapes from the trailing (rightmost) dimension." in teaching[1]
    assert "尾部的维度" in teaching[1]


def test_docstring_to_markdown():
    markdown = docstring_to_markdown(
        """Sum ``x``.

        Table::

            a | b

        >>> total(1,
        ...       2)
        3

        Raise ``ValueError`` if ``x >
        y``.
        """
    )
    assert markdown == (
        "Sum `x`.\n\nTable:\n\n```python\na | b\n```\n\n"
        "```python\n>>> total(1,\n...       2)\n3\n```\n\n"
        "Raise `ValueError` if `x >\ny`.\n"
    )


def test_release_command_is_registered():
    result = CliRunner().invoke(main, ["release", "--help"])
    assert result.exit_code == 0
    assert "--root" in result.output
    missing = CliRunner().invoke(main, ["release", "--root", str(SOLUTIONS)])
    assert missing.exit_code == 2
    assert "solutions" in missing.output


def test_the_readmes_course_table_is_the_registrys():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_course_table(readme) == readme, "run autograder release"


def test_every_cell_of_the_committed_notebooks_has_an_id():
    """nbformat 4.5 requires cell ids; without them nbgrader and nbformat warn
    (MissingIDFieldWarning) and make up new ones on every read."""
    import warnings

    from nbformat.warnings import MissingIDFieldWarning

    for path in sorted([*SOURCE.glob("*/*.ipynb"), *RELEASE.glob("*/*.ipynb")]):
        with warnings.catch_warnings():
            warnings.simplefilter("error", MissingIDFieldWarning)
            notebook = nbformat.read(path, as_version=4)
            nbformat.validate(notebook)
        ids = [cell.get("id") for cell in notebook.cells]
        assert all(ids) and len(set(ids)) == len(ids), path
        assert (notebook.nbformat, notebook.nbformat_minor) >= (4, 5), path
