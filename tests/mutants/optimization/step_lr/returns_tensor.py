"""Computes the rate with torch and returns the tensor, not a Python float."""

import torch


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    return base_lr * torch.tensor(gamma, dtype=torch.float64) ** (epoch // step_size)
