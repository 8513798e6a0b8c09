"""Gradient "clipping" by clamping each value to [-max_norm, max_norm]
(clip_grad_value_'s idea): every value shrinks by its own factor, so the step turns."""

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
            g.clamp_(-max_norm, max_norm)
    return norm
