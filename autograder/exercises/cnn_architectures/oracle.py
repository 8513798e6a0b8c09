"""Oracles for ``cnn_architectures``: the architectures from torch's own layers.

The checks compute every expected value from the parameters they load, with torch's
functional operations, so these serve only where a check asks ``ctx.reference`` for an
exercise (none does at present).
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn


def lenet() -> nn.Module:
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    for index, (fan_in, fan_out) in enumerate(((1, 6), (6, 16))):
        layers[f"conv{index}"] = nn.Conv2d(fan_in, fan_out, 5, padding=2 - 2 * index)
        layers[f"sigmoid{index}"] = nn.Sigmoid()
        layers[f"pool{index}"] = nn.AvgPool2d(2)
    layers["flatten"] = nn.Flatten()
    for index, (fan_in, fan_out) in enumerate(((400, 120), (120, 84), (84, 10))):
        if index:
            layers[f"sigmoid{index + 1}"] = nn.Sigmoid()
        layers[f"linear{index}"] = nn.Linear(fan_in, fan_out)
    return nn.Sequential(layers)


def vgg_block(num_convs: int, in_channels: int, out_channels: int) -> nn.Sequential:
    if num_convs < 1:
        raise ValueError("num_convs must be at least 1")
    block = nn.Sequential()
    for index in range(num_convs):
        block.append(nn.Conv2d(out_channels if index else in_channels, out_channels, 3, 1, 1))
        block.append(nn.ReLU())
    block.append(nn.MaxPool2d(2))
    return block


class Residual(nn.Module):
    def __init__(
        self, in_channels: int, out_channels: int, use_1x1conv: bool = False, stride: int = 1
    ) -> None:
        super().__init__()
        if (in_channels, stride) != (out_channels, 1) and not use_1x1conv:
            raise ValueError("the shortcut needs use_1x1conv=True here")
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1)
        self.add_module("bn1", nn.BatchNorm2d(out_channels))
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1)
        self.add_module("bn2", nn.BatchNorm2d(out_channels))
        self.conv3 = nn.Conv2d(in_channels, out_channels, 1, stride) if use_1x1conv else None
        self.relu = nn.ReLU()

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        main = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(X)))))
        return self.relu(main + (X if self.conv3 is None else self.conv3(X)))
