"""3x3 convolutions without padding: every convolution shrinks the maps by 2."""

from torch import nn


def vgg_block(num_convs, in_channels, out_channels):
    if num_convs < 1:
        raise ValueError("num_convs must be at least 1")
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3))
        layers.append(nn.ReLU())
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)
