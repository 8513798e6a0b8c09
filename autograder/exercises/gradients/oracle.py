"""Oracles for ``gradients``: autograd in float64 on torch's own functions.

The ground truth of every derivative is what autograd gives for ``torch.sigmoid``,
``torch.tanh``, ``F.relu``, ``F.leaky_relu``, ``torch.softmax`` and ``F.cross_entropy``,
computed in float64 on the input's values and rounded to the input's dtype; Huber's loss is
``F.huber_loss`` without reduction.  The checks use these in the instructor's grader and in
the kit alike (the judge may differentiate; the runner may not, for these exercises).

Bound at load time, so that a helper oracle lent to a runner still works while the graded
exercise's forbidden calls are replaced (see :mod:`autograder.exercises.softmax_regression.oracle`).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import sigmoid as _sigmoid
from torch import softmax as _softmax
from torch import tanh as _tanh
from torch.autograd import grad as _grad
from torch.nn.functional import cross_entropy as _cross_entropy
from torch.nn.functional import huber_loss as _huber_loss
from torch.nn.functional import leaky_relu as _leaky_relu
from torch.nn.functional import relu as _relu


def _in_float64(x: torch.Tensor) -> torch.Tensor:
    return x.detach().to(torch.float64).requires_grad_(True)


def _elementwise_derivative(
    function: Callable[[torch.Tensor], torch.Tensor], X: torch.Tensor
) -> torch.Tensor:
    x = _in_float64(X)
    with torch.enable_grad():
        y = function(x)
        (derivative,) = _grad(y, x, torch.ones_like(y))
    return derivative.to(X.dtype)


def activation_grad(X: torch.Tensor, name: str, negative_slope: float = 0.01) -> torch.Tensor:
    if not X.is_floating_point():
        raise ValueError("X must be a floating-point tensor")
    functions = {
        "sigmoid": _sigmoid,
        "tanh": _tanh,
        "relu": _relu,
        "leaky_relu": lambda x: _leaky_relu(x, negative_slope),
    }
    if name not in functions:
        raise ValueError(f"unknown activation {name!r}")
    return _elementwise_derivative(functions[name], X)


def softmax_jacobian(a: torch.Tensor) -> torch.Tensor:
    if a.dim() != 1:
        raise ValueError("a must be 1-D")
    x = _in_float64(a)
    rows = []
    with torch.enable_grad():
        p = _softmax(x, dim=0)
        for i in range(len(a)):
            (row,) = _grad(p[i], x, retain_graph=True)
            rows.append(row)
    jacobian = torch.stack(rows) if rows else x.new_zeros((0, 0))
    return jacobian.detach().to(a.dtype)


def cross_entropy_grad(logits: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if logits.dim() != 2 or y.dim() != 1 or len(y) != len(logits) or len(y) == 0:
        raise ValueError("logits must be (N, C) with N >= 1 and y (N,)")
    if y.is_floating_point() or bool(((y < 0) | (y >= logits.shape[1])).any()):
        raise ValueError("labels must be integers in [0, C)")
    x = _in_float64(logits)
    with torch.enable_grad():
        loss = _cross_entropy(x, y.long())
        (gradient,) = _grad(loss, x)
    return loss.detach().to(logits.dtype), gradient.to(logits.dtype)


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, delta: float = 1.0) -> torch.Tensor:
    if y_hat.shape != y.shape:
        raise ValueError("y_hat and y must have the same shape")
    if not delta > 0:
        raise ValueError("delta must be positive")
    return _huber_loss(y_hat, y, reduction="none", delta=delta)
