"""d2l's grad_clipping factor theta / norm, without the + 1e-6 of clip_grad_norm_."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(g.double() ** 2) for g in grads)))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / norm)
    return norm
