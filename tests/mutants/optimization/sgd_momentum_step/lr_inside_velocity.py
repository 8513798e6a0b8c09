"""The notes' other form of momentum, v = momentum * v - lr * g; p += v: the learning rate
lives inside the velocity, so it agrees with torch.optim.SGD only while lr never changes."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            g = p.grad + weight_decay * p
            v.mul_(momentum).sub_(lr * g)
            p += v
