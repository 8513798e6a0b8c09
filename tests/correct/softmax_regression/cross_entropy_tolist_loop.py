"""Correct, written differently: cross_entropy turns the labels into a Python list with
``y.tolist()`` (data-dependent) and picks one probability per row in a loop."""

import torch


def cross_entropy(y_hat, y):
    if y_hat.ndim != 2:
        raise ValueError(f"expected an (N, C) matrix of probabilities, got {y_hat.ndim} dims")
    if y.ndim != 1 or y.shape[0] != y_hat.shape[0]:
        raise ValueError(f"expected {y_hat.shape[0]} labels, got shape {tuple(y.shape)}")
    losses = [-torch.log(y_hat[row, label]) for row, label in enumerate(y.tolist())]
    if not losses:
        return y_hat.sum(dim=1)  # an empty (0,) vector, still attached to y_hat
    return torch.stack(losses)
