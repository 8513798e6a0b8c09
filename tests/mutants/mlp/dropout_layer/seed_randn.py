"""The seed's dropout_layer, verbatim: torch.randn (normal, not uniform on [0, 1)) draws
the mask, so only ~31% survive at p = 0.5; assert instead of ValueError; a float32 CPU mask."""

import torch


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    if dropout == 0:
        return X
    mask = (torch.randn(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)
