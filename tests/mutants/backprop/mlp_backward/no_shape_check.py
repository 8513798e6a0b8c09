"""No shape check: targets that only broadcast against the outputs are accepted."""

import torch


def mlp_backward(X, T, W1, W2):
    H = torch.sigmoid(X @ W1.T)
    O = torch.sigmoid(H @ W2.T)  # noqa: E741
    E = ((O - T) ** 2).sum() / 2
    delta_K = (O - T) * O * (1 - O)
    dW2 = delta_K.T @ H
    delta_J = H * (1 - H) * (delta_K @ W2)
    dW1 = delta_J.T @ X
    return E, dW1, dW2
