"""No argument checks: step_size 0 divides by zero (ZeroDivisionError), a negative epoch
gives a rate above base_lr."""


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    return float(base_lr * gamma ** (epoch // step_size))
