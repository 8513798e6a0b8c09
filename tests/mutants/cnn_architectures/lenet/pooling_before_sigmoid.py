"""Pools before the second activation: sigmoid(avgpool(conv2(...))) instead of
avgpool(sigmoid(conv2(...))); the shapes and the parameters are d2l's."""

from torch import nn


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2),
        nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Sigmoid(),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120),
        nn.Sigmoid(),
        nn.Linear(120, 84),
        nn.Sigmoid(),
        nn.Linear(84, 10),
    )
