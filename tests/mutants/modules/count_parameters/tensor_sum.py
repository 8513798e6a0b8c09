"""Sums in a tensor: returns a tensor, and reads values a meta net has not."""

import torch


def count_parameters(net):
    return torch.tensor([p.numel() for p in net.parameters()]).sum()
