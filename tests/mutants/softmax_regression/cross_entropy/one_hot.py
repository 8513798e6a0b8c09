"""Multiplies by F.one_hot(y) without num_classes: the one-hot matrix is only
max(y) + 1 wide, which breaks whenever the last class is missing from the batch."""

import torch
import torch.nn.functional as F


def cross_entropy(y_hat, y):
    if y_hat.dim() != 2 or len(y) != len(y_hat):
        raise ValueError("bad shapes")
    return -(torch.log(y_hat) * F.one_hot(y)).sum(1)
