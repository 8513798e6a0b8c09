"""No shape check: an (N, 1) prediction broadcasts against (N,) labels into (N, N)."""

import torch


def huber_loss(y_hat, y, delta=1.0):
    if delta <= 0:
        raise ValueError("delta must be positive")
    r = y_hat - y
    return torch.where(torch.abs(r) <= delta, r**2 / 2, delta * (torch.abs(r) - delta / 2))
