"""Fills in place without torch.no_grad(): autograd refuses it on a parameter."""

import math


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821 - the module's helper
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return tensor.uniform_(-a, a)
