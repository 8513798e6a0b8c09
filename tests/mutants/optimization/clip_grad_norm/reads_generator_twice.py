"""Iterates params twice, once for the norm and once to scale: a generator such as
net.parameters() is empty the second time, so nothing is clipped."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    squares = [torch.sum(p.grad**2) for p in params if p.grad is not None]
    if not squares:
        return 0.0
    norm = float(torch.sqrt(sum(squares)))
    if norm > max_norm:
        with torch.no_grad():
            for p in params:
                if p.grad is not None:
                    p.grad.mul_(max_norm / (norm + 1e-6))
    return norm
