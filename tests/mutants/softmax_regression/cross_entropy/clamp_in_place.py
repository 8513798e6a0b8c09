"""Guards against log(0) with y_hat.clamp_(...): modifies the caller's probabilities."""

import torch


def cross_entropy(y_hat, y):
    if y_hat.dim() != 2 or len(y) != len(y_hat):
        raise ValueError("bad shapes")
    y_hat.clamp_(min=1e-12)
    return -torch.log(y_hat[range(len(y_hat)), y])
