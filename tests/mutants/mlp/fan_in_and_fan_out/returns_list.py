"""Returns a list [fan_in, fan_out] instead of a tuple."""


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    receptive_field = 1
    for size in tensor.shape[2:]:
        receptive_field *= size
    return [tensor.size(1) * receptive_field, tensor.size(0) * receptive_field]
