"""Computes with w.data: the value is right but no gradient reaches w."""

import torch


def linreg(X, w, b):
    return torch.matmul(X, w.data) + b
