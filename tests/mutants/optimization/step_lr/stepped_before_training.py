"""scheduler.step() at the start of each epoch, before training (the seed's loop): epoch e
trains with the rate of epoch e + 1, so the decay comes one epoch early."""


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    return float(base_lr * gamma ** ((epoch + 1) // step_size))
