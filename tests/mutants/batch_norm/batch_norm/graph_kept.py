"""Computes the new running statistics from the batch mean and variance with their graph:
new_mean and new_var require grad, and a layer that stores them keeps every batch's graph."""

import torch


def batch_norm(X, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if X.dim() not in (2, 4):
        raise ValueError("X must be 2-D or 4-D")
    C = X.shape[1]
    if any(t.shape != (C,) for t in (gamma, beta, running_mean, running_var)):
        raise ValueError("gamma, beta and the statistics must have shape (C,)")
    dims = (0,) if X.dim() == 2 else (0, 2, 3)
    shape = (1, C) if X.dim() == 2 else (1, C, 1, 1)
    if training:
        m = X.numel() // C
        if m == 1:
            raise ValueError("one value per channel")
        mean = X.mean(dim=dims)
        var = ((X - mean.reshape(shape)) ** 2).mean(dim=dims)
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1)
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean, running_var
    X_hat = (X - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + eps)
    return gamma.reshape(shape) * X_hat + beta.reshape(shape), new_mean, new_var
