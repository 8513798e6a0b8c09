"""std=0.01**2: the variance passed as the standard deviation."""

from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        nn.init.normal_(m.weight, mean=0, std=0.01**2)
        nn.init.zeros_(m.bias)
