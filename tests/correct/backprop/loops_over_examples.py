"""Correct, written differently: gradients as sums of outer products, one example at a
time; Himmelblau on stacked coordinates; minimize with set_to_none=False and a
while loop."""

import torch


def perceptron_backward(X, W, T):
    if X.dim() != 2 or W.dim() != 2 or T.dim() != 2:
        raise ValueError("matrices expected")
    if X.size(1) != W.size(1) or T.size(0) != X.size(0) or T.size(1) != W.size(0):
        raise ValueError("X, W and T do not fit together")
    error = X.new_zeros(())
    dW = torch.zeros_like(W)
    for x, t in zip(X, T):
        o = torch.sigmoid(W @ x)
        error = error + ((o - t) ** 2).sum() / 2
        dW = dW + torch.outer((o - t) * o * (1 - o), x)
    return error, dW


def mlp_backward(X, T, W1, W2):
    if X.dim() != 2 or T.dim() != 2 or W1.dim() != 2 or W2.dim() != 2:
        raise ValueError("matrices expected")
    if X.size(1) != W1.size(1) or W1.size(0) != W2.size(1):
        raise ValueError("the layers do not fit")
    if T.size(0) != X.size(0) or T.size(1) != W2.size(0):
        raise ValueError("the targets do not fit")
    error = X.new_zeros(())
    dW1, dW2 = torch.zeros_like(W1), torch.zeros_like(W2)
    for x, t in zip(X, T):
        h = torch.sigmoid(W1 @ x)
        o = torch.sigmoid(W2 @ h)
        error = error + ((o - t) ** 2).sum() / 2
        delta_k = (o - t) * o * (1 - o)
        delta_j = h * (1 - h) * (W2.T @ delta_k)
        dW2 = dW2 + torch.outer(delta_k, h)
        dW1 = dW1 + torch.outer(delta_j, x)
    return error, dW1, dW2


def himmelblau(P):
    if P.dim() == 0 or P.size(-1) != 2:
        raise ValueError("the last dimension must hold (x, y)")
    x = P.select(-1, 0)
    y = P.select(-1, 1)
    terms = torch.stack([x * x + y - 11, x + y * y - 7])
    return (terms**2).sum(dim=0)


def minimize(f, x0, lr=1e-3, steps=20000):
    if steps < 0:
        raise ValueError("steps cannot be negative")
    x = torch.empty_like(x0).copy_(x0.detach()).requires_grad_(True)
    optimizer = torch.optim.Adam([x], lr)
    done = 0
    while done < steps:
        optimizer.zero_grad(set_to_none=False)
        loss = f(x)
        loss.backward()
        optimizer.step()
        done += 1
    final = x.detach().clone()
    return final, float(f(final))
