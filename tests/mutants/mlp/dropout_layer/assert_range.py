"""Checks the range with assert, as the seed does: AssertionError, not ValueError."""

import torch


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1, "dropout must be in [0, 1]"
    if dropout == 1:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape, device=X.device) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
