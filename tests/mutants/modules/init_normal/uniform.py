"""Uniform on [-0.01, 0.01] instead of N(0, 0.01**2)."""

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.uniform_(m.weight, -0.01, 0.01)
        nn.init.zeros_(m.bias)
