"""regularization.py: the weight-decay run separates a working penalty from a broken one,
and the house-price net is the same on both sides of the pipe."""

from __future__ import annotations

import torch

from autograder.exercises.regularization import checks, probes
from autograder_solutions import regularization as reference


def test_weight_decay_shrinks_the_weights_with_the_reference_penalty():
    norms = probes.weight_decay(reference.l2_penalty, **checks.DECAY)["result"]["norms"]
    assert norms[1] < norms[0] / 30


def test_a_penalty_without_gradient_does_not_shrink_them():
    def detached(w):
        return (w.detach() ** 2).sum() / 2

    norms = probes.weight_decay(detached, **checks.DECAY)["result"]["norms"]
    assert norms[1] == norms[0]


def test_the_cheap_houses_need_the_clamp():
    weight, bias, features, labels = checks.CHEAP
    net = probes.linear_net(weight, bias)
    assert bool((net(features) < 1).any())
    value = reference.log_rmse(net, features, labels)
    assert torch.isfinite(torch.tensor(value))
