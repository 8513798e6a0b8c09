"""Replaces tensor.data with torch.randn(shape) * std: new float32 memory on the default
device."""

import math

import torch


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    tensor.data = torch.randn(tensor.shape) * std
    return tensor
