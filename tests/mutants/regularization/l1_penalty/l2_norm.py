"""torch.norm(w): the L2 norm, not the L1 norm."""

import torch


def l1_penalty(w):
    return torch.norm(w.float()).to(w.dtype)
