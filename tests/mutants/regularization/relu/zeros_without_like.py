"""torch.zeros(X.shape): float32 zeros on the default device, not X's dtype and device."""

import torch


def relu(X):
    a = torch.zeros(X.shape)
    return torch.max(X, a)
