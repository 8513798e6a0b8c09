"""Convolutions built with bias=False (as before a batch norm): not VGG's, whose
convolutions keep their bias."""

from torch import nn


def vgg_block(num_convs, in_channels, out_channels):
    if num_convs < 1:
        raise ValueError("num_convs must be at least 1")
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False))
        layers.append(nn.ReLU())
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)
