"""Draws X with torch.rand: uniform on [0, 1), not N(0, 1)."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.dim() != 1 or num_examples < 0:
        raise ValueError("bad arguments")
    X = torch.rand((num_examples, len(w)), device=w.device, dtype=w.dtype)
    y = torch.matmul(X, w) + b
    y += torch.normal(0.0, noise, y.shape, device=w.device, dtype=w.dtype)
    return X, y.reshape((-1, 1))
