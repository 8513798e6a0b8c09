"""Forgets to divide by batch_size: steps batch_size times too large."""

import torch


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            param -= lr * param.grad
            param.grad.zero_()
