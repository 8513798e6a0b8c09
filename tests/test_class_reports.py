"""What a class's reports say about students who lost everything, and about modules that
were not handed in (one line, not a table of checks that all say so)."""

from __future__ import annotations

import pytest

from autograder.grading.grade import not_found
from autograder.grading.model import CheckResult, GradeReport, StudentResult
from autograder.report.gradebook import why_nothing
from autograder.report.markdown import render_markdown
from autograder.report.text import render_text

pytestmark = pytest.mark.unit

IMPORT_FAILED = (
    "could not import tensors.py: it raised SyntaxError: invalid syntax (tensors.py, line 7)"
)


def failed(assignment: str, function: str, feedback: str, check: str = "agrees") -> CheckResult:
    return CheckResult(assignment, function, check, 0, 5, False, feedback)


def test_the_error_column_says_why_a_student_lost_everything():
    syntax = StudentResult("s", "s", [failed("tensors", f, IMPORT_FAILED) for f in "abc"])
    assert why_nothing(syntax) == f"tensors: {IMPORT_FAILED}"
    hung = "could not import tensors.py: the call never returned: the runner timed out after 30 s"
    missing = str(not_found("mlp", None))
    two = StudentResult(
        "t", "t", [failed("tensors", "a", hung + "\nmore"), failed("mlp", "b", missing)]
    )
    assert why_nothing(two) == f"tensors: {hung}; mlp: {missing}"
    stub = StudentResult(
        "u",
        "u",
        [
            failed("tensors", "a", "a is not implemented yet"),
            failed("tensors", "b", "b is not implemented yet"),
        ]
        * 2,
    )
    assert why_nothing(stub).endswith("not implemented yet (and 1 other reasons)")
    # The batch's own error first; nothing for a student with points.
    broken = StudentResult("v", "v", syntax.results, error="grading stopped: too long")
    assert why_nothing(broken) == "grading stopped: too long"
    some = StudentResult("w", "w", [*syntax.results, CheckResult("tensors", "d", "x", 1, 1, True)])
    assert why_nothing(some) == ""


def test_a_module_not_handed_in_is_one_line_in_every_report():
    missing = str(not_found("mlp", None))
    report = GradeReport(
        [
            CheckResult("tensors", "gather", "agrees", 4, 4, True),
            *(
                failed("mlp", function, missing, check)
                for function in ("relu", "dropout")
                for check in ("one", "two")
            ),
        ]
    )
    text = render_text(report, width=200)
    assert text.count("not submitted") == 1
    assert f"mlp.py — 0/20: {missing}" in text
    assert "dropout" not in text and "relu" not in text
    markdown = render_markdown(report)
    assert markdown.count("not submitted") == 1 and "`relu`" not in markdown
    assert "### mlp.py — 0/20 (0%)" in markdown
