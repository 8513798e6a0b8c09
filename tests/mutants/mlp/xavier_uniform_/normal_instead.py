"""Draws from a normal with the right variance: values fall outside [-a, a]."""

import math

import torch


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.normal_(0, a / math.sqrt(3))
    return tensor
