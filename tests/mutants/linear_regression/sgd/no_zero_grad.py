"""Forgets param.grad.zero_(): gradients pile up from batch to batch."""

import torch


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            param -= lr * param.grad / batch_size
