"""Checks the shapes with assert: AssertionError instead of ValueError."""

import torch


def cross_entropy(y_hat, y):
    assert y_hat.dim() == 2 and len(y) == len(y_hat), "bad shapes"
    return -torch.log(y_hat[range(len(y_hat)), y])
