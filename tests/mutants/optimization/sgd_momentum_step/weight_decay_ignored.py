"""Forgets weight decay: the gradient is p.grad alone whatever weight_decay is."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            v.mul_(momentum).add_(p.grad)
            p -= lr * v
