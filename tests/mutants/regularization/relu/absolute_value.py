"""torch.abs(X): negative inputs come out positive instead of 0."""

import torch


def relu(X):
    return torch.abs(X)
