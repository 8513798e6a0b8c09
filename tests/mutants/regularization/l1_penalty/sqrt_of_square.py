"""|w| as sqrt(w**2): right values, but the gradient at 0 is nan."""

import torch


def l1_penalty(w):
    return torch.sum(torch.sqrt(w**2))
