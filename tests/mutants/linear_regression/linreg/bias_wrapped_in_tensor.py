"""Wraps b in torch.tensor(...): a copy on the default device, cut from autograd."""

import torch


def linreg(X, w, b):
    return torch.matmul(X, w) + torch.tensor(b)
