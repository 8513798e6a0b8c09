"""A student's code cannot make the similarity ranking take hours (and a batch wait for it).

The fingerprints tokenise each submission with Pygments' Python lexer.  Its rule for an
old-style format in a string (``'%-08.3f'``) is a regular expression that backtracks over
the flags and the width after the ``%``, and a ``0`` is both: a string of a ``%`` and
zeros costs it time in the square of their number (16 000 zeros: 5.8 s; 48 000 made a
batch of two students 41 s longer; 500 000, under the 512 KiB a module may have, about
1.7 hours, per module, in a child the batch's outputs wait for, and again in the judge
when that child fails).  The module grades as usual: the string is only data.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from autograder.batch import similarity
from autograder.batch.similarity import WHOLE_MODULE, Fingerprints, rank_assignment
from tests.gradelib import correct_files

pytestmark = pytest.mark.unit

# What Pygments' format rule backtracks over after a '%' (its optional "(name)" first).
FORMAT_RUN = re.compile(r"%(?:\(\w+\))?([-#0 +0-9.*]+)")


def _padded(source: str, zeros: int) -> str:
    return source + f"\nPADDING = '%{'0' * zeros}'\n"


def test_a_string_of_zeros_after_a_percent_sign_reaches_the_lexer_short(monkeypatch):
    """What the lexer is given holds no long run of format flags and digits after a '%'
    (tokenising it for real here would take the test hours: the spy only records it)."""
    lexed: list[str] = []

    def spy(code, filename, language=None):
        lexed.append(code)
        return "", np.array([])

    monkeypatch.setattr("copydetect.detector.filter_code", spy)
    source = correct_files("softmax_regression")[0].read_text(encoding="utf-8")
    Fingerprints(()).of(_padded(source, 500_000))
    assert lexed
    longest = max((len(m.group(1)) for code in lexed for m in FORMAT_RUN.finditer(code)), default=0)
    assert longest <= 64, f"the lexer is given a run of {longest} flags after a '%'"


def test_padding_after_a_percent_sign_does_not_hide_a_copy():
    """Cut short for the lexer, the padding is still compared: two students handing in the
    same padded module are the most alike pair (the padding hides nothing)."""
    files = correct_files("softmax_regression")
    codes = {f"indep-{f.stem}": f.read_text(encoding="utf-8") for f in files}
    copied = _padded(files[0].read_text(encoding="utf-8"), 3000)
    codes["copier-a"] = codes["copier-b"] = copied
    rankings = rank_assignment(
        "softmax_regression", codes, similarity.course_boilerplate("softmax_regression"), []
    )
    top = rankings[WHOLE_MODULE][0]
    assert {top.first, top.second} == {"copier-a", "copier-b"}
    assert top.score > 0.9


def test_course_code_is_tokenised_as_written():
    """No real module has such a run: every correct variant, solution and stub reaches the
    lexer unchanged, so its fingerprints (and every score) stay as they were."""
    from autograder.grading.registry import ASSIGNMENT_NAMES

    files = [*correct_files(), *(similarity.CHECKOUT / "solutions").glob("*.py")]
    files += [similarity.CHECKOUT / "assignments" / f"{name}.py" for name in ASSIGNMENT_NAMES]
    for file in files:
        code = file.read_text(encoding="utf-8")
        assert similarity.lexed(code) == code, file
