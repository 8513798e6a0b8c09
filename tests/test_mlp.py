"""mlp.py: the statistical checks do not flake, catch what they should, and explain it.

The randomised checks of autograder/exercises/mlp/checks.py promise that a correct solution fails
with probability below 1e-9.  The arithmetic is in their docstrings; here we run the same
statistics functions in-process on the reference over many seeds (cheap: no runner) to
show the bounds hold with room to spare, and on typical wrong samplers to show they bite.
"""

from __future__ import annotations

import math
import re

import pytest
import torch

from autograder.exercises.mlp import checks
from autograder.grading import stats
from autograder_solutions import mlp as reference
from tests.gradelib import SOLUTIONS, grade_source, splice

SEEDS = range(300)
MUTANTS = SOLUTIONS.parent / "tests" / "mutants" / "mlp"


# ---------------------------------------------------------------------------------------
# The bounds' arithmetic, as quoted in the checks' docstrings
# ---------------------------------------------------------------------------------------
def test_bounds_match_the_docstrings():
    assert pytest.approx(26.02, abs=0.01) == stats.LOG_TERM
    assert stats.hoeffding_radius(20000) == pytest.approx(0.0255, abs=1e-4)
    assert stats.hoeffding_radius(10000) == pytest.approx(0.036, abs=1e-3)
    assert stats.gaussian_mean_radius(20000, 1.0) == pytest.approx(0.051, abs=1e-3)
    low, high = stats.chi_square_interval(20000)
    assert (round(low, 3), round(high, 3)) == (0.928, 1.075)
    assert 2 * math.exp(-2 * 20000 * stats.hoeffding_radius(20000) ** 2) == pytest.approx(
        stats.DELTA
    )
    assert stats.MAX_STATISTICS * stats.DELTA < 1e-9


def test_a_correct_grading_uses_at_most_28_statistics(monkeypatch, tmp_path):
    """Count the statistics a full grading of the reference tests (union bound)."""
    monkeypatch.setenv("AUTOGRADER_REPLAY", "0")  # live: every check computes its statistics
    counted = {"n": 0}

    def counting(function, per_call):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            counted["n"] += per_call(*args, **kwargs)
            return result

        return wrapper

    monkeypatch.setattr(
        checks, "keep_rate_problem", counting(checks.keep_rate_problem, lambda *a: 1)
    )
    monkeypatch.setattr(
        checks, "independence_problems", counting(checks.independence_problems, lambda *a: 3)
    )
    monkeypatch.setattr(checks, "uniform_problems", counting(checks.uniform_problems, lambda *a: 2))
    monkeypatch.setattr(
        checks,
        "normal_problems",
        counting(checks.normal_problems, lambda *a, shape=False: 3 if shape else 2),
    )
    results = grade_source(tmp_path, "mlp", (SOLUTIONS / "mlp.py").read_text())
    assert all(r.passed for r in results), [r.feedback for r in results if not r.passed]
    assert counted["n"] == 28
    assert counted["n"] * stats.DELTA < 1e-9


# ---------------------------------------------------------------------------------------
# No flakes: the reference passes every statistic on every seed, with margin
# ---------------------------------------------------------------------------------------
def _keep(p: float, seed: int) -> torch.Tensor:
    torch.manual_seed(seed)
    return reference.dropout_layer(checks.big_input(), p) != 0


@pytest.mark.parametrize("p", [0.5, 0.2, 0.9])
def test_keep_rate_never_flakes(p):
    radius = stats.hoeffding_radius(20000)
    worst = 0.0
    for seed in SEEDS:
        kept = _keep(p, seed)
        assert checks.keep_rate_problem(kept, p) is None, seed
        worst = max(worst, abs(float(kept.double().mean()) - (1 - p)))
    # The standard deviation of the rate is about 0.003: the bound is 8 of them away.
    assert worst < 0.5 * radius


def test_independence_never_flakes():
    for seed in SEEDS:
        assert checks.independence_problems(_keep(0.5, seed)) == [], seed


@pytest.mark.parametrize("shape", checks.WEIGHT_SHAPES)
@pytest.mark.parametrize("gain", [1.0, 2.0, 0.5])
def test_xavier_statistics_never_flake(shape, gain):
    a, std = checks.uniform_bound(shape, gain), checks.normal_std(shape, gain)
    for seed in SEEDS:
        torch.manual_seed(seed)
        uniform = reference.xavier_uniform_(torch.empty(shape), gain)
        assert float(uniform.abs().max()) <= a * (1 + 2 * torch.finfo(torch.float32).eps)
        assert checks.uniform_problems(uniform, a) == [], seed
        normal = reference.xavier_normal_(torch.empty(shape), gain)
        assert checks.normal_problems(normal, std, shape=True) == [], seed


# ---------------------------------------------------------------------------------------
# Power: the typical wrong samplers are rejected on every seed
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [0.5, 0.2, 0.9])
def test_randn_mask_is_rejected_and_explained(p):
    for seed in range(20):
        torch.manual_seed(seed)
        kept = torch.randn(100, 200) > p
        problem = checks.keep_rate_problem(kept, p)
        assert problem is not None and "torch.randn" in problem and "torch.rand," in problem
    assert checks.randn_keep_rate(0.5) == pytest.approx(0.3085, abs=1e-4)


def test_a_wrong_keep_rate_alone_is_not_called_dependence():
    for seed in range(20):
        torch.manual_seed(seed)
        assert checks.independence_problems(torch.randn(100, 200) > 0.5) == []


def test_shared_masks_are_not_independent():
    for seed in range(20):
        torch.manual_seed(seed)
        per_column = (torch.rand(200) > 0.5).expand(100, 200)
        per_row = (torch.rand(100, 1) > 0.5).expand(100, 200)
        assert any("rows" in p for p in checks.independence_problems(per_column))
        assert any("columns" in p for p in checks.independence_problems(per_row))


def test_wrong_initialisers_are_rejected():
    shape = checks.WEIGHT_SHAPES[0]
    a, std = checks.uniform_bound(shape), checks.normal_std(shape)
    for seed in range(20):
        torch.manual_seed(seed)
        assert checks.uniform_problems(torch.empty(shape).uniform_(-std, std), a)
        assert checks.uniform_problems(torch.empty(shape).uniform_(0, a), a)
        same_variance = torch.empty(shape).uniform_(-math.sqrt(3) * std, math.sqrt(3) * std)
        assert checks.normal_problems(same_variance, std) == []
        assert checks.normal_problems(same_variance, std, shape=True)
        assert checks.normal_problems(torch.empty(shape).normal_(0, std * std), std)


# ---------------------------------------------------------------------------------------
# The reference agrees with PyTorch
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape", [(3, 5), (5, 3), (0, 4), (4, 0), (16, 3, 5, 5), (8, 4, 3), (2, 3, 2, 3, 4)]
)
def test_fans_agree_with_torch(shape):
    weight = torch.empty(shape)
    assert reference.fan_in_and_fan_out(weight) == torch.nn.init._calculate_fan_in_and_fan_out(
        weight
    )


def test_xavier_bounds_agree_with_torch():
    for shape in checks.WEIGHT_SHAPES:
        torch.manual_seed(0)
        ours = reference.xavier_uniform_(torch.empty(shape), gain=1.5)
        torch.manual_seed(0)
        theirs = torch.nn.init.xavier_uniform_(torch.empty(shape), gain=1.5)
        torch.testing.assert_close(ours, theirs)
        torch.manual_seed(0)
        ours = reference.xavier_normal_(torch.empty(shape), gain=1.5)
        torch.manual_seed(0)
        theirs = torch.nn.init.xavier_normal_(torch.empty(shape), gain=1.5)
        torch.testing.assert_close(ours, theirs)


def test_reference_initialisers_work_on_parameters():
    weight = torch.nn.Parameter(torch.empty(4, 3))
    assert reference.xavier_uniform_(weight) is weight
    assert reference.xavier_normal_(weight) is weight
    assert weight.requires_grad and weight.is_leaf


# ---------------------------------------------------------------------------------------
# The seed's bug loses points with an explanation a student understands
# ---------------------------------------------------------------------------------------
def test_seed_dropout_feedback_names_the_cause(tmp_path):
    source = splice(
        (SOLUTIONS / "mlp.py").read_text(),
        (MUTANTS / "dropout_layer" / "seed_randn.py").read_text(),
    )
    results = grade_source(tmp_path, "mlp", source, only=["dropout_layer"])
    by_check = {r.check: r for r in results}
    keep = by_check["keeps each element with probability 1 - p (statistical bound)"]
    assert not keep.passed
    assert re.search(r"3[01]\.\d% of the 20000 elements were kept", keep.feedback)
    assert "torch.randn" in keep.feedback and "normal distribution" in keep.feedback
    assert "Use torch.rand" in keep.feedback
    errors = by_check["raises ValueError for dropout outside [0, 1]"]
    assert not errors.passed and "AssertionError" in errors.feedback
    assert not by_check["keeps the dtype (float16, bfloat16, float32, float64)"].passed
    assert not by_check["keeps the device (meta, default-device trap, CUDA if present)"].passed
