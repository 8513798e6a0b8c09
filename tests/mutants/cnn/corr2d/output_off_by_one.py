"""Forgets the + 1 in the output size: (h - kh, w - kw), dropping the last row and column."""

import torch


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2 or K.shape[0] > X.shape[0] or K.shape[1] > X.shape[1]:
        raise ValueError("bad shapes")
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h, X.shape[1] - w), dtype=X.dtype, device=X.device)
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y
