"""Divides the survivors by dropout instead of 1 - dropout (same thing only at p = 0.5)."""

import torch


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError("dropout must be in [0, 1]")
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X.clone()
    mask = (torch.rand(X.shape, device=X.device) > dropout).to(X.dtype)
    return mask * X / dropout
