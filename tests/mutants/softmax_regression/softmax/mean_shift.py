"""Centres each row on its mean instead of its max: large spreads still overflow, and a
-inf entry makes the mean -inf, so X - mean is nan."""

import torch


def softmax(X, dim=-1):
    X_exp = torch.exp(X - X.mean(dim, keepdim=True))
    return X_exp / X_exp.sum(dim, keepdim=True)
