"""Hides the forbidden call from a source scan (getattr with a computed name); the runner
still refuses it."""

import torch


def corr2d(X, K):
    if X.dim() != 2 or K.dim() != 2 or K.shape[0] > X.shape[0] or K.shape[1] > X.shape[1]:
        raise ValueError("bad shapes")
    convolve = getattr(torch, "conv" + "2d")
    return convolve(X[None, None], K[None, None])[0, 0]
