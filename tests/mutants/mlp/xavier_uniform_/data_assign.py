"""Replaces tensor.data with a new float32 CPU tensor: same object, but new memory, and
dtype and device change."""

import math

import torch


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    tensor.data = torch.rand(tensor.shape) * 2 * a - a
    return tensor
