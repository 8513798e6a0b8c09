"""Calls torch's nn.utils.clip_grad_norm_, which the exercise forbids."""

import torch


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    with_grads = [p for p in params if p.grad is not None]
    if not with_grads:
        return 0.0
    return float(torch.nn.utils.clip_grad_norm_(with_grads, max_norm))
