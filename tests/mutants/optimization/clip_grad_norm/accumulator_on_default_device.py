"""Sums the squares into torch.zeros(()) made without device=: on a GPU machine it is on
the CPU while the gradients are on the GPU."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        total = torch.zeros((), dtype=grads[0].dtype)
        for g in grads:
            total += torch.sum(g**2)
        norm = float(torch.sqrt(total))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
    return norm
