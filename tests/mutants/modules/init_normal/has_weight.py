"""hasattr(m, 'weight'): also re-initialises convolutions and batch norm."""

from torch import nn


def init_normal(m):
    if hasattr(m, "weight"):
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)
