"""Correct, written differently: dropout_layer checks ``if torch.isfinite(X).all():``
(data-dependent ``bool(tensor)``) to multiply by the mask, and otherwise uses torch.where
so that a dropped inf becomes 0 instead of inf * 0 = nan."""

import torch


def dropout_layer(X, dropout):
    if dropout < 0 or dropout > 1:
        raise ValueError(f"dropout={dropout} is not in [0, 1]")
    if dropout == 1:
        return torch.zeros_like(X)
    keep = torch.rand(X.shape, device=X.device) > dropout
    scale = 1.0 / (1.0 - dropout)
    if torch.isfinite(X).all():
        return X * keep.to(X.dtype) * scale
    return torch.where(keep, X * scale, torch.zeros_like(X))
