"""Adds the weight decay into p.grad in place (p.grad.add_): the step is right, but the
caller's gradient has changed."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            g = p.grad.add_(p, alpha=weight_decay)
            v.mul_(momentum).add_(g)
            p -= lr * v
