"""fan_in = numel / out, fan_out = numel / in: ZeroDivisionError for an empty weight,
and floats from /."""


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    return tensor.numel() / tensor.size(0), tensor.numel() / tensor.size(1)
