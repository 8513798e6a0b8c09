"""No shape check: targets that only broadcast against the outputs are accepted."""

import torch


def perceptron_backward(X, W, T):
    O = torch.sigmoid(X @ W.T)  # noqa: E741
    E = ((O - T) ** 2).sum() / 2
    dW = ((O - T) * O * (1 - O)).T @ X
    return E, dW
