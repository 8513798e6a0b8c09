"""The reference solutions get full marks and the student stubs get zero, everywhere."""

from __future__ import annotations

import pytest

from autograder.grading.registry import ASSIGNMENT_NAMES
from tests.gradelib import ASSIGNMENTS, SOLUTIONS, grade_file


@pytest.mark.parametrize("assignment", ASSIGNMENT_NAMES)
def test_solution_gets_full_marks(assignment):
    results = grade_file(SOLUTIONS / f"{assignment}.py", assignment)
    failures = [f"{r.title}: {r.feedback}" for r in results if not r.passed]
    assert results and not failures, "\n".join(failures)


@pytest.mark.parametrize("assignment", ASSIGNMENT_NAMES)
def test_stub_gets_zero(assignment):
    results = grade_file(ASSIGNMENTS / f"{assignment}.py", assignment)
    passed = [r.title for r in results if r.score > 0]
    assert results and not passed, f"stubs earned points in: {passed}"
    for result in results:
        assert "not implemented" in result.feedback, result.feedback
