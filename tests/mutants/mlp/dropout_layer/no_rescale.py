"""Forgets to divide the survivors by 1 - dropout: the expectation shrinks."""

import torch


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError("dropout must be in [0, 1]")
    mask = (torch.rand(X.shape, device=X.device) > dropout).to(X.dtype)
    return mask * X
