"""torch.max(X, 0): the maximum along dimension 0 (values and indices), not max(x, 0)."""

import torch


def relu(X):
    return torch.max(X, 0)
