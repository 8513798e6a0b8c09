"""Uses the standard deviation sqrt(2 / (fan_in + fan_out)) as the bound: a third of the
variance."""

import math

import torch


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    a = gain * math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor
