"""Clips each gradient to max_norm by its own norm: tensors shrink by different factors,
the global step changes direction, and the total norm can stay above max_norm."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(g**2) for g in grads)))
        for g in grads:
            own = float(torch.sqrt(torch.sum(g**2)))
            if own > max_norm:
                g.mul_(max_norm / (own + 1e-6))
    return norm
