"""Returns the mean loss (like nn.CrossEntropyLoss) instead of one loss per example."""

import torch


def cross_entropy(y_hat, y):
    if y_hat.dim() != 2 or len(y) != len(y_hat):
        raise ValueError("bad shapes")
    return -torch.log(y_hat[range(len(y_hat)), y]).mean()
