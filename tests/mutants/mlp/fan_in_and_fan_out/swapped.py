"""Reads the weight as (in, out): fan_in and fan_out swapped."""


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    receptive_field = 1
    for size in tensor.shape[2:]:
        receptive_field *= size
    return tensor.size(0) * receptive_field, tensor.size(1) * receptive_field
