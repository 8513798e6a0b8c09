"""Builds the step in torch.zeros(p.shape), without device=: it lands on the default device
(the CPU on a GPU machine), not on the parameter's."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            v.mul_(momentum).add_(p.grad + weight_decay * p)
            step = torch.zeros(p.shape, dtype=p.dtype)
            step += lr * v
            p -= step
