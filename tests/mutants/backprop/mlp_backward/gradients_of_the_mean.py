"""Both gradients of the mean (F.mse_loss), 2 / (N K) times those of the half sum."""

import torch


def _check(X, T, W1, W2):
    if any(t.dim() != 2 for t in (X, T, W1, W2)):
        raise ValueError("matrices please")
    if W1.shape[1] != X.shape[1] or W2.shape[1] != W1.shape[0]:
        raise ValueError("shapes do not fit")
    if T.shape != (X.shape[0], W2.shape[0]):
        raise ValueError("shapes do not fit")


def mlp_backward(X, T, W1, W2):
    _check(X, T, W1, W2)
    H = torch.sigmoid(X @ W1.T)
    O = torch.sigmoid(H @ W2.T)  # noqa: E741
    E = ((O - T) ** 2).sum() / 2
    delta_K = (O - T) * O * (1 - O) * 2 / T.numel()
    dW2 = delta_K.T @ H
    delta_J = H * (1 - H) * (delta_K @ W2)
    dW1 = delta_J.T @ X
    return E, dW1, dW2
