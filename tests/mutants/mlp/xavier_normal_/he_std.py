"""Uses He's std sqrt(2 / fan_in) instead of Xavier's sqrt(2 / (fan_in + fan_out))."""

import math

import torch


def xavier_normal_(tensor, gain=1.0):
    fan_in, _ = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    std = gain * math.sqrt(2.0 / fan_in)
    with torch.no_grad():
        tensor.normal_(0, std)
    return tensor
