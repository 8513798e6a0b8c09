"""Scales by fan_in alone (LeCun/He style), not by the average of the fans."""

import math

import torch


def xavier_uniform_(tensor, gain=1.0):
    fan_in, _ = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    a = gain * math.sqrt(3.0 / fan_in)
    with torch.no_grad():
        tensor.uniform_(-a, a)
    return tensor
