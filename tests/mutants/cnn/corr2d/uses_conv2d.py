"""Calls F.conv2d (forbidden: the point is to write the cross-correlation yourself)."""

import torch.nn.functional as F


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2 or K.shape[0] > X.shape[0] or K.shape[1] > X.shape[1]:
        raise ValueError("bad shapes")
    return F.conv2d(X[None, None], K[None, None])[0, 0]
