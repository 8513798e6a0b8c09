"""cnn: the reference agrees with PyTorch's layers, and the feedback on the seed's formula."""

from __future__ import annotations

import itertools

import pytest
import torch
from hypothesis import given, settings

from autograder.exercises.cnn.checks import (
    EDGE_KERNEL,
    LAST_WINDOW_CASES,
    LEARN_RATE,
    LEARN_STEPS,
    _naive_ceil,
    conv_configs,
    torch_conv_output,
    torch_pool_output,
)
from autograder.exercises.cnn.probes import learn_kernel
from autograder_solutions.cnn import conv_output_size, corr2d, pool_output_size
from tests.gradelib import MUTANTS, SOLUTIONS, grade_source, splice


def _answer(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except ValueError:
        return None


def test_pool_reference_agrees_with_maxpool1d_everywhere_on_a_grid():
    grid = itertools.product(
        range(-1, 10), range(-1, 6), (None, -1, 0, 1, 2, 3), range(-1, 4), range(-1, 3), (0, 1)
    )
    for n, k, s, p, d, ceil in grid:
        expected = torch_pool_output(n, k, s, p, d, bool(ceil))
        assert _answer(pool_output_size, n, k, s, p, d, bool(ceil)) == expected, (n, k, s, p, d)


def test_conv_reference_agrees_with_conv1d_everywhere_on_a_grid():
    for n, k, s, p, d in itertools.product(
        range(-1, 9), range(-1, 5), range(-1, 3), range(-1, 3), range(-1, 3)
    ):
        expected = torch_conv_output(n, k, s, p, d)
        assert _answer(conv_output_size, n, k, s, p, d) == expected, (n, k, s, p, d)


@pytest.mark.parametrize("broken", [False, True])
def test_conv_reference_agrees_with_conv_layers_on_generated_configurations(broken):
    @settings(max_examples=150, database=None, deadline=None)
    @given(conv_configs(broken=broken))
    def check(case):
        args, kwargs = case
        assert _answer(conv_output_size, *args, **kwargs) == torch_conv_output(*args, **kwargs)

    check()


def test_last_window_cases_are_the_ones_where_rounding_up_alone_is_wrong():
    assert len(LAST_WINDOW_CASES) > 20
    for n, k, s, p, d in LAST_WINDOW_CASES:
        assert torch_pool_output(n, k, s, p, d, True) == _naive_ceil(n, k, s, p, d) - 1


def test_learning_the_edge_kernel_converges_with_the_reference():
    X = torch.ones((6, 8), dtype=torch.float64)
    X[:, 2:6] = 0
    Y = corr2d(X, EDGE_KERNEL)
    K0 = torch.tensor([[0.3, 0.7]], dtype=torch.float64)
    answer = learn_kernel(corr2d, X, Y, K0, lr=LEARN_RATE, steps=LEARN_STEPS)
    assert torch.allclose(answer["result"], EDGE_KERNEL, rtol=0, atol=1e-4)
    assert answer["losses"][-1] < answer["losses"][0] * 1e-6


def _grade_mutant(tmp_path, function, name):
    mutant = MUTANTS / "cnn" / function / f"{name}.py"
    source = splice((SOLUTIONS / "cnn.py").read_text(), mutant.read_text())
    return grade_source(tmp_path, "cnn", source, only=[function])


def test_seed_formula_is_told_about_dilation(tmp_path):
    results = _grade_mutant(tmp_path, "conv_output_size", "seed_formula_no_dilation")
    dilation = next(r for r in results if r.check.startswith("dilation"))
    assert not dilation.passed
    assert "d * (k - 1) + 1" in dilation.feedback and "course notes" in dilation.feedback
    assert "seed" not in dilation.feedback  # a word of our process, not of the student's


def test_hidden_convolution_is_refused_by_name(tmp_path):
    """getattr(torch, "conv" + "2d") escapes the source scan; the runner refuses the call."""
    results = _grade_mutant(tmp_path, "corr2d", "hidden_conv2d")
    agreement = next(r for r in results if r.check.startswith("agrees"))
    assert not agreement.passed
    assert "torch.conv2d is not allowed in corr2d" in agreement.feedback
