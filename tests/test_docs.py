"""The documentation stands on its own and its commands work as written.

Every fenced shell block of README.md and docs/*.md runs here, exactly as written (once,
where two blocks hold the same commands), in a
folder that holds what the commands expect (a module, a notebook, a submission, a small
class, and the repository's Makefile); bash runs each block, and its ``autograder``
commands run in this process, with their own arguments, folder and environment
(tests/inprocess_cli.py says why); a block that cannot run here says why in an
``<!-- doctest: skip: REASON -->`` line just above it, and ``SKIPPED`` below lists it, so
that a new skip is a decision taken in review. Links go only to files of the repository,
and docs/contract.md lists exactly the assignments and functions the grader has.
"""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from tests.gradelib import ASSIGNMENTS, ROOT, SOLUTIONS
from tests.inprocess_cli import InProcessCommands
from tests.notebooklib import filled_notebook

pytestmark = pytest.mark.xdist_group("docs")

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELLS = ("sh", "bash", "shell", "console")
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
SKIP = re.compile(r"<!--\s*doctest:\s*skip:\s*(?P<reason>.+?)\s*-->\s*$")

# The blocks that do not run here, by their first command, and why.
SKIPPED = {
    "make test": "the whole test suite, which this test is part of; CI runs it (.ci/run)",
    'pip install --extra-index-url https://download.pytorch.org/whl/cpu "./kit[notebook]"': (
        "installs packages into the running environment; tests/test_student_path.py installs "
        "the kit into a fresh environment and runs every notebook"
    ),
    "jupyter lab tensors/tensors.ipynb": "starts an interactive server",
    "make grade TORCH_INDEX=https://download.pytorch.org/whl/cpu": "installs torch from "
    "download.pytorch.org, which CI cannot reach; where .venv exists it is `make grade` "
    "again; tests/test_standalone.py checks that the Makefile hands the index to pip",
    ".venv/bin/autograder release": "rebuilds the committed release with nbgrader (minutes); "
    "tests/test_release.py and tests/test_kit.py build it",
    ".venv/bin/autograder grade-nbgrader tensors --course-dir course/": "needs an nbgrader "
    "course with a gradebook; tests/test_nbgrader_gradebook.py grades one",
    ".venv/bin/python -m tests.record_catches <name>": "a template for a new assignment's "
    "name; tests/test_adding_an_assignment.py runs it for the toy assignment",
    "SHARDS=8 ci/slurm/grade-class.sh submissions tensors mlp": "submits jobs to a Slurm "
    "cluster; tests/test_shards.py runs the scripts with the variables Slurm sets",
    "kubectl apply -f ci/kubernetes/grade-class.yaml": "needs a Kubernetes cluster; "
    "tests/test_shards.py runs each pod's command with its JOB_COMPLETION_INDEX",
}


@dataclass(frozen=True)
class Block:
    document: Path
    line: int
    text: str
    skip: str | None

    @property
    def first(self) -> str:
        return next(c for c in self.commands if c)

    @property
    def commands(self) -> list[str]:
        return [
            line.split("  #")[0].strip()
            for line in self.text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]

    def __str__(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def shell_blocks() -> list[Block]:
    blocks = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match["lang"] not in SHELLS:
                continue
            before = text[: match.start()].rstrip("\n").splitlines()
            marker = SKIP.search(before[-1]) if before else None
            line = text.count("\n", 0, match.start()) + 1
            blocks.append(Block(document, line, match["body"], marker and marker["reason"]))
    return blocks


def test_every_shell_block_runs_or_says_why_not():
    blocks = shell_blocks()
    assert len(blocks) >= 6
    skipped = {block.first: block.skip for block in blocks if block.skip}
    assert sorted(skipped) == sorted(SKIPPED), skipped
    for block in blocks:
        assert block.text.strip(), f"{block} is empty"
        assert block.skip is None or len(block.skip) > 10, f"{block}: say why it is skipped"


def test_links_stay_inside_the_repository():
    link = re.compile(r"\]\((?P<target>[^)\s]+)\)")
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        assert "SPEC" not in text and "../shared" not in text, document
        for match in link.finditer(text):
            target = match["target"]
            assert not re.match(r"[a-z]+:", target), f"{document.name}: {target}"
            path = (document.parent / target.split("#")[0]).resolve()
            assert path.is_relative_to(ROOT) and path.exists(), f"{document.name}: {target}"


# ---------------------------------------------------------------------------------------
# The contract lists what the grader grades
# ---------------------------------------------------------------------------------------
def _parameters(function) -> str:
    """``name(a, b=1, *rest)`` as the contract writes it: no type hints; a class that keeps
    ``nn.Module``'s constructor takes nothing (``CenteredLayer()``)."""
    if inspect.isclass(function) and "__init__" not in vars(function):
        return f"{function.__name__}()"
    parts = []
    for parameter in inspect.signature(function).parameters.values():
        stars = {parameter.VAR_POSITIONAL: "*", parameter.VAR_KEYWORD: "**"}
        text = stars.get(parameter.kind, "") + parameter.name
        if parameter.default is not parameter.empty:
            text += f"={parameter.default!r}"
        parts.append(text)
    return f"{function.__name__}({', '.join(parts)})"


def test_the_contract_lists_every_assignment_and_signature_of_the_grader():
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    section = text.split("## The assignments", 1)[1].split("\n## ", 1)[0]
    documented: dict[str, list[str]] = {}
    for part in re.split(r"^### ", section, flags=re.MULTILINE)[1:]:
        heading, _, body = part.partition("\n")
        name = re.fullmatch(r"`(\w+)`", heading.strip())
        if name:  # "Coming next" and the like are not assignments
            documented[name[1]] = re.findall(r"^- `(\w+\([^`]*\))`", body, re.MULTILINE)
    registry = {}
    for assignment in ASSIGNMENT_NAMES:
        reference = importlib.import_module(f"autograder_solutions.{assignment}")
        registry[assignment] = [
            _parameters(getattr(reference, exercise.name))
            for exercise in load_assignment(assignment).exercises
        ]
    assert documented == registry


# ---------------------------------------------------------------------------------------
# Every command, as written
# ---------------------------------------------------------------------------------------
def _virtual_environment(venv: Path, commands: InProcessCommands) -> None:
    """The README's ``.venv``: this one's files, with the in-process ``autograder``."""
    (venv / "bin").mkdir(parents=True)
    for entry in Path(sys.prefix).iterdir():
        if entry.name != "bin":
            os.symlink(entry, venv / entry.name)
    for tool in (Path(sys.prefix) / "bin").iterdir():
        if tool.name != "autograder":
            os.symlink(tool, venv / "bin" / tool.name)
    commands.write_stand_in(venv / "bin" / "autograder")


@pytest.fixture(scope="module")
def course_folder(tmp_path_factory, autograder_here) -> Path:
    """What the documented commands expect to find where they are typed."""
    work = tmp_path_factory.mktemp("newcomer")
    _virtual_environment(work / ".venv", autograder_here)  # the README's .venv/bin/autograder
    for name in ("Makefile", "pyproject.toml", "constraints.txt", "examples"):
        os.symlink(ROOT / name, work / name)  # make grade grades examples/submission
    shutil.copy(SOLUTIONS / "tensors.py", work / "tensors.py")
    nbformat.write(filled_notebook("tensors"), work / "tensors.ipynb")
    shutil.copytree(ROOT / "examples" / "submission", work / "submission")
    class_ = work / "submissions"
    for student in ("ada", "ben", "cy"):
        (class_ / student).mkdir(parents=True)
    shutil.copy(SOLUTIONS / "tensors.py", class_ / "ada" / "tensors.py")
    shutil.copy(ASSIGNMENTS / "tensors.py", class_ / "ben" / "tensors.py")  # untouched stub
    return work  # cy handed in an empty folder


def test_documented_commands_work_as_written(course_folder, autograder_here):
    work = course_folder
    before = set(os.listdir(work))
    environment = {
        **os.environ,
        "PATH": f"{work / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "CI": "true",
    }
    environment.pop("PYTHONPATH", None)
    ran: set[tuple[str, ...]] = set()
    for block in shell_blocks():
        # A block whose commands were already run (the Chinese section repeats the English
        # one's, with comments of its own) is not run again.
        if block.skip or tuple(block.commands) in ran:
            continue
        ran.add(tuple(block.commands))
        done = autograder_here.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", block.text],
            cwd=work,
            env=environment,
            timeout=600,
        )
        assert done.returncode == 0, (str(block), done.stdout[-3000:], done.stderr[-3000:])
    # What the commands were asked to write, and nothing else (no .hypothesis/).
    written = set(os.listdir(work)) - before
    assert ".hypothesis" not in written
    assert {"results.json", "report.xml", "grades", "shards", "gradebook"} <= written, written
    rows = list(csv.DictReader(io.StringIO((work / "gradebook" / "gradebook.csv").read_text())))
    assert [(row["student"], row["tensors"]) for row in rows] == [
        ("ada", "30"),
        ("ben", "0"),
        ("cy", "0"),
    ]
    empty = next(row for row in rows if row["student"] == "cy")
    assert empty["error"].startswith("no module or notebook found")
    # The sample class of examples/class/: why cy lost everything, ben's missing cnn.py.
    sample = csv.DictReader(io.StringIO((work / "sample" / "gradebook.csv").read_text()))
    by_student = {row["student"]: row for row in sample}
    assert sorted(by_student) == ["ana", "ben", "cy"]
    assert "SyntaxError" in by_student["cy"]["error"] and "line 6" in by_student["cy"]["error"]
    assert by_student["ben"]["cnn"] == "0" and float(by_student["ben"]["tensors"]) > 0
    ben = (work / "sample" / "feedback" / "ben.md").read_text()
    assert ben.count("not submitted") == 1 and "`pool_output_size`" not in ben
    assert (work / "gradebook" / "distribution.png").is_file()
