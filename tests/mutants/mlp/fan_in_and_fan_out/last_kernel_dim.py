"""Takes the receptive field as the last dimension only: a 3x3 kernel counts 3, not 9."""


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    receptive_field = tensor.shape[-1] if tensor.dim() > 2 else 1
    return tensor.size(1) * receptive_field, tensor.size(0) * receptive_field
