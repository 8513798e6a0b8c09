"""Correct, written differently: a mask product, torch.square, sign times w, the
count from a boolean mean times the length, numpy-free float via .item()."""

import torch


def relu(X):
    return X * (X > 0).to(X.dtype)


def l2_penalty(w):
    return 0.5 * torch.square(w).sum()


def l1_penalty(w):
    return (torch.sign(w) * w).sum()


def accuracy(y_hat, y):
    if y_hat.ndim > 1 and y_hat.shape[-1] > 1:
        y_hat = y_hat.argmax(-1)
    hits = y_hat.to(y.dtype) == y
    return hits.sum().item() * 1.0


def log_rmse(net, features, labels):
    if labels.le(0).any():
        raise ValueError("labels must be positive")
    with torch.no_grad():
        clipped = net(features).clamp(1, float("inf"))
        error = clipped.log() - labels.log()
        return error.square().mean().sqrt().item()
