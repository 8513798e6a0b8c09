"""The mean of the absolute values instead of the sum."""

import torch


def l1_penalty(w):
    return torch.mean(torch.abs(w))
