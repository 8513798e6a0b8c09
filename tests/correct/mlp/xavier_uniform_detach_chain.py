"""Correct, written differently: xavier_uniform_ fills a detached alias of the tensor
(same storage) with U(0, 1) and maps it onto [-a, a) with in-place mul_ and sub_."""

import math


def xavier_uniform_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    a = math.sqrt(3.0) * std  # U(-a, a) has variance a**2 / 3 = std**2
    tensor.detach().uniform_(0.0, 1.0).mul_(2 * a).sub_(a)
    return tensor
