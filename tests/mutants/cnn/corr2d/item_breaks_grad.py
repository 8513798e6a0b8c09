"""Collects Python floats with .item() and builds the result with torch.tensor: the result
has the right values, but it is cut off from autograd (and .item() fails on meta)."""

import torch


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2 or K.shape[0] > X.shape[0] or K.shape[1] > X.shape[1]:
        raise ValueError("bad shapes")
    h, w = K.shape
    rows = []
    for i in range(X.shape[0] - h + 1):
        rows.append([(X[i : i + h, j : j + w] * K).sum().item() for j in range(X.shape[1] - w + 1)])
    return torch.tensor(rows, dtype=X.dtype, device=X.device)
