"""Notebook submissions: ``autograder grade x.ipynb`` scores like the equivalent ``x.py``,
and the test cells of the released notebooks grade the kernel's functions soundly."""

from __future__ import annotations

import linecache
import re
import types
import uuid

import nbformat
import pytest

from autograder.grading.grade import find_modules, grade_path
from autograder.grading.registry import load_assignment
from autograder.notebook import check, kernel_source
from autograder.notebook_source import (
    LARGEST_NOTEBOOK,
    NotebookTooLarge,
    notebook_assignment,
    notebook_source,
    read_notebook,
)
from autograder.release.module import split_module
from autograder.report.text import render_text
from tests.gradelib import MUTANTS, ROOT, SOLUTIONS, grade_source, splice
from tests.notebooklib import filled_notebook, solution_cells

MUTANT = MUTANTS / "tensors" / "broadcast_shapes" / "max_of_sizes.py"


def _scores(results):
    return [(r.function, r.check, r.score, r.max_score) for r in results]


# ---------------------------------------------------------------------------------------
# autograder grade NOTEBOOK
# ---------------------------------------------------------------------------------------
def test_filled_release_notebook_gets_full_marks(tmp_path):
    path = tmp_path / "tensors.ipynb"
    nbformat.write(filled_notebook("tensors"), path)
    report = grade_path(path)
    failures = [f"{r.title}: {r.feedback}" for r in report.results if not r.passed]
    assert not failures, "\n".join(failures)
    # The same checks as solutions/tensors.py, which test_solutions_and_stubs grades.
    assert report.max_score == report.score == load_assignment("tensors").max_score


def test_partly_wrong_notebook_scores_like_the_equivalent_module(tmp_path):
    notebook = filled_notebook("tensors")
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "broadcast_shapes":
            cell.source = MUTANT.read_text()
    path = tmp_path / "homework.ipynb"  # the assignment comes from the notebook's metadata
    nbformat.write(notebook, path)
    as_notebook = grade_path(path).results
    module = splice((SOLUTIONS / "tensors.py").read_text(), MUTANT.read_text())
    as_module = grade_source(tmp_path, "tensors", module)
    assert _scores(as_notebook) == _scores(as_module)
    lost = {r.function for r in as_notebook if not r.passed}
    assert lost == {"broadcast_shapes"}


def test_notebook_source_skips_tests_and_magics():
    cells = [
        nbformat.v4.new_markdown_cell("# text"),
        nbformat.v4.new_code_cell("from __future__ import annotations\nimport torch"),
        nbformat.v4.new_code_cell("%matplotlib inline\n!pip install d2l\ndef f(x):\n    return x"),
        nbformat.v4.new_code_cell("%%bash\necho hello"),
        nbformat.v4.new_code_cell("# Test cell\nfrom autograder.notebook import check\ncheck()"),
        nbformat.v4.new_code_cell("assert f(1) == 1"),
        nbformat.v4.new_code_cell("s = '''\n% not a magic\n'''"),
        nbformat.v4.new_code_cell("from __future__ import annotations\ng = 2"),
    ]
    cells[5].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t"}
    source = notebook_source(nbformat.v4.new_notebook(cells=cells))
    assert source.startswith("from __future__ import annotations\n\nimport torch")
    assert source.count("from __future__") == 1
    assert "pass\npass\ndef f(x):" in source
    assert "echo" not in source and "check" not in source and "assert f(1)" not in source
    assert "% not a magic" in source and "g = 2" in source
    compile(source, "notebook", "exec")


def test_find_modules_takes_notebooks(tmp_path):
    notebook = nbformat.v4.new_notebook(metadata={"autograder": {"assignment": "tensors"}})
    nbformat.write(notebook, tmp_path / "my work.ipynb")
    assert find_modules(tmp_path / "my work.ipynb") == {"tensors": tmp_path / "my work.ipynb"}
    folder = tmp_path / "submission"
    folder.mkdir()
    nbformat.write(notebook, folder / "tensors.ipynb")
    assert find_modules(folder)["tensors"] == folder / "tensors.ipynb"
    (folder / "tensors.py").write_text("")
    assert find_modules(folder)["tensors"] == folder / "tensors.py"


# ---------------------------------------------------------------------------------------
# The test cells: check() in a kernel
# ---------------------------------------------------------------------------------------
def _kernel(*cells: str) -> dict:
    """Run cells the way IPython does: each compiled under a name linecache knows."""
    shell = types.SimpleNamespace(run_line_magic=lambda *args: None)
    namespace = {"__name__": "__main__", "get_ipython": lambda: shell}
    for cell in cells:
        filename = f"/tmp/ipykernel_test/{uuid.uuid4().hex}.py"
        linecache.cache[filename] = (len(cell), None, cell.splitlines(keepends=True), filename)
        exec(compile(cell, filename, "exec"), namespace)
    return namespace


SETUP = split_module((SOLUTIONS / "tensors.py").read_text()).header


def _solution(function: str) -> str:
    notebook = filled_notebook("tensors")
    return next(
        c.source
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == function
    )


def test_check_passes_a_correct_function(capsys):
    namespace = _kernel(SETUP, _solution("broadcast_shapes"))
    points = check("tensors", "broadcast_shapes", namespace)
    output = capsys.readouterr().out
    assert "broadcast_shapes" in output and "FAIL" not in output
    # The test cell's value: nbgrader's autograde reads it as the cell's points.
    assert points == 10.0 and isinstance(points, float)


def test_check_returns_partial_credit_instead_of_raising(capsys, tmp_path):
    namespace = _kernel(SETUP, "import numpy as np\n", MUTANT.read_text())
    points = check("tensors", "broadcast_shapes", namespace)
    output = capsys.readouterr().out
    assert "FAIL" in output and "✗ tensors.broadcast_shapes" in output
    assert "read the feedback above" in output
    # The visible checks' share of the points the command line gives the same function.
    module = splice((SOLUTIONS / "tensors.py").read_text(), MUTANT.read_text())
    results = grade_source(tmp_path, "tensors", module)
    visible = [r for r in results if r.function == "broadcast_shapes" and r.visible]
    share = sum(r.score for r in visible) / sum(r.max_score for r in visible)
    assert points == pytest.approx(share * 10) and 0 < points < 10


def test_check_speaks_of_the_notebook_in_the_students_language(capsys):
    namespace = _kernel(SETUP, "import numpy as np\n", MUTANT.read_text())
    check("tensors", "broadcast_shapes", namespace)
    english = capsys.readouterr().out
    assert "exercise broadcast_shapes of the tensors notebook — " in english
    assert "tensors.py" not in english and "seed" not in english
    # The argument, or a cell of the student's own (the test cells are locked).
    check("tensors", "broadcast_shapes", namespace, language="zh")
    chinese = capsys.readouterr().out
    namespace["FEEDBACK_LANGUAGE"] = "zh"
    check("tensors", "broadcast_shapes", namespace)
    timing = re.compile(r"[0-9.]+ 秒")  # the time grading took varies
    assert timing.sub("", capsys.readouterr().out) == timing.sub("", chinese)
    assert "tensors 笔记本的练习 broadcast_shapes — " in chinese and "tensors.py" not in chinese
    assert "请阅读上面的反馈" in chinese and "read the feedback above" not in chinese
    with pytest.raises(ValueError, match="FEEDBACK_LANGUAGE"):
        check("tensors", "broadcast_shapes", namespace, language="fr")


def test_student_facing_text_has_no_words_of_our_own_process():
    """Students never saw our "seed notes": the notes they read are the course's."""
    texts = [path.read_text() for path in sorted(SOLUTIONS.glob("*.py"))]
    texts += [path.read_text() for path in sorted((ROOT / "release").glob("*/*.ipynb"))]
    texts += [path.read_text() for path in sorted((ROOT / "autograder").rglob("locale/*.py"))]
    for text in texts:
        assert not re.search(r"\bseed notes|\bseed's|\bseeds'|种子笔记", text)


def test_check_runs_only_visible_checks(capsys, monkeypatch):
    gather = next(e for e in load_assignment("tensors").exercises if e.name == "gather")
    monkeypatch.setattr(gather.checks[-1], "visible", False)
    namespace = _kernel(SETUP, _solution("gather"))
    points = check("tensors", "gather", namespace)
    output = capsys.readouterr().out
    assert gather.checks[-1].name not in output and gather.checks[1].name in output
    # Every visible check passes: the cell's points (the hidden one counts only in the grade
    # of record).
    assert points == gather.max_score


def test_kernel_source_collects_definitions_imports_and_drops_magics():
    namespace = _kernel(
        SETUP,
        "import numpy as np\nfrom math import prod as product\n",
        "get_ipython().run_line_magic('time', '')\ndef helper(x):\n    return np.asarray(x)\n",
        _solution("gather"),
        "from autograder.notebook import check\n",
    )
    source = kernel_source("tensors", namespace)
    assert source.startswith("from __future__ import annotations\n")
    assert "import numpy as np" in source
    assert "from math import prod as product" in source
    assert "pass\ndef helper(x):" in source and "get_ipython" not in source
    assert "def gather(" in source and "autograder" not in source
    compile(source, "kernel", "exec")


# ---------------------------------------------------------------------------------------
# Lines said as the notebook's cells
# ---------------------------------------------------------------------------------------
BROKEN_GATHER = _solution("gather").replace(
    "    ### BEGIN SOLUTION", "    ratio = 1 / 0  # the student's slip\n    ### BEGIN SOLUTION", 1
)


def _line_of(cell: str, text: str) -> int:
    return next(n for n, line in enumerate(cell.splitlines(), start=1) if text in line)


def test_a_notebooks_feedback_names_the_cell_and_its_line(tmp_path):
    notebook = filled_notebook("tensors", {**solution_cells("tensors"), "gather": BROKEN_GATHER})
    path = tmp_path / "tensors.ipynb"
    nbformat.write(notebook, path)
    report = grade_path(path)
    line = _line_of(BROKEN_GATHER, "1 / 0")
    failed = [r for r in report.results if not r.passed]
    assert failed and {r.function for r in failed} == {"gather"}
    english = failed[0].feedback
    assert f"(cell “Exercise 3: gather”, line {line})" in english, english
    assert f"“Exercise 3: gather”单元格第 {line} 行" in failed[0].translations["zh"]
    text = render_text(report)
    assert text.startswith("tensors.ipynb — ") and "tensors.py" not in text


def test_a_notebook_that_does_not_parse_is_named_with_its_cell(tmp_path):
    broken = "def broadcast_to(x, shape):\n    return x.expand(*shape) +\n"
    path = tmp_path / "tensors.ipynb"
    nbformat.write(
        filled_notebook("tensors", {**solution_cells("tensors"), "broadcast_to": broken}), path
    )
    feedback = grade_path(path).results[0].feedback
    assert "could not import tensors.ipynb" in feedback
    assert "cell “Exercise 2: broadcast_to”, line 2" in feedback, feedback


def _too_large(path):
    """A file just past the notebook size limit, made sparse (nothing of it is written)."""
    with open(path, "wb") as handle:
        handle.truncate(LARGEST_NOTEBOOK + 1)
    return path


def test_a_notebook_past_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    """The judge reads notebooks outside the sandbox and before any time limit: one past
    the limit is not read at all, and the student is told why and what to do."""

    def read(*_args, **_kwargs):
        raise AssertionError("a notebook past the limit was read")

    monkeypatch.setattr(nbformat, "read", read)
    monkeypatch.setattr(nbformat, "reads", read)
    path = _too_large(tmp_path / "tensors.ipynb")
    with pytest.raises(NotebookTooLarge):
        read_notebook(path)
    stray = _too_large(tmp_path / "my_work.ipynb")  # named after no assignment
    assert notebook_assignment(stray) == "my_work"  # by its name, unread
    report = grade_path(path)
    assert report.score == 0 and report.results
    said = report.results[0].feedback
    assert "16 MiB a notebook may have" in said and "clear its outputs" in said, said


def test_a_test_cell_names_the_cell_and_its_line(capsys):
    namespace = _kernel(SETUP, BROKEN_GATHER)
    check("tensors", "gather", namespace)
    output = " ".join(capsys.readouterr().out.split())
    line = _line_of(BROKEN_GATHER, "1 / 0")
    assert f"(cell “Exercise 3: gather”, line {line})" in output, output
