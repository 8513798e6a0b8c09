"""p.grad = p.grad * factor: the values are right, but each gradient is a new tensor
(clip_grad_norm_ scales in place; a reference to the old gradient keeps the old values)."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    params = [p for p in params if p.grad is not None]
    if not params:
        return 0.0
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(p.grad**2) for p in params)))
        if norm > max_norm:
            for p in params:
                p.grad = p.grad * (max_norm / (norm + 1e-6))
    return norm
