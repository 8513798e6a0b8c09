"""Checks the arguments with assert: AssertionError, not ValueError."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    assert w.dim() == 1 and num_examples >= 0
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), device=w.device, dtype=w.dtype)
    y = torch.matmul(X, w) + b
    y += torch.normal(0.0, noise, y.shape, device=w.device, dtype=w.dtype)
    return X, y.reshape((-1, 1))
