"""A generated class of tensors submissions, and how to run the ``autograder`` command on it.

Thirty students: the reference solution, the correct variants, every mutant of
``tests/mutants/tensors`` (each spliced into the solution), a syntax error, an infinite
loop, a stub, an empty folder, and one that kills the process grading it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.gradelib import ASSIGNMENTS, SOLUTIONS, correct_files, mutant_files, splice
from tests.inprocess_cli import run_here

SOLUTION = (SOLUTIONS / "tensors.py").read_text()
CLASS_VARIANTS = ("loops_and_unsqueeze",)


@dataclass(frozen=True)
class Expected:
    """What a student's row must look like: full marks except where a bug is."""

    kind: str  # full | mutant | zero | loop | error
    function: str | None = None  # the function that loses points (mutant, loop)
    feedback: str | None = None  # a text every failed check's feedback must contain


# A few students of the class, one of each kind the gradebook shows (a mutant, a syntax
# error, a hostile module, a stub, an empty folder): enough to shard and merge.
SMALL_CLASS = (
    "correct-reference",
    "mutant-gather-negative_wraps",
    "broken-syntax",
    "hostile-kills-its-grader",
    "stub",
    "missing",
)


def make_class(folder: Path, students: tuple[str, ...] | None = None) -> dict[str, Expected]:
    """Write the class (or the named ``students`` of it) into ``folder``: what each row of
    the gradebook must show."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}

    def add(name: str, source: str | None, expectation: Expected) -> None:
        if students is not None and name not in students:
            return
        student = folder / name
        student.mkdir()
        if source is not None:
            (student / "tensors.py").write_text(source, encoding="utf-8")
        expected[name] = expectation

    add("correct-reference", SOLUTION, Expected("full"))
    # One whole-module variant keeps the class at thirty (test_mutants grades every variant).
    for variant in correct_files("tensors"):
        if variant.stem in CLASS_VARIANTS:
            add(f"correct-{variant.stem}", splice(SOLUTION, variant.read_text()), Expected("full"))
    for mutant in mutant_files("tensors"):
        function = mutant.parent.name
        add(
            f"mutant-{function}-{mutant.stem}",
            splice(SOLUTION, mutant.read_text()),
            Expected("mutant", function),
        )
    add(
        "broken-syntax",
        SOLUTION + "\ndef broken(:\n    pass\n",
        Expected("zero", feedback="SyntaxError"),
    )
    add(
        "broken-infinite-loop",
        splice(SOLUTION, "def gather(input, dim, index):\n    while True:\n        pass\n"),
        Expected("loop", "gather", feedback="timed out"),
    )
    # A runner is PID 1 of its own PID namespace: it sees no parent (getppid() is 0, and
    # kill(0) only reaches its own group, where PID 1 ignores it), so the attack does nothing.
    add(
        "hostile-kills-its-grader",
        SOLUTION + "\nimport os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
        Expected("full"),
    )
    add(
        "stub",
        (ASSIGNMENTS / "tensors.py").read_text(),
        Expected("zero", feedback="not implemented"),
    )
    # An empty folder: nothing to grade, which the gradebook's error column says.
    add("missing", None, Expected("error", feedback="no module or notebook found"))
    assert students is None or set(expected) == set(students), "a student not in the class"
    return expected


def autograder(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the ``autograder`` command ARGS in this process, in folder ``cwd``
    (tests/inprocess_cli.py), its output as text.  The grader's own start (two imports of
    torch) is tested by tests/test_cli.py and tests/test_standalone.py."""
    done = run_here(list(args), cwd)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )
