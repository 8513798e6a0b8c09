"""Correct, written differently: fan_in_and_fan_out slices the torch.Size and asks it for
its number of elements (``shape[1:].numel()`` is in * prod(kernel))."""


def fan_in_and_fan_out(tensor):
    shape = tensor.shape
    if len(shape) <= 1:
        raise ValueError(f"shape {tuple(shape)}: fans are defined for 2 or more dimensions")
    fan_in = shape[1:].numel()
    fan_out = shape[0] * shape[2:].numel()
    return fan_in, fan_out
