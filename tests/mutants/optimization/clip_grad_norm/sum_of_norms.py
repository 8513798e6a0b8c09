"""Adds up the norms of the tensors instead of taking the norm of all values together:
the "norm" is too large, and the gradients are clipped too much."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = float(sum(torch.sqrt(torch.sum(g**2)) for g in grads))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
    return norm
