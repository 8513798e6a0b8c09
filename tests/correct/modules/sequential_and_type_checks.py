"""Correct, written differently: layers kept in named attributes with nn.ReLU and
nn.Dropout modules, d2l's type(m) == nn.Linear, a counter over net.parameters(), torch.sub,
weights from torch.normal."""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, num_inputs, num_hiddens, num_outputs, dropout=0.0):
        super().__init__()
        self.hidden = nn.Linear(num_inputs, num_hiddens)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(p=dropout)
        self.output = nn.Linear(num_hiddens, num_outputs)

    def forward(self, X):
        X = X.reshape(X.shape[0], -1)
        return self.output(self.drop(self.act(self.hidden(X))))


def init_normal(m):
    if type(m) == nn.Linear:  # noqa: E721 - d2l's test
        nn.init.normal_(m.weight, mean=0, std=0.01)
        nn.init.zeros_(m.bias)


def count_parameters(net):
    total = 0
    for param in net.parameters():
        total += param.numel()
    return total


class CenteredLayer(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, X):
        return torch.sub(X, X.mean())


class MyLinear(nn.Module):
    def __init__(self, in_units, units):
        super().__init__()
        self.weight = nn.Parameter(torch.normal(0.0, 1.0, (in_units, units)))
        self.bias = nn.Parameter(torch.normal(0.0, 1.0, (units,)))

    def forward(self, X):
        return torch.clamp(X @ self.weight + self.bias, min=0)
