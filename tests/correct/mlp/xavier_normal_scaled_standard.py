"""Correct, written differently: xavier_normal_ draws N(0, 1) in place under no_grad and
scales it by std with mul_, std computed with ** 0.5."""

import torch


def xavier_normal_(tensor, gain=1.0):
    fan_in, fan_out = fan_in_and_fan_out(tensor)  # noqa: F821
    std = gain * (2 / (fan_in + fan_out)) ** 0.5
    with torch.no_grad():
        tensor.normal_().mul_(std)
    return tensor
