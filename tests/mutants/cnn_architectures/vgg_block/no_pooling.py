"""Forgets the max pooling at the end of the block: the height and width never halve."""

from torch import nn


def vgg_block(num_convs, in_channels, out_channels):
    if num_convs < 1:
        raise ValueError("num_convs must be at least 1")
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
        in_channels = out_channels
    return nn.Sequential(*layers)
