"""Picks the probabilities with a list comprehension and torch.tensor: no gradient."""

import torch


def cross_entropy(y_hat, y):
    if y_hat.dim() != 2 or len(y) != len(y_hat):
        raise ValueError("bad shapes")
    picked = torch.tensor(
        [y_hat[i, y[i]].item() for i in range(len(y))], dtype=y_hat.dtype, device=y_hat.device
    )
    return -torch.log(picked)
