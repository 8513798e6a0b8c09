"""d2l's one-liner, verbatim: right values, but bad shapes raise IndexError or pass."""

import torch


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])
