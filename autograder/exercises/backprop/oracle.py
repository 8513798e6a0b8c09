"""Oracles for ``backprop``: autograd in float64 for the backward passes, the formula of
Himmelblau's function as SPEC §2 states it (no library has it), and ``torch.optim.Adam``.

The checks take the backward passes' ground truth from here in the instructor's grader and
in the kit alike: autograd on the forward pass, in float64, rounded to the inputs' dtype.

Bound at load time (see :mod:`autograder.exercises.softmax_regression.oracle`).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import sigmoid as _sigmoid
from torch.autograd import grad as _grad
from torch.optim import Adam as _Adam


def _check_matrices(*tensors: torch.Tensor) -> None:
    if any(t.dim() != 2 for t in tensors):
        raise ValueError("every argument must be a matrix")


def perceptron_backward(
    X: torch.Tensor, W: torch.Tensor, T: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    _check_matrices(X, W, T)
    if X.shape[1] != W.shape[1] or T.shape != (X.shape[0], W.shape[0]):
        raise ValueError("shapes do not fit")
    w = W.detach().to(torch.float64).requires_grad_(True)
    with torch.enable_grad():
        outputs = _sigmoid(X.to(torch.float64) @ w.T)
        error = 0.5 * (outputs - T.to(torch.float64)).square().sum()
        (dW,) = _grad(error, w)
    return error.detach().to(W.dtype), dW.to(W.dtype)


def mlp_backward(
    X: torch.Tensor, T: torch.Tensor, W1: torch.Tensor, W2: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check_matrices(X, T, W1, W2)
    if W1.shape[1] != X.shape[1] or W2.shape[1] != W1.shape[0]:
        raise ValueError("shapes do not fit")
    if T.shape != (X.shape[0], W2.shape[0]):
        raise ValueError("shapes do not fit")
    w1 = W1.detach().to(torch.float64).requires_grad_(True)
    w2 = W2.detach().to(torch.float64).requires_grad_(True)
    with torch.enable_grad():
        hidden = _sigmoid(X.to(torch.float64) @ w1.T)
        outputs = _sigmoid(hidden @ w2.T)
        error = 0.5 * (outputs - T.to(torch.float64)).square().sum()
        dW1, dW2 = _grad(error, [w1, w2])
    return error.detach().to(W1.dtype), dW1.to(W1.dtype), dW2.to(W2.dtype)


def himmelblau(P: torch.Tensor) -> torch.Tensor:
    if P.dim() == 0 or P.shape[-1] != 2:
        raise ValueError("P must have shape (..., 2)")
    x, y = P.unbind(-1)
    first = x * x + y - 11
    second = x + y * y - 7
    return first.square() + second.square()


def minimize(
    f: Callable[[torch.Tensor], torch.Tensor],
    x0: torch.Tensor,
    lr: float = 1e-3,
    steps: int = 20000,
) -> tuple[torch.Tensor, float]:
    if steps < 0:
        raise ValueError("steps must be >= 0")
    point = torch.nn.Parameter(x0.detach().clone())
    optimizer = _Adam([point], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = f(point)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return point.detach().clone(), f(point).item()
