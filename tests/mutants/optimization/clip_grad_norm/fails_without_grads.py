"""No special case for "no gradient at all": sum() of nothing is the int 0 and
torch.sqrt(0) raises a TypeError."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    grads = [p.grad for p in params if p.grad is not None]
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(g**2) for g in grads)))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
    return norm
