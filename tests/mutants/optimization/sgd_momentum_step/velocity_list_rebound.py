"""Puts a new velocity tensor into the list instead of updating the caller's in place:
works with a list the caller keeps, fails with a tuple, and the caller's tensors go stale."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for i, p in enumerate(params):
            if p.grad is None:
                continue
            velocities[i] = momentum * velocities[i] + p.grad + weight_decay * p
            p -= lr * velocities[i]
