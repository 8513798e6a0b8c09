"""Correct, written differently: torch.bernoulli mask, math.prod fans, copy_ of a fresh
draw under torch.no_grad, nn.init.normal_."""

import math

import torch


def dropout_layer(X, dropout):
    if dropout < 0 or dropout > 1:
        raise ValueError(f"dropout {dropout} is not a probability")
    if dropout == 1:
        return X * 0
    keep = torch.bernoulli(torch.full_like(X, 1 - dropout))
    return X * keep / (1 - dropout)


def fan_in_and_fan_out(tensor):
    if len(tensor.shape) < 2:
        raise ValueError("need a weight with at least 2 dimensions")
    out_size, in_size, *kernel = tensor.shape
    receptive = math.prod(kernel)
    return in_size * receptive, out_size * receptive


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * (6 / (fan_in + fan_out)) ** 0.5
    with torch.no_grad():
        tensor.copy_(torch.rand_like(tensor) * 2 * bound - bound)
    return tensor


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return torch.nn.init.normal_(tensor, 0.0, gain * math.sqrt(2 / (fan_in + fan_out)))
