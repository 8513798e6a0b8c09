"""Correct, written differently: einsum for the weight gradients, mlp_backward reusing
perceptron_backward for its output layer (a perceptron on the hidden layer H), Himmelblau
through unbind, and minimize with optimizer.step(closure)."""

import torch


def perceptron_backward(X, W, T):
    if X.ndim != 2 or W.ndim != 2 or T.ndim != 2:
        raise ValueError("X, W, T must be 2-D")
    n, d = X.shape
    k = W.shape[0]
    if W.shape[1] != d or tuple(T.shape) != (n, k):
        raise ValueError("X (N, D), W (K, D), T (N, K) expected")
    out = torch.sigmoid(torch.einsum("nd,kd->nk", X, W))
    diff = out - T
    error = 0.5 * torch.einsum("nk,nk->", diff, diff)
    delta = diff * out * (1 - out)
    return error, torch.einsum("nk,nd->kd", delta, X)


def mlp_backward(X, T, W1, W2):
    if X.ndim != 2 or T.ndim != 2 or W1.ndim != 2 or W2.ndim != 2:
        raise ValueError("all four must be matrices")
    if W1.shape[1] != X.shape[1] or W2.shape[1] != W1.shape[0]:
        raise ValueError("the weights do not chain")
    if tuple(T.shape) != (X.shape[0], W2.shape[0]):
        raise ValueError("T does not fit the output")
    H = torch.sigmoid(X @ W1.T)
    error, dW2 = perceptron_backward(H, W2, T)
    out = torch.sigmoid(H @ W2.T)
    delta_out = (out - T) * out * (1 - out)
    delta_hidden = torch.einsum("nk,kj->nj", delta_out, W2) * H * (1 - H)
    return error, torch.einsum("nj,ni->ji", delta_hidden, X), dW2


def himmelblau(P):
    if P.ndim < 1 or P.shape[-1] != 2:
        raise ValueError("points must have a last dimension of 2")
    x, y = P.unbind(dim=-1)
    return (x.pow(2) + y - 11).pow(2) + (x + y.pow(2) - 7).pow(2)


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("a negative number of steps")
    x = x0.clone().detach().requires_grad_()
    optimizer = torch.optim.Adam(params=[x], lr=lr)

    def closure():
        optimizer.zero_grad()
        value = f(x)
        value.backward()
        return value

    for _ in range(steps):
        optimizer.step(closure)
    with torch.no_grad():
        return x.detach(), f(x).item()
