"""Decays once, when epoch reaches step_size, and never again."""


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    if epoch >= step_size:
        return float(base_lr * gamma)
    return float(base_lr)
