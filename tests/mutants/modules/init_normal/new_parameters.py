"""Replaces the parameters with new nn.Parameters (float32, on the CPU)."""

import torch
from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        m.weight = nn.Parameter(torch.randn(m.weight.shape) * 0.01)
        m.bias = nn.Parameter(torch.zeros(m.bias.shape))
