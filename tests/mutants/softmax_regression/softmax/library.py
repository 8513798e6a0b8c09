"""Calls the library instead of implementing it."""

import torch


def softmax(X, dim=-1):
    return torch.nn.functional.softmax(X, dim=dim)
