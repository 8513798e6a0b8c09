"""Correct, written differently: corr2d lists every window as a flattened row (a Python
loop over positions, im2col by hand) and does one matrix-vector product with K."""

import torch


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2:
        raise ValueError("corr2d works on 2-D inputs and kernels only")
    kh, kw = K.shape
    oh, ow = X.shape[0] - kh + 1, X.shape[1] - kw + 1
    if kh < 1 or kw < 1 or oh < 1 or ow < 1:
        raise ValueError(f"kernel of shape {tuple(K.shape)} is too big for X {tuple(X.shape)}")
    windows = [X[i : i + kh, j : j + kw].reshape(-1) for i in range(oh) for j in range(ow)]
    columns = torch.stack(windows)  # (oh * ow, kh * kw)
    dtype = torch.result_type(X, K)
    return (columns.to(dtype) @ K.reshape(-1).to(dtype)).reshape(oh, ow)
