"""Ignores the kernel: right for linear layers, wrong for convolutions."""


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    return tensor.size(1), tensor.size(0)
