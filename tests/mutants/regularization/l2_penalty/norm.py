"""The L2 norm (square root of the sum of squares), not half its square."""

import torch


def l2_penalty(w):
    return torch.sqrt(torch.sum(w**2))
