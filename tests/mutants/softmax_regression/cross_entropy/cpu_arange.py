"""Builds the row index with torch.arange(N) on the default device, not y_hat's."""

import torch


def cross_entropy(y_hat, y):
    if y_hat.dim() != 2 or len(y) != len(y_hat):
        raise ValueError("bad shapes")
    return -torch.log(y_hat[torch.arange(len(y_hat)), y])
