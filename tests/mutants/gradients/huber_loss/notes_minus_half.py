"""The notes' |r| - 1/2 beyond delta: Huber's loss for delta = 1 only (the pieces no
longer meet at |r| = delta otherwise)."""

import torch


def huber_loss(y_hat, y, delta=1.0):
    if y_hat.shape != y.shape:
        raise ValueError("shapes differ")
    if delta <= 0:
        raise ValueError("delta must be positive")
    r = y_hat - y
    return torch.where(torch.abs(r) <= delta, r**2 / 2, torch.abs(r) - 1 / 2)
