"""Hypothesis's examples come from a check's strategies and seed alone
(autograder.grading.context.examples_from_the_strategies_alone): not from the constants of
whatever "local" modules the grading process happens to have loaded."""

from __future__ import annotations

import importlib
import sys

import pytest
from hypothesis import Phase, given, seed, settings
from hypothesis import strategies as st

from autograder.grading.context import examples_from_the_strategies_alone

pytestmark = pytest.mark.unit

# Constants a module of the process might hold; hypothesis draws from such (p = 0.05 a draw).
LOCAL_MODULE = """
THRESHOLDS = (0.0123456789, 0.3141592653, 0.7777777777, 0.9012345678, 0.0000271828)
COUNTS = (12345, 67890, 424242, 31337)
"""


def _examples() -> list[tuple[float, int]]:
    drawn: list[tuple[float, int]] = []

    @settings(max_examples=400, database=None, deadline=None, phases=(Phase.generate,))
    @seed(20261207)
    @given(st.floats(0.0, 0.95), st.integers(0, 10**6))
    def collect(value: float, count: int) -> None:
        drawn.append((value, count))

    collect()
    return drawn


@pytest.fixture
def local_module(tmp_path, monkeypatch):
    """A module of constants, loaded from outside site-packages (a "local" one)."""
    (tmp_path / "thresholds_of_the_course.py").write_text(LOCAL_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("thresholds_of_the_course")
    yield module
    sys.modules.pop("thresholds_of_the_course", None)


def test_the_examples_do_not_depend_on_the_local_modules_loaded(request):
    with examples_from_the_strategies_alone():
        before = _examples()
    request.getfixturevalue("local_module")
    with examples_from_the_strategies_alone():
        after = _examples()
    assert after == before
    # Without it, hypothesis (as pinned) draws local modules' constants (now and then: about
    # twenty of the 800 draws are constants, each from the local ones with probability 1/2):
    # the point of the above.
    assert _examples() != before


def test_nothing_drawn_without_it_leaks_in_or_out(local_module):
    loose = _examples()
    with examples_from_the_strategies_alone():
        inside = _examples()
    assert _examples() == loose
    with examples_from_the_strategies_alone():
        assert _examples() == inside
    assert not any(value in (0.0123456789, 0.3141592653, 0.7777777777) for value, _ in inside)
