"""Computes the receptive field with torch.prod: the fans come back as tensors."""

import torch


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    receptive_field = torch.tensor(tensor.shape[2:]).prod()
    return tensor.size(1) * receptive_field, tensor.size(0) * receptive_field
