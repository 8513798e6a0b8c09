"""The seed's ranges, lr = 0.005 if 30 <= epoch <= 60 and 0.0005 if 60 <= epoch <= 90:
the ranges overlap at their ends and the first one wins, so every decay comes one epoch
late."""


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    decays = 0
    while epoch > (decays + 1) * step_size:
        decays += 1
    return float(base_lr * gamma**decays)
