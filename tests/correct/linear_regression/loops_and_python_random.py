"""Correct, written differently: torch.randn and randn_like, a sum for a vector w,
square by multiplication, sub_ then grad = None, Python's random.shuffle of a list."""

import random

import torch


def synthetic_data(w, b, num_examples, noise=0.01):
    if len(w.shape) != 1:
        raise ValueError("w must be 1-D")
    if num_examples < 0:
        raise ValueError("negative number of examples")
    X = torch.randn(num_examples, w.shape[0], device=w.device, dtype=w.dtype)
    y = X @ w + b
    y = y + noise * torch.randn_like(y)
    return X, y.unsqueeze(1)


def linreg(X, w, b):
    if w.dim() == 1:
        return (X * w).sum(dim=1) + b
    return X @ w + b


def squared_loss(y_hat, y):
    if y_hat.numel() != y.numel():
        raise ValueError("one label per prediction")
    diff = y_hat - y.view(y_hat.shape)
    return 0.5 * diff * diff


def sgd(params, lr, batch_size):
    for param in params:
        if param.grad is None:
            continue
        with torch.no_grad():
            param.sub_(param.grad * (lr / batch_size))
        param.grad = None


def data_iter(batch_size, features, labels):
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    if features.shape[0] != labels.shape[0]:
        raise ValueError("features and labels differ in length")
    indices = list(range(len(features)))
    random.shuffle(indices)
    for start in range(0, len(indices), batch_size):
        rows = torch.tensor(indices[start : start + batch_size], device=features.device)
        yield features[rows], labels[rows]
