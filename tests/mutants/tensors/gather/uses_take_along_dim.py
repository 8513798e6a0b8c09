"""Uses torch.take_along_dim, which is gather under another name."""

import torch


def gather(input, dim, index):
    return torch.take_along_dim(input, index, dim)
