"""Correct, written differently: derivatives from torch.nn.functional's activations,
Huber's loss as the piecewise formula by torch.where on |r| > delta, the Jacobian from
torch.outer with a diagonal added, a log-sum-exp by torch.max with keepdim, and a loop
over rows for the one-hot."""

import torch
import torch.nn.functional as F


def activation_grad(X, name, negative_slope=0.01):
    if not X.is_floating_point():
        raise ValueError("activation_grad: X must hold floats")
    if name == "sigmoid":
        s = F.sigmoid(X)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - F.tanh(X).square()
    if name in ("relu", "leaky_relu"):
        below = 0.0 if name == "relu" else negative_slope
        return torch.where(X > 0, torch.ones_like(X), torch.full_like(X, below))
    raise ValueError("activation_grad: unknown activation " + repr(name))


def softmax_jacobian(a):
    if a.dim() != 1:
        raise ValueError("softmax_jacobian: a must be 1-D")
    e = torch.exp(a - a.max()) if a.numel() else a
    p = e / e.sum()
    return torch.diag(p) - torch.outer(p, p)


def cross_entropy_grad(logits, y):
    if logits.dim() != 2 or y.dim() != 1 or len(logits) != len(y) or not len(y):
        raise ValueError("cross_entropy_grad: logits (N, C), y (N,), N >= 1")
    if y.is_floating_point():
        raise ValueError("cross_entropy_grad: labels are class numbers")
    rows, classes = logits.shape
    labels = y.tolist()
    if any(label < 0 or label >= classes for label in labels):
        raise ValueError("cross_entropy_grad: label outside [0, C)")
    m, _ = torch.max(logits, dim=1, keepdim=True)
    log_z = m + torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    targets = torch.zeros_like(logits)
    for row, label in enumerate(labels):
        targets[row, label] = 1.0
    loss = ((log_z - logits) * targets).sum() / rows
    grad = (torch.exp(logits - log_z) - targets) / rows
    return loss, grad


def huber_loss(y_hat, y, delta=1.0):
    if y_hat.size() != y.size():
        raise ValueError("huber_loss: y_hat and y differ in shape")
    if delta <= 0:
        raise ValueError("huber_loss: delta <= 0")
    r = y_hat - y
    return torch.where(r.abs() > delta, delta * r.abs() - delta**2 / 2, r.pow(2) / 2)
