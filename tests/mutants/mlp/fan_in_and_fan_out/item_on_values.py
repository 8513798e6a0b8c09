"""Builds a tensor from the kernel size and calls .item(): breaks on meta tensors and
under another default device."""

import torch


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("need at least 2 dimensions")
    receptive_field = int(torch.tensor(list(tensor.shape[2:]) or [1]).prod().item())
    return tensor.size(1) * receptive_field, tensor.size(0) * receptive_field
