"""Keeps the layers in a plain Python list inside a custom module: nn.Module does not
register them, so the net has no parameters, the optimizer trains nothing, and .to() moves
nothing."""

from torch import nn


class _LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [
            nn.Conv2d(1, 6, kernel_size=5, padding=2),
            nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),
            nn.Sigmoid(),
            nn.Linear(120, 84),
            nn.Sigmoid(),
            nn.Linear(84, 10),
        ]

    def forward(self, X):
        for layer in self.layers:
            X = layer(X)
        return X


def lenet():
    return _LeNet()
