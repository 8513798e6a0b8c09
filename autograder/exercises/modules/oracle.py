"""Oracles for ``modules``: the same contract built from torch's own layers.

The checks compute their expected values from the parameters they load, with torch's
functions, so these serve only where a check asks ``ctx.reference`` for a class.
"""

from __future__ import annotations

import torch
from torch import nn


class MLP(nn.Sequential):
    def __init__(
        self, num_inputs: int, num_hiddens: int, num_outputs: int, dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.add_module("flatten", nn.Flatten())
        self.add_module("hidden", nn.Linear(num_inputs, num_hiddens))
        self.add_module("relu", nn.ReLU())
        self.add_module("dropout", nn.Dropout(dropout))
        self.add_module("output", nn.Linear(num_hiddens, num_outputs))


def init_normal(m: nn.Module) -> None:
    if type(m) is nn.Linear or isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.01, a=-1.0, b=1.0)
        if m.bias is not None:
            nn.init.constant_(m.bias, 0.0)


def count_parameters(net: nn.Module) -> int:
    return sum(p.numel() for _, p in net.named_parameters(remove_duplicate=True))


class CenteredLayer(nn.Module):
    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return torch.sub(X, torch.mean(X))


class MyLinear(nn.Module):
    def __init__(self, in_units: int, units: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_units, units).normal_())
        self.bias = nn.Parameter(torch.empty(units).normal_())
        self.activation = nn.ReLU()

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self.activation(torch.addmm(self.bias, X, self.weight))
