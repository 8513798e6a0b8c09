"""Receptive field as tensor[0][0].numel() (old PyTorch): fails for a weight with no
output or input channels."""


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    receptive_field = tensor[0][0].numel() if tensor.dim() > 2 else 1
    return tensor.size(1) * receptive_field, tensor.size(0) * receptive_field
