"""Correct, written differently: LeNet as a module of its own that pools and flattens with
functions in forward, the VGG block from nested nn.Sequential pairs, and the residual block
with nn.ReLU modules and the shortcut chosen once."""

import torch
from torch import nn
from torch.nn import functional as F


class _LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5)
        self.f1 = nn.Linear(16 * 5 * 5, 120)
        self.f2 = nn.Linear(120, 84)
        self.f3 = nn.Linear(84, 10)

    def forward(self, X):
        X = F.avg_pool2d(torch.sigmoid(self.c1(X)), 2)
        X = F.avg_pool2d(torch.sigmoid(self.c2(X)), 2)
        X = X.view(X.shape[0], -1)
        X = torch.sigmoid(self.f1(X))
        X = torch.sigmoid(self.f2(X))
        return self.f3(X)


def lenet():
    return _LeNet()


def vgg_block(num_convs, in_channels, out_channels):
    if not num_convs >= 1:
        raise ValueError(f"num_convs={num_convs}: a block has at least one convolution")
    channels = [in_channels] + [out_channels] * num_convs
    pairs = [
        nn.Sequential(nn.Conv2d(c_in, c_out, (3, 3), padding=(1, 1)), nn.ReLU(inplace=True))
        for c_in, c_out in zip(channels, channels[1:])
    ]
    return nn.Sequential(*pairs, nn.MaxPool2d(2))


class Residual(nn.Module):
    def __init__(self, in_channels, out_channels, use_1x1conv=False, stride=1):
        super().__init__()
        same_shape = in_channels == out_channels and stride == 1
        if not (use_1x1conv or same_shape):
            raise ValueError("cannot add X to the output without the 1x1 convolution")
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv3 = nn.Conv2d(in_channels, out_channels, 1, stride=stride) if use_1x1conv else None
        self.relu = nn.ReLU()

    def forward(self, X):
        shortcut = self.conv3(X) if self.conv3 is not None else X
        main = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(X)))))
        return self.relu(main + shortcut)
