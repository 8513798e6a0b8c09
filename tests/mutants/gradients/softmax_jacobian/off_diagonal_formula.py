"""-p_i p_j for every entry: the off-diagonal formula on the diagonal too."""

import torch


def softmax_jacobian(a):
    if a.dim() != 1:
        raise ValueError("a must be 1-D")
    p = torch.softmax(a, dim=0)
    return -torch.outer(p, p)
