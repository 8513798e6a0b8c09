"""modules.py: the statistical checks hold on torch's own initialisers over many seeds and
bite on typical wrong ones; the probe reports a missing forward as data."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from autograder.exercises.modules import checks, probes
from autograder_solutions import modules as reference

SEEDS = range(200)


@pytest.mark.parametrize("seed", SEEDS)
def test_correct_draws_pass_every_statistic(seed):
    torch.manual_seed(seed)
    layer = nn.Linear(200, 100)
    reference.init_normal(layer)
    assert checks.normal_problems(layer.weight.detach(), 0.01) == []
    assert checks.normal_problems(reference.MyLinear(200, 100).weight.detach(), 1.0) == []


def test_the_statistics_bite_on_wrong_draws():
    torch.manual_seed(0)
    assert checks.normal_problems(torch.empty(20000).uniform_(-0.01, 0.01), 0.01)
    assert checks.normal_problems(torch.randn(20000) * 0.0001, 0.01)
    assert checks.normal_problems(torch.rand(20000), 1.0)
    assert checks.normal_problems(torch.randn(20000) + 0.1, 1.0)


def test_a_class_without_forward_is_reported_not_raised():
    class Formatted(nn.Module):
        def __format__(self, spec):
            return "no forward here"

    answer = probes.module_task(Formatted, [], "forward", inputs=[torch.zeros(2)])
    assert answer["missing_forward"] == ["__format__"]


def test_the_counted_nets_share_what_they_say():
    assert sum(p.numel() for p in probes.counted_net("shared").parameters()) == 121
    tied = probes.counted_net("tied")
    assert tied[0].weight is tied[2].weight
