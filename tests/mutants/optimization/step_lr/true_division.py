"""epoch / step_size instead of epoch // step_size: the rate decays a little every epoch
instead of in steps."""


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size >= 1 and epoch >= 0")
    return float(base_lr * gamma ** (epoch / step_size))
