"""p_i (1 - p_j) for every entry: the diagonal's formula used off the diagonal too."""

import torch


def softmax_jacobian(a):
    if a.dim() != 1:
        raise ValueError("a must be 1-D")
    p = torch.softmax(a, dim=0)
    return p.unsqueeze(1) * (1 - p.unsqueeze(0))
