"""Builds the step size as a tensor without device=: on the default device."""

import torch


def sgd(params, lr, batch_size):
    step = torch.tensor(lr / batch_size)
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            param -= step.to(param.dtype) * param.grad
            param.grad.zero_()
