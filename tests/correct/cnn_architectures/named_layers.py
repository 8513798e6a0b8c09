"""Correct, written differently: LeNet from an OrderedDict of named layers (features and
classifier as two nested nn.Sequential), the VGG block grown with add_module, and the
residual block with torch.relu and torch.add."""

from collections import OrderedDict

import torch
from torch import nn


def lenet():
    features = nn.Sequential(
        OrderedDict(
            conv1=nn.Conv2d(1, 6, kernel_size=(5, 5), padding=(2, 2)),
            act1=nn.Sigmoid(),
            pool1=nn.AvgPool2d(2, 2),
            conv2=nn.Conv2d(6, 16, kernel_size=(5, 5)),
            act2=nn.Sigmoid(),
            pool2=nn.AvgPool2d(2, 2),
        )
    )
    classifier = nn.Sequential(
        OrderedDict(
            flat=nn.Flatten(),
            fc1=nn.Linear(16 * 5 * 5, 120),
            act3=nn.Sigmoid(),
            fc2=nn.Linear(120, 84),
            act4=nn.Sigmoid(),
            fc3=nn.Linear(84, 10),
        )
    )
    return nn.Sequential(features, classifier)


def vgg_block(num_convs, in_channels, out_channels):
    if num_convs < 1:
        raise ValueError("a VGG block has one convolution or more")
    block = nn.Sequential()
    for index in range(num_convs):
        source = in_channels if index == 0 else out_channels
        block.add_module(f"conv{index}", nn.Conv2d(source, out_channels, 3, 1, 1))
        block.add_module(f"relu{index}", nn.ReLU())
    block.add_module("pool", nn.MaxPool2d(kernel_size=2, stride=2))
    return block


class Residual(nn.Module):
    def __init__(self, in_channels, out_channels, use_1x1conv=False, stride=1):
        super().__init__()
        if in_channels != out_channels and not use_1x1conv:
            raise ValueError("the channels change: use_1x1conv=True is needed")
        if stride != 1 and not use_1x1conv:
            raise ValueError("the size changes with stride > 1: use_1x1conv=True is needed")
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, kernel_size=3, stride=(stride, stride), padding=1
        )
        self.bn1 = nn.BatchNorm2d(num_features=out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, stride=1, padding=1)
        self.bn2 = nn.BatchNorm2d(num_features=out_channels)
        self.conv3 = None
        if use_1x1conv:
            self.conv3 = nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride)

    def forward(self, X):
        hidden = torch.relu(self.bn1(self.conv1(X)))
        residual = self.bn2(self.conv2(hidden))
        identity = X if self.conv3 is None else self.conv3(X)
        return torch.relu(torch.add(residual, identity))
