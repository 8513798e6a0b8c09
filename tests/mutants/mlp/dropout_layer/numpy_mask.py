"""Draws the mask with numpy: torch.manual_seed does not control it."""

import numpy as np
import torch


def dropout_layer(X, dropout):
    if not 0 <= dropout <= 1:
        raise ValueError("dropout must be in [0, 1]")
    if dropout == 1:
        return torch.zeros_like(X)
    keep = torch.from_numpy(np.random.rand(*X.shape) > dropout)
    return keep.to(device=X.device, dtype=X.dtype) * X / (1.0 - dropout)
