"""weight.data = torch.normal(...): new float32 CPU storage."""

import torch
from torch import nn


def init_normal(m):
    if isinstance(m, nn.Linear):
        m.weight.data = torch.normal(0.0, 0.01, m.weight.shape)
        m.bias.data = torch.zeros(m.bias.shape)
