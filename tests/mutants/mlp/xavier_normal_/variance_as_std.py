"""Passes the variance 2 / (fan_in + fan_out) where normal_ wants the standard deviation."""

import torch


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    variance = gain**2 * 2.0 / (fan_in + fan_out)
    with torch.no_grad():
        tensor.normal_(0, variance)
    return tensor
