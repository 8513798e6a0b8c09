"""A notebook's Markdown and blank lines cannot make the judge read it for hours.

Each line of a notebook's module is named after the exercise heading above its cell.  The
heading was read with ``^#{1,6}\\s+(?P<text>.+?)\\s*$`` and cut with ``\\s*\\([^()]*\\)$``:
both try every character of a run of spaces inside the heading against the rest of the
run, time in the square of its length (100 000 spaces: 33 s in a batch's judge before
the first student, with no time limit, again in the student's worker and in the
similarity child; a batch of two students took 101 s).  The notebook grades as usual.
"""

from __future__ import annotations

import random
import re
import resource
import subprocess
import sys

import pytest

from autograder.notebook_source import cell_label, heading_text

pytestmark = pytest.mark.unit

# How the heading was read before (the reference for what a heading says).
OLD_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*$", re.MULTILINE)


def _old_label(source: str) -> str | None:
    found = OLD_HEADING.search(source)
    if found is None:
        return None
    text = found["text"].replace("`", "").replace("*", "")
    return re.sub(r"\s*\([^()]*\)$", "", text).strip()


def _new_label(source: str) -> str | None:
    text = heading_text(source)
    return None if text is None else cell_label(text)


def test_headings_read_as_before():
    """The same label (or none) as the old expressions, for short Markdown of every shape."""
    draw = random.Random(7)
    alphabet = ["#", "#", " ", " ", "\n", "\t", "\r", "a", "b", "(", ")", "`", "*", "\xa0"]
    sources = ["# Exercise 3: `gather` (2 points)", "## a\n# b", "#\n", "# \n", "#   ", "#######"]
    sources += ["".join(draw.choices(alphabet, k=draw.randrange(1, 14))) for _ in range(20000)]
    for source in sources:
        assert _new_label(source) == _old_label(source), repr(source)


def _cpu_limited() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))


def _says_true_in_time(code: str, given: str = "") -> None:
    """``code`` run in a child of 20 CPU-seconds prints True (it is not killed first)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=given,
        capture_output=True,
        text=True,
        preexec_fn=_cpu_limited,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:] or f"killed ({done.returncode})"
    assert done.stdout.strip() == "True"


RUN = " " * 1_000_000


@pytest.mark.parametrize(
    ("heading", "label"),
    [(f"# a{RUN}b", "a" + " " * 78 + "…"), (f"# Exercise 1{RUN}(2 points)", "Exercise 1")],
    ids=["inside", "before-the-points"],
)
def test_a_heading_with_a_long_run_of_spaces_is_read_in_one_pass(heading, label):
    """A million spaces inside a heading: read in milliseconds (the old expressions took
    about 45 CPU-minutes).  The child's 20 CPU-seconds are a backstop thousands of times
    longer than the reading needs, CPU time, not the clock: a busy machine changes nothing."""
    code = (
        "import sys\n"
        "from autograder.notebook_source import cell_label, heading_text\n"
        "heading, label = sys.stdin.read().split('\\0')\n"
        "print(cell_label(heading_text(heading)) == label)\n"
    )
    _says_true_in_time(code, f"{heading}\0{label}")


def test_a_cell_of_a_million_blank_lines_is_joined_in_one_pass():
    """A cell's blank lines before and after its code are dropped at once (dropped one at a
    time from the front of a list, a million took about 150 CPU-seconds)."""
    code = (
        "from autograder.notebook_source import join_located_cells\n"
        "blank = '\\n' * 1_000_000\n"
        "module, lines = join_located_cells([(blank + 'x = 1' + blank, 'c')])\n"
        "print(module == 'x = 1\\n' and lines.origin(1) == ('c', 1_000_001))\n"
    )
    _says_true_in_time(code)


def test_a_long_heading_is_named_short_in_the_feedback():
    """Feedback names each "line N" by its cell's heading: a heading of 100 000 characters,
    named for each of the few hundred "line 3" a student's 2000-character message holds,
    made one check's feedback 25 MB (a 1000-character one: 256 kB) from 2 kB."""
    from autograder.grading.discovery import in_cells
    from autograder.grading.model import CheckResult
    from autograder.notebook_source import join_located_cells

    heading = cell_label(heading_text("# " + "H" * 100_000))
    _, cells = join_located_cells([("x = 1\ny = 2\nz = 3\n", heading)])
    message = "raised ValueError: " + "line 3 " * 280
    failed = CheckResult.failing("tensors", "gather", "values", 1.0, message[:2000])
    [located] = in_cells([failed], cells, "tensors", "tensors.ipynb")
    named = located.feedback.count("cell “") == 280  # (each named after its cell)
    size, given = len(located.feedback), len(failed.feedback)  # (no huge text in a report)
    assert named
    assert size <= 40 * given, f"{given} characters of feedback became {size}"
