"""d2l's corr2d verbatim: Y = torch.zeros(...) without dtype or device.

Y is float32 on the default device whatever X is: wrong dtype for float64 inputs and the
wrong device on a GPU.
"""

import torch


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2 or K.shape[0] > X.shape[0] or K.shape[1] > X.shape[1]:
        raise ValueError("bad shapes")
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i : i + h, j : j + w] * K).sum()
    return Y
