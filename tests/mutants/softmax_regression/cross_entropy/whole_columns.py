"""y_hat[:, y] takes every label for every row: an (N, N) matrix instead of (N,)."""

import torch


def cross_entropy(y_hat, y):
    if y_hat.dim() != 2 or len(y) != len(y_hat):
        raise ValueError("bad shapes")
    return -torch.log(y_hat[:, y])
