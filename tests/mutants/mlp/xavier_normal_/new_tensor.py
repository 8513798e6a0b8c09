"""Returns torch.randn_like(tensor) * std: a new tensor; the one passed in stays as it was."""

import math

import torch


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return torch.randn_like(tensor) * std
