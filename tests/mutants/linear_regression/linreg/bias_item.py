"""Turns b into a Python number with .item(): no gradient reaches b."""

import torch


def linreg(X, w, b):
    if isinstance(b, torch.Tensor):
        b = b.item()
    return torch.matmul(X, w) + b
