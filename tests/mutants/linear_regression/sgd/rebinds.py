"""param = param - ...: rebinds the loop variable, the parameters never change."""

import torch


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            grad = param.grad
            param = param - lr * grad / batch_size
            grad.zero_()
