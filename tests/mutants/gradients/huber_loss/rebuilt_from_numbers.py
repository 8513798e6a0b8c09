"""Each loss computed as a Python number and the result rebuilt with torch.tensor: the
values are right, but no gradient reaches y_hat."""

import torch


def huber_loss(y_hat, y, delta=1.0):
    if y_hat.shape != y.shape:
        raise ValueError("shapes differ")
    if delta <= 0:
        raise ValueError("delta must be positive")
    losses = []
    for r in (y_hat - y).reshape(-1).tolist():
        losses.append(r * r / 2 if abs(r) <= delta else delta * (abs(r) - delta / 2))
    return torch.tensor(losses, dtype=y_hat.dtype, device=y_hat.device).reshape(y_hat.shape)
