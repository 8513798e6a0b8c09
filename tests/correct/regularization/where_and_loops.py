"""Correct, written differently: torch.where, a product for the squares, sign-free abs by
max(w, -w), a Python loop for the count, log of the ratio with inference_mode."""

import math

import torch


def relu(X):
    return torch.where(X > 0, X, torch.zeros_like(X))


def l2_penalty(w):
    return (w * w).sum() * 0.5


def l1_penalty(w):
    return torch.maximum(w, -w).sum()


def accuracy(y_hat, y):
    if y_hat.dim() == 2 and y_hat.size(1) > 1:
        y_hat = y_hat.max(dim=1).indices
    correct = 0
    for prediction, label in zip(y_hat.to(y.dtype).tolist(), y.tolist()):
        correct += prediction == label
    return float(correct)


def log_rmse(net, features, labels):
    if (labels <= 0).any():
        raise ValueError("every price must be positive")
    with torch.inference_mode():
        preds = net(features).clamp(min=1.0)
        squared = torch.log(preds / labels) ** 2
        return math.sqrt(squared.mean().item())
