"""Forgets the square root: the sum of squares is taken for the norm, so large gradients
are clipped far too much and small ones too little."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = float(sum(torch.sum(g**2) for g in grads))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
    return norm
