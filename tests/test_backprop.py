"""backprop.py: the contract's default claim (the notes' Adam run reaches (3, 2)), the
notes' wrong Himmelblau ends elsewhere and the feedback says where, the hand-written
backward passes are autograd's, and the seeds' mistakes get the hint their values point
to."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import torch

from autograder.exercises.backprop import checks, probes
from autograder.exercises.backprop import oracle as autograd_truth
from autograder_solutions import backprop as reference
from tests.gradelib import MUTANTS, grade_replacement


@pytest.mark.slow
def test_the_defaults_reach_himmelblaus_minimum_from_the_origin():
    """The claim the hidden check takes from the signature: 20000 steps (seconds)."""
    point, value = reference.minimize(reference.himmelblau, torch.zeros(2))
    assert torch.allclose(point, torch.tensor([3.0, 2.0]), atol=1e-3)
    assert value < 1e-6


def test_the_notes_wrong_second_term_ends_on_its_valley_not_at_the_minimum():
    answer = probes.descend(
        checks.wrong_second_term, checks.START, checks.DESCENT["lr"], checks.DESCENT["steps"]
    )
    point = answer["result"]["point"]
    assert torch.allclose(point, torch.tensor([0.0, 9.0], dtype=torch.float64), atol=0.05)
    right = probes.descend(reference.himmelblau, checks.START, **checks.DESCENT)
    assert torch.allclose(right["result"]["point"], torch.tensor([3.0, 2.0]).double(), atol=1e-6)


def test_the_hand_backward_passes_are_autograds():
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(5, 3, generator=generator).double()
    T = torch.rand(5, 2, generator=generator).double()
    W1 = torch.randn(4, 3, generator=generator).double()
    W2 = torch.randn(2, 4, generator=generator).double()
    for got, want in zip(
        reference.mlp_backward(X, T, W1, W2), autograd_truth.mlp_backward(X, T, W1, W2)
    ):
        assert torch.allclose(got, want, rtol=1e-13, atol=1e-13)
    for got, want in zip(
        reference.perceptron_backward(X, W2[:, :3], T),
        autograd_truth.perceptron_backward(X, W2[:, :3], T),
    ):
        assert torch.allclose(got, want, rtol=1e-13, atol=1e-13)


def test_the_probe_reads_the_defaults_and_takes_one_step():
    found = probes.defaults(reference.minimize, torch.tensor([0.5, -1.0]).double())["result"]
    assert (found["lr"], found["steps"]) == (1e-3, 20000)
    want, _ = checks.adam_truth("bowl", torch.tensor([0.5, -1.0]).double(), 1e-3, 1)
    assert torch.equal(found["one_step"][0], want)


@pytest.mark.parametrize(
    ("function", "mutant", "wanted"),
    [
        ("perceptron_backward", "gradient_of_the_mean", checks.MEAN_GRADIENT_HINT),
        ("perceptron_backward", "mse_error", checks.MEAN_ERROR_HINT),
        ("mlp_backward", "no_hidden_derivative", checks.NO_HIDDEN_DERIVATIVE_HINT),
        ("himmelblau", "notes_second_term", "(0.0000, 9.0000)"),
        ("himmelblau", "notes_second_term", checks.SECOND_TERM_HINT),
    ],
)
def test_the_seeds_mistakes_are_explained(function, mutant, wanted):
    source = (MUTANTS / "backprop" / function / f"{mutant}.py").read_text()
    with tempfile.TemporaryDirectory() as folder:
        results = grade_replacement(Path(folder), "backprop", source, function)
    assert wanted in "\n".join(r.feedback for r in results if not r.passed)
