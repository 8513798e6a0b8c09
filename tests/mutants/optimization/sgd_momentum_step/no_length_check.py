"""No length check: zip stops at the shorter sequence and silently leaves parameters
without a step."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            v.mul_(momentum).add_(p.grad + weight_decay * p)
            p -= lr * v
