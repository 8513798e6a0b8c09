"""Reads dropout as a keep probability in the special cases: 0 gives zeros, 1 gives X."""

import torch


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError("dropout must be in [0, 1]")
    if dropout == 0:
        return torch.zeros_like(X)
    if dropout == 1:
        return X.clone()
    mask = (torch.rand(X.shape, device=X.device) > dropout).to(X.dtype)
    return mask * X / (1.0 - dropout)
