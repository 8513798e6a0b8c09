"""nn.init.normal_(w, 0.01, 0): mean 0.01 and std 0."""

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, 0.01, 0)
        nn.init.zeros_(m.bias)
