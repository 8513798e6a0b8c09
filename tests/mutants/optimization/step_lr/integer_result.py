"""Returns base_lr * gamma ** k as it comes: an int when all arguments are ints."""


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    return base_lr * gamma ** (epoch // step_size)
