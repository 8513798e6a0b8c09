"""The gradient of F.mse_loss (a mean without the 1/2), 2 / (N K) times the gradient of
the half sum E = sum((O - T)^2) / 2 that the function returns."""

import torch


def _check(X, W, T):
    if X.dim() != 2 or W.dim() != 2 or T.dim() != 2:
        raise ValueError("matrices please")
    if W.shape[1] != X.shape[1] or T.shape != (X.shape[0], W.shape[0]):
        raise ValueError("shapes do not fit")


def perceptron_backward(X, W, T):
    _check(X, W, T)
    O = torch.sigmoid(X @ W.T)  # noqa: E741
    E = ((O - T) ** 2).sum() / 2
    N, K = T.shape
    dW = (2 / (N * K)) * ((O - T) * O * (1 - O)).T @ X
    return E, dW
