"""torch.mm needs two matrices: a vector w raises."""

import torch


def linreg(X, w, b):
    return torch.mm(X, w) + b
