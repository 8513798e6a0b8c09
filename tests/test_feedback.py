"""Feedback that matches what failed: a hint chosen by the failing case's kind, and a class
check's failing input with the constructor's arguments and the call's input shapes."""

from __future__ import annotations

from tests.gradelib import MUTANTS, grade_replacement


def failed_feedback(tmp_path, assignment: str, function: str, mutant: str) -> dict[str, str]:
    replacement = (MUTANTS / assignment / function / f"{mutant}.py").read_text()
    results = grade_replacement(tmp_path, assignment, replacement, function)
    return {r.check: r.feedback for r in results if not r.passed}


def test_a_dim_out_of_range_gets_the_dim_hint_not_the_negative_index_one(tmp_path):
    (feedback,) = failed_feedback(tmp_path, "tensors", "gather", "no_dim_check").values()
    assert "when dim is out of range" in feedback
    assert "Hint: dim must lie in [-input.dim(), input.dim())" in feedback, feedback
    assert "negative index" not in feedback


def test_a_negative_index_gets_the_negative_index_hint(tmp_path):
    feedback = failed_feedback(tmp_path, "tensors", "gather", "negative_wraps")
    text = feedback[
        "raises IndexError for an index outside [0, input.size(dim)) or a dim out of range"
    ]
    assert "Hint: a negative index does not count from the end here" in text, text


def test_a_class_check_shows_the_constructor_and_the_input_shapes(tmp_path):
    """Not the probe's own arguments (``MLP([12, 8, 4], 'forward')``)."""
    (feedback,) = failed_feedback(tmp_path, "modules", "MLP", "no_flatten").values()
    assert "mat1 and mat2 shapes cannot be multiplied" in feedback
    assert "Failing input: MLP(12, 8, 4) in eval mode, on X of shape (5, 3, 4)" in feedback
    assert "'forward'" not in feedback
    assert "Hint: flatten first" in feedback
