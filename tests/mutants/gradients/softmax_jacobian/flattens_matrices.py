"""No ValueError: any a is flattened into a vector first."""

import torch


def softmax_jacobian(a):
    p = torch.softmax(a.reshape(-1), dim=0)
    return torch.diag(p) - torch.outer(p, p)
