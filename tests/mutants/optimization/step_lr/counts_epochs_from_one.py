"""Counts epochs from 1, (epoch - 1) // step_size: every decay one epoch late and a rate
of base_lr / gamma at epoch 0."""


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    return float(base_lr * gamma ** ((epoch - 1) // step_size))
