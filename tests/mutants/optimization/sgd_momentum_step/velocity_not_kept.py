"""v = momentum * v + g rebinds the loop's name only: the caller's velocity stays zero, so
every step is plain SGD and the momentum is lost."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            v = momentum * v + p.grad + weight_decay * p
            p -= lr * v
