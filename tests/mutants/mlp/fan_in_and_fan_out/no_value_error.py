"""No check for fewer than 2 dimensions: a vector raises IndexError from size(1)."""


def fan_in_and_fan_out(tensor):
    receptive_field = 1
    for size in tensor.shape[2:]:
        receptive_field *= size
    return tensor.size(1) * receptive_field, tensor.size(0) * receptive_field
