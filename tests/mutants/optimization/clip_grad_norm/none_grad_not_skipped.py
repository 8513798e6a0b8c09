"""Does not skip parameters without a gradient: p.grad ** 2 fails on None."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    params = list(params)
    if not params:
        return 0.0
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(p.grad**2) for p in params)))
        if norm > max_norm:
            for p in params:
                p.grad.mul_(max_norm / (norm + 1e-6))
    return norm
