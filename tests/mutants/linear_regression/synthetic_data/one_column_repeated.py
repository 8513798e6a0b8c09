"""Draws one column and repeats it for every feature: the features are not independent."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.dim() != 1 or num_examples < 0:
        raise ValueError("bad arguments")
    column = torch.normal(0.0, 1.0, (num_examples, 1), device=w.device, dtype=w.dtype)
    X = column.repeat(1, len(w))
    y = torch.matmul(X, w) + b
    y += torch.normal(0.0, noise, y.shape, device=w.device, dtype=w.dtype)
    return X, y.reshape((-1, 1))
