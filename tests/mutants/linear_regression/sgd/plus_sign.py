"""Adds the gradient: gradient ascent."""

import torch


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            param += lr * param.grad / batch_size
            param.grad.zero_()
