"""Treats a missing gradient as zeros: the parameter keeps moving by its old velocity,
where torch.optim.SGD leaves a parameter without gradient alone."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for p, v in zip(params, velocities):
            grad = p.grad if p.grad is not None else torch.zeros_like(p)
            v.mul_(momentum).add_(grad + weight_decay * p)
            p -= lr * v
