"""Compares the sizes but never checks that W1 and W2 are matrices: a 1-D weight raises
IndexError from W1.shape[1], not ValueError."""

import torch


def mlp_backward(X, T, W1, W2):
    N, num_inputs = X.shape
    J, K = W1.shape[0], W2.shape[0]
    if W1.shape[1] != num_inputs or W2.shape[1] != J or T.shape != (N, K):
        raise ValueError("shapes do not fit")
    H = torch.sigmoid(X @ W1.T)
    out = torch.sigmoid(H @ W2.T)
    E = ((out - T) ** 2).sum() / 2
    delta_K = (out - T) * out * (1 - out)
    dW2 = delta_K.T @ H
    delta_J = H * (1 - H) * (delta_K @ W2)
    dW1 = delta_J.T @ X
    return E, dW1, dW2
