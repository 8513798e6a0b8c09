"""tensor.normal_(std): normal_'s first argument is the mean, so this draws N(std, 1)."""

import math

import torch


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.normal_(std)
    return tensor
