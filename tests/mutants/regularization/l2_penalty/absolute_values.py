"""Sums the absolute values (the L1 penalty) instead of the squares."""

import torch


def l2_penalty(w):
    return torch.sum(torch.abs(w)) / 2
