"""softmax_regression.py: the reference matches PyTorch, tolerances are honest, and the
seed's overflowing softmax loses points with an explanation."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from autograder.exercises.softmax_regression import checks
from autograder_solutions import softmax_regression as reference
from tests.gradelib import SOLUTIONS, grade_source, splice

MUTANTS = SOLUTIONS.parent / "tests" / "mutants" / "softmax_regression"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("scale", [1.0, 10.0, 1e4])
def test_reference_agrees_with_torch_within_the_checks_tolerance(dtype, scale):
    generator = torch.Generator().manual_seed(0)
    for _ in range(50):
        x = ((torch.rand(5, 7, generator=generator) * 2 - 1) * scale).to(dtype)
        y = torch.randint(0, 7, (5,), generator=generator)
        tol = checks.tolerance(dtype, checks.magnitude(x))
        for dim in (0, 1, -1):
            torch.testing.assert_close(reference.softmax(x, dim), torch.softmax(x, dim), **tol)
        eps = torch.finfo(dtype).eps
        torch.testing.assert_close(
            reference.stable_cross_entropy(x, y),
            F.cross_entropy(x, y, reduction="none"),
            rtol=4 * eps,
            atol=eps * (4 * checks.magnitude(x) + 8),
        )


def test_reference_is_finite_where_the_naive_formula_is_not():
    x = checks.LARGE.to(torch.float32)
    naive = torch.exp(x) / torch.exp(x).sum(1, keepdim=True)
    assert not torch.isfinite(naive).all()
    assert torch.isfinite(reference.softmax(x, 1)).all()
    losses = reference.stable_cross_entropy(checks.LARGE_LOGITS, checks.LARGE_LABELS)
    torch.testing.assert_close(
        losses, F.cross_entropy(checks.LARGE_LOGITS, checks.LARGE_LABELS, reduction="none")
    )


def test_reference_gives_minus_inf_probability_zero():
    p = reference.softmax(checks.MASKED, 1)
    assert (p[float("-inf") == checks.MASKED] == 0).all()


def test_reference_cross_entropy_matches_nll_loss():
    y_hat, y = checks.SQUARE_CASE
    torch.testing.assert_close(
        reference.cross_entropy(y_hat, y), F.nll_loss(torch.log(y_hat), y, reduction="none")
    )


def test_seed_softmax_feedback_explains_the_overflow(tmp_path):
    source = splice(
        (SOLUTIONS / "softmax_regression.py").read_text(),
        (MUTANTS / "softmax" / "seed_overflow.py").read_text(),
    )
    results = grade_source(tmp_path, "softmax_regression", source, only=["softmax"])
    by_check = {r.check: r for r in results}
    stable = by_check[
        "stays finite and accurate for inputs up to 1e4 in magnitude (float32 and float64)"
    ]
    assert not stable.passed
    assert "nan or inf" in stable.feedback
    assert "exp overflows" in stable.feedback and "inf / inf = nan" in stable.feedback
    assert "subtract the maximum along dim" in stable.feedback
    dim = by_check["the dim argument is honoured for every dimension (and defaults to -1)"]
    assert not dim.passed and "not along a fixed dimension such as 1" in dim.feedback
    # What the seed gets right still earns its points.
    assert by_check["is differentiable: gradients match torch.softmax's"].passed
    assert by_check["does not modify its input"].passed
