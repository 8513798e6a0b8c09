"""Zeroes the gradients after the step, as d2l's sgd does: with an optimizer-like step
that is the training loop's zero_grad, and a caller that reads the gradients finds zeros."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            v.mul_(momentum).add_(p.grad + weight_decay * p)
            p -= lr * v
            p.grad.zero_()
