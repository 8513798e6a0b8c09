"""Computes the fans itself as (size(1), size(0)): wrong for convolution weights."""

import math

import torch


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = tensor.size(1), tensor.size(0)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor
