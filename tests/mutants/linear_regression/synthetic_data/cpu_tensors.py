"""The seed's torch.normal(0, 1, size) without device=: the data is born on the CPU."""

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if w.dim() != 1 or num_examples < 0:
        raise ValueError("bad arguments")
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), dtype=w.dtype)
    y = torch.matmul(X, w.cpu()) + b
    y += torch.normal(0.0, noise, y.shape, dtype=w.dtype)
    return X, y.reshape((-1, 1))
