"""Passes noise**2 to torch.normal, whose argument is a standard deviation."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.dim() != 1 or num_examples < 0:
        raise ValueError("bad arguments")
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), device=w.device, dtype=w.dtype)
    y = torch.matmul(X, w) + b
    y += torch.normal(0.0, noise**2, y.shape, device=w.device, dtype=w.dtype)
    return X, y.reshape((-1, 1))
