"""p pᵀ - diag(p): every sign the wrong way round."""

import torch


def softmax_jacobian(a):
    if a.dim() != 1:
        raise ValueError("a must be 1-D")
    p = torch.softmax(a, dim=0)
    return torch.outer(p, p) - torch.diag(p)
