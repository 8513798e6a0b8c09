"""No check of max_norm: 0 or a negative bound is accepted (and flips or zeroes the
gradients)."""

import torch


def clip_grad_norm(params, max_norm):
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(g**2) for g in grads)))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
    return norm
