"""Correct, written differently: the forward pass kept as (K, N) columns (W @ X.T), the
gradients as products in that layout, Himmelblau from a sum of two squares with
torch.square, and minimize on an nn.Parameter under torch.no_grad for the value."""

import torch
from torch import nn


def perceptron_backward(X, W, T):
    if X.dim() != 2 or W.dim() != 2 or T.dim() != 2:
        raise ValueError("perceptron_backward wants matrices")
    if W.shape[1] != X.shape[1] or T.shape != torch.Size([X.shape[0], W.shape[0]]):
        raise ValueError("perceptron_backward: shapes do not fit")
    out_t = torch.sigmoid(W @ X.T)  # (K, N)
    diff_t = out_t - T.T
    error = torch.square(diff_t).sum() * 0.5
    delta_t = diff_t * out_t * (1 - out_t)
    return error, delta_t @ X


def mlp_backward(X, T, W1, W2):
    if X.dim() != 2 or T.dim() != 2 or W1.dim() != 2 or W2.dim() != 2:
        raise ValueError("mlp_backward wants matrices")
    if W1.shape[1] != X.shape[1] or W2.shape[1] != W1.shape[0]:
        raise ValueError("mlp_backward: the weights do not fit")
    if T.shape != torch.Size([X.shape[0], W2.shape[0]]):
        raise ValueError("mlp_backward: T does not fit")
    hidden_t = torch.sigmoid(W1 @ X.T)  # (J, N)
    out_t = torch.sigmoid(W2 @ hidden_t)  # (K, N)
    diff_t = out_t - T.T
    error = torch.square(diff_t).sum() * 0.5
    delta_k = diff_t * out_t * (1 - out_t)
    delta_j = (W2.T @ delta_k) * hidden_t * (1 - hidden_t)
    return error, delta_j @ X, delta_k @ hidden_t.T


def himmelblau(P):
    if P.dim() < 1 or P.shape[-1] != 2:
        raise ValueError("himmelblau: P must be (..., 2)")
    x, y = P[..., :1], P[..., 1:]
    value = torch.square(x**2 + y - 11) + torch.square(x + y**2 - 7)
    return value.squeeze(-1)


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("minimize: steps < 0")
    point = nn.Parameter(x0.detach().clone())
    adam = torch.optim.Adam([point], lr=lr)
    for _ in range(steps):
        adam.zero_grad()
        f(point).backward()
        adam.step()
    with torch.no_grad():
        value = f(point)
    return point.detach().clone(), value.item()
