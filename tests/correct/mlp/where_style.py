"""Correct, written differently: torch.where without special cases, a loop for the
fans, the no_grad decorator and .data's in-place fills."""

import math

import torch


def dropout_layer(X, dropout):
    if not (0.0 <= dropout <= 1.0):
        raise ValueError("dropout must lie in [0, 1]")
    keep = torch.rand(X.shape, device=X.device) >= dropout
    return torch.where(keep, X / (1 - dropout), torch.zeros_like(X))


def fan_in_and_fan_out(tensor):
    shape = tuple(tensor.shape)
    if len(shape) < 2:
        raise ValueError("fans need 2 or more dimensions")
    receptive_field = 1
    for k in range(2, len(shape)):
        receptive_field = receptive_field * shape[k]
    return (shape[1] * receptive_field, shape[0] * receptive_field)


@torch.no_grad()
def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    a = gain * math.sqrt(3.0) * math.sqrt(2.0 / float(fan_in + fan_out))
    return tensor.uniform_(-a, a)


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    tensor.data.normal_(mean=0.0, std=gain * math.sqrt(2.0 / float(fan_in + fan_out)))
    return tensor
