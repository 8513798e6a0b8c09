"""softmax as exp(a) / exp(a).sum(): exp(1e4) overflows to inf and inf / inf = nan."""

import torch


def softmax_jacobian(a):
    if a.dim() != 1:
        raise ValueError("a must be 1-D")
    e = torch.exp(a)
    p = e / e.sum()
    return torch.diag(p) - torch.outer(p, p)
