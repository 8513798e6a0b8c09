"""The student's path, as a student lives it: the kit alone, in a fresh environment.

A new virtual environment, in which this project's package and its solutions cannot be
imported, gets the kit with ``pip install ./kit`` (as the kit's README says; offline:
``--no-deps --no-index``, the installed torch, Jupyter and the rest reused by a path in a
``.pth`` file, never downloaded again).  A Jupyter kernel of that environment then executes
every released notebook (nbclient), filled in like a student would:

- with the solutions, every test cell prints full marks (half of them in Chinese);
- with one wrong function, its test cell names the checks that fail, in English, and in
  Chinese once the student sets ``FEEDBACK_LANGUAGE = "zh"`` and runs the cell again;
- the kit's ``autograder check`` and ``autograder grade`` of the saved notebooks agree with
  what the test cells printed and returned.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
import torch

from autograder.grading.registry import ASSIGNMENT_NAMES
from tests.gradelib import MUTANTS, ROOT
from tests.notebooklib import filled_notebook, grade_id, solution_cells

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("kit")]

KERNEL = "student-kit"
# What a test cell prints for a check that fails: "✗ tensors.gather: <the check's title>".
FAILED = re.compile(r"^✗ (?P<name>\S+: .+)$", re.MULTILINE)
HEADING = {"en": "exercise {f} of the {a} notebook", "zh": "{a} 笔记本的练习 {f}"}
TOTAL = {"en": "Total: ", "zh": "总分："}


class Student:
    """A student's machine: a virtual environment with the kit, and a Jupyter kernel in it."""

    def __init__(self, root: Path, kit: Path) -> None:
        self.root = root
        self.env = root / "env"
        self.python = self.env / "bin" / "python"
        # The environment the student's programs see: nothing of ours on PYTHONPATH.
        self.environ = {
            name: value
            for name, value in os.environ.items()
            if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
        }
        self.environ["PATH"] = f"{self.env / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        subprocess.run(
            [sys.executable, "-m", "venv", "--without-pip", str(self.env)],
            check=True,
            timeout=120,
        )
        # torch, Jupyter and pip as installed here, by path: the folder that holds torch
        # (its .pth files are not read from there, so an editable install of this project
        # is not: tested below).
        libraries = Path(torch.__file__).resolve().parents[1]
        assert not ROOT.resolve().is_relative_to(libraries)
        site = self.run_python("import sysconfig; print(sysconfig.get_path('purelib'))")
        Path(site.stdout.strip(), "installed-packages.pth").write_text(f"{libraries}\n")
        alone = self.run_python("import autograder", check=False)
        assert "No module named 'autograder'" in alone.stderr, alone.stderr
        # What the student does: a copy of the kit of their template repository, installed.
        shutil.copytree(kit, root / "kit")
        self.run(
            [self.python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
            + ["--no-build-isolation", "./kit"],
            cwd=root,
        )
        self.run(
            [self.python, "-m", "ipykernel", "install", "--prefix", self.env, "--name", KERNEL]
        )
        self.kernels = self.env / "share" / "jupyter" / "kernels"

    def run(self, command: list, cwd: Path | None = None, check: bool = True):
        done = subprocess.run(
            [str(part) for part in command],
            cwd=cwd or self.root,
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def run_python(self, code: str, check: bool = True):
        return self.run([self.python, "-c", code], check=check)

    def autograder(self, *args: object, cwd: Path) -> subprocess.CompletedProcess:
        return self.run([self.env / "bin" / "autograder", *args], cwd=cwd, check=False)

    def execute(self, notebook, folder: Path) -> None:
        """Run every cell of ``notebook`` in a fresh kernel of the student's environment,
        its working folder ``folder``, as Jupyter's "Run all" would."""
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager
        from nbclient import NotebookClient

        specs = KernelSpecManager(kernel_dirs=[str(self.kernels)])
        manager = KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)
        client = NotebookClient(
            notebook, km=manager, timeout=900, resources={"metadata": {"path": str(folder)}}
        )
        client.execute(env=self.environ)


@pytest.fixture(scope="module")
def student(kit, tmp_path_factory) -> Student:
    return Student(tmp_path_factory.mktemp("student"), kit)


def test_the_kit_alone_is_what_the_students_environment_imports(student):
    code = (
        "import autograder, sys\n"
        "print(autograder.__file__)\n"
        "try:\n"
        "    import autograder_solutions\n"
        "except ModuleNotFoundError:\n"
        "    pass\n"
        "else:\n"
        "    sys.exit('the solutions are importable')\n"
    )
    where = Path(student.run_python(code).stdout.strip())
    assert where.is_relative_to(student.env)
    assert (student.kernels / KERNEL / "kernel.json").is_file()


def graded_cells(notebook) -> dict[str, nbformat.NotebookNode]:
    """{function: its test cell} of an executed notebook."""
    return {
        grade_id(cell).removeprefix("test-"): cell
        for cell in notebook.cells
        if (grade_id(cell) or "").startswith("test-")
    }


def printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def value(cell) -> float:
    """The test cell's value (nbgrader's partial credit); an error fails the test."""
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert not errors, "\n".join(errors[0].traceback)
    (result,) = [o for o in cell.outputs if o.output_type == "execute_result"]
    return float(result.data["text/plain"])


def choose_language(notebook, lang: str) -> None:
    """What the notebooks tell a student: a cell of their own above the tests."""
    if lang != "en":
        cell = nbformat.v4.new_code_cell(f'FEEDBACK_LANGUAGE = "{lang}"')
        notebook.cells.insert(0, cell)


def points_by_function(report: dict) -> dict[str, list[float]]:
    """{assignment.function: [score, max_score]} of a JSON report (the kit: visible only)."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for test in report["tests"]:
        (tag,) = test["tags"]
        totals[tag][0] += test["score"]
        totals[tag][1] += test["max_score"]
    return dict(totals)


def test_every_released_notebook_gives_full_marks_to_the_solutions(student):
    work = student.root / "solved"
    work.mkdir()
    languages = {}
    for index, name in enumerate(ASSIGNMENT_NAMES):
        notebook = filled_notebook(name)
        languages[name] = ("en", "zh")[index % 2]
        choose_language(notebook, languages[name])
        student.execute(notebook, work)
        nbformat.write(notebook, work / f"{name}.ipynb")

    graded = student.autograder("grade", ".", "--format", "json", cwd=work)
    assert graded.returncode == 0, graded.stderr
    assert not [t for t in json.loads(graded.stdout)["tests"] if t["visibility"] != "visible"]
    report = points_by_function(json.loads(graded.stdout))
    checked = student.autograder("check", ".", cwd=work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "✗" not in checked.stdout
    assert checked.stdout.count("✓") == len(json.loads(graded.stdout)["tests"])

    cells = 0
    for name in ASSIGNMENT_NAMES:
        notebook = nbformat.read(work / f"{name}.ipynb", as_version=4)
        lang = languages[name]
        for function, cell in graded_cells(notebook).items():
            score, most = report[f"{name}.{function}"]
            text = printed(cell)
            assert HEADING[lang].format(f=function, a=name) in text, text
            assert TOTAL[lang] in text and not FAILED.search(text), text
            assert value(cell) == score == most > 0, (name, function, text)
            cells += 1
    assert cells == len(report)


def mutant_function(path: Path) -> str:
    """The wrong function of a mutant file, as a student would type it in its cell."""
    source = path.read_text(encoding="utf-8")
    (function,) = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    return ast.get_source_segment(source, function)


def test_a_wrong_function_is_named_by_its_test_cell_in_english_and_chinese(student):
    work = student.root / "wrong"
    work.mkdir()
    answers = solution_cells("tensors")
    answers["gather"] = mutant_function(MUTANTS / "tensors" / "gather" / "no_shape_check.py")
    notebook = filled_notebook("tensors", answers)
    # After the English feedback, the student asks for Chinese and runs the test cell again.
    again = graded_cells(notebook)["gather"].source
    notebook.cells += [
        nbformat.v4.new_code_cell('FEEDBACK_LANGUAGE = "zh"'),
        nbformat.v4.new_code_cell(again),
    ]
    student.execute(notebook, work)
    path = work / "tensors.ipynb"
    nbformat.write(notebook, path)

    checked = student.autograder("check", path.name, cwd=work)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    failed_in_check = [
        line.strip().removeprefix("✗ ") for line in checked.stdout.splitlines() if "✗" in line
    ]
    graded = student.autograder("grade", path.name, "--lang", "zh", "--format", "json", cwd=work)
    assert graded.returncode == 0, graded.stderr
    report = json.loads(graded.stdout)
    failed_in_grade = [t["name"] for t in report["tests"] if t["score"] < t["max_score"]]
    points = points_by_function(report)

    cells = graded_cells(notebook)
    english, chinese = cells["gather"], notebook.cells[-1]
    assert FAILED.findall(printed(english)) == failed_in_check
    assert all(name.startswith("tensors.gather: ") for name in failed_in_check)
    assert "raises ValueError for an index of the wrong shape" in failed_in_check[0]
    assert FAILED.findall(printed(chinese)) == failed_in_grade
    assert "index 形状不对时抛出 ValueError" in failed_in_grade[0]
    assert TOTAL["zh"] in printed(chinese) and "未通过" in printed(chinese)
    score, most = points["tensors.gather"]
    assert value(english) == value(chinese) == score < most
    for function in ("broadcast_shapes", "broadcast_to"):
        assert value(cells[function]) == points[f"tensors.{function}"][1]
