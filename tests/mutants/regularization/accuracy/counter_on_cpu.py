"""Counts into torch.zeros(1) made without device=: on the default device."""

import torch


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    count = torch.zeros(1)
    count += (y_hat.type(y.dtype) == y).sum()
    return float(count)
