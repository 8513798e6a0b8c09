"""Correct, written differently: corr2d builds the output from nested Python lists with
torch.stack (no in-place writes) and raises ``KernelShapeError``, a subclass of ValueError."""

import torch


class KernelShapeError(ValueError):
    """X and K cannot be cross-correlated."""


def corr2d(X, K):
    if len(X.shape) != 2 or len(K.shape) != 2:
        raise KernelShapeError(
            f"need 2-D tensors, got shapes {tuple(X.shape)} and {tuple(K.shape)}"
        )
    h, w = X.shape
    kh, kw = K.shape
    if kh == 0 or kw == 0 or kh > h or kw > w:
        raise KernelShapeError(f"kernel {kh}x{kw} does not fit in input {h}x{w}")
    rows = []
    for i in range(h - kh + 1):
        row = [torch.sum(X[i : i + kh, j : j + kw] * K) for j in range(w - kw + 1)]
        rows.append(torch.stack(row))
    return torch.stack(rows)
