"""gradients.py: the hand-written reference agrees with the ground truth (autograd in
float64), the float64 tolerances are tight enough to refuse finite differences, and a
failing check explains the seeds' mistakes with the hint their values point to."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import torch

from autograder.exercises.gradients import checks
from autograder.exercises.gradients import oracle as autograd_truth
from autograder_solutions import gradients as reference
from tests.gradelib import MUTANTS, grade_replacement

X = torch.linspace(-12, 12, 97, dtype=torch.float64)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_the_hand_derivatives_are_autograds_in_float64(name):
    expected = autograd_truth.activation_grad(X, name)
    got = reference.activation_grad(X, name)
    assert torch.allclose(got, expected, **checks.activation_tolerance(torch.float64))


def test_the_jacobian_cross_entropy_and_huber_are_autograds():
    a = torch.tensor([0.5, -1.0, 2.0, 1e4], dtype=torch.float64)
    assert torch.allclose(reference.softmax_jacobian(a), autograd_truth.softmax_jacobian(a))
    logits = torch.tensor([[1.0, -2.0, 0.5], [1e4, 0.0, -1e4]], dtype=torch.float64)
    y = torch.tensor([2, 1])
    for got, want in zip(
        reference.cross_entropy_grad(logits, y), autograd_truth.cross_entropy_grad(logits, y)
    ):
        assert torch.allclose(got, want, rtol=1e-14, atol=1e-14)
    y_hat, target = X, torch.zeros_like(X)
    for delta in (0.5, 1.0, 3.0):
        assert torch.allclose(
            reference.huber_loss(y_hat, target, delta),
            autograd_truth.huber_loss(y_hat, target, delta),
        )


def test_finite_differences_do_not_pass_the_float64_tolerance():
    """The float64 comparison is within 8 eps: a central difference (error ~1e-10) fails."""
    h = 1e-5
    numeric = (torch.sigmoid(X + h) - torch.sigmoid(X - h)) / (2 * h)
    expected = autograd_truth.activation_grad(X, "sigmoid")
    assert not torch.allclose(numeric, expected, **checks.activation_tolerance(torch.float64))


def feedback_of(function: str, mutant: str) -> str:
    source = (MUTANTS / "gradients" / function / f"{mutant}.py").read_text()
    with tempfile.TemporaryDirectory() as folder:
        results = grade_replacement(Path(folder), "gradients", source, function)
    return "\n".join(r.feedback for r in results if not r.passed)


@pytest.mark.parametrize(
    ("function", "mutant", "hint"),
    [
        ("activation_grad", "sigmoid_wrong_sign", checks.SIGMOID_SIGN_HINT),
        ("activation_grad", "relu_one_at_zero", checks.AT_ZERO_HINT),
        ("softmax_jacobian", "no_kronecker_delta", checks.JACOBIAN_DELTA_HINT),
        ("cross_entropy_grad", "missing_minus_sign", checks.MINUS_HINT),
        ("cross_entropy_grad", "log_of_softmax", checks.UNDERFLOW_HINT),
        ("cross_entropy_grad", "gradient_without_n", checks.GRAD_N_HINT),
        ("huber_loss", "notes_minus_half", checks.HALF_HINT),
    ],
)
def test_the_seeds_mistakes_are_explained(function, mutant, hint):
    assert hint in feedback_of(function, mutant)
