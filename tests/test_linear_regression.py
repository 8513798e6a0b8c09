"""linear_regression.py: the statistical checks hold on the reference over many seeds, bite
on typical wrong samplers, and the real-data run separates a working sgd from a broken one.

The statistics functions run in-process (no runner), so many seeds are cheap.
"""

from __future__ import annotations

import math
import random

import pytest
import torch

from autograder.exercises.linear_regression import checks, probes
from autograder_solutions import linear_regression as reference

SEEDS = range(200)


def test_the_succession_bound_is_what_the_docstring_says():
    """P(at least m successions) <= E[C(S, m)] = (n - m) / (n m!) <= 1 / m!."""
    assert 1 / math.factorial(checks.SUCCESSION_LIMIT) == pytest.approx(7.6e-13, rel=0.01)
    assert 11 * 1e-11 < 1e-9


@pytest.mark.parametrize("seed", SEEDS)
def test_the_reference_data_passes_every_statistic(seed):
    torch.manual_seed(seed)
    for w in (checks.STATS_W, checks.TRUE_W):  # float32 as the checks draw, and float64
        X, y = reference.synthetic_data(w, checks.TRUE_B, 20000)
        assert checks.standard_normal_problems(X) == []
        assert checks.residual_problems(X, y, w, checks.TRUE_B, 0.01) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_order_has_few_successions(seed):
    torch.manual_seed(seed)
    order = [int(i) for i in torch.randperm(200)]
    assert checks.successions(order) < checks.SUCCESSION_LIMIT - 8


def test_the_statistics_bite_on_wrong_data():
    torch.manual_seed(0)
    uniform = torch.rand(10000, 2, dtype=torch.float64)
    assert checks.standard_normal_problems(uniform)
    column = torch.randn(10000, 1, dtype=torch.float64).repeat(1, 2)
    assert checks.standard_normal_problems(column)
    X = torch.randn(20000, 2, dtype=torch.float64)
    clean = X @ checks.TRUE_W + checks.TRUE_B
    assert checks.residual_problems(X, clean, checks.TRUE_W, checks.TRUE_B, 0.01)
    no_bias = X @ checks.TRUE_W + 0.01 * torch.randn(20000, dtype=torch.float64)
    assert checks.residual_problems(X, no_bias, checks.TRUE_W, checks.TRUE_B, 0.01)
    shuffled_batches = list(range(0, 200, 7))
    random.Random(0).shuffle(shuffled_batches)
    order = [i for start in shuffled_batches for i in range(start, min(start + 7, 200))]
    assert checks.successions(order) >= checks.SUCCESSION_LIMIT


def _sgd_without_zero_grad(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size


def test_the_real_data_run_learns_with_the_reference_and_not_with_a_broken_sgd():
    w = checks.TRUE_W.float()
    good = probes.fit(reference.sgd, w, checks.TRUE_B, **checks.FIT)["result"]
    assert (good["w"].double() - checks.TRUE_W).abs().max() < 0.002
    assert abs(float(good["b"]) - checks.TRUE_B) < 0.002
    bad = probes.fit(_sgd_without_zero_grad, w, checks.TRUE_B, **checks.FIT)["result"]
    assert not bool(((bad["w"].double() - checks.TRUE_W).abs() < 0.01).all())
