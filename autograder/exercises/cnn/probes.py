"""Probes for ``cnn.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.engine.answers import INT, NUMBER, TENSOR, Kind, ListOf, Maybe, Report


def learn_kernel(
    function: Callable[..., Any],
    X: torch.Tensor,
    Y: torch.Tensor,
    K0: torch.Tensor,
    lr: float = 3e-2,
    steps: int = 40,
) -> dict[str, Any]:
    """d2l's experiment: learn the kernel ``K`` with ``corr2d(X, K) ≈ Y`` by gradient descent.

    Starts from ``K0``, minimises ``((corr2d(X, K) - Y) ** 2).sum()`` with plain gradient
    steps through the student's ``corr2d``, and reports the learned kernel and the losses.
    ``result`` is ``None`` (with ``stopped_at``) when no gradient reaches ``K``.
    """
    K = K0.detach().clone()
    losses: list[float] = []
    for step in range(steps):
        K.requires_grad_(True)
        Y_hat = function(X, K)
        if not isinstance(Y_hat, torch.Tensor) or not Y_hat.requires_grad:
            return {"result": None, "stopped_at": step, "losses": losses}
        loss = ((Y_hat - Y) ** 2).sum()
        (grad,) = torch.autograd.grad(loss, K, allow_unused=True)
        if grad is None:
            return {"result": None, "stopped_at": step, "losses": losses}
        losses.append(float(loss.detach()))
        K = (K - lr * grad).detach()
    return {"result": K, "losses": losses}


def _learn_kernel_report(arguments: dict[str, Any]) -> Kind:
    """The learned kernel and a loss per step (or where the gradient stopped reaching K)."""
    losses = ListOf(NUMBER, limit=int(arguments["steps"]))
    return Report({"result": Maybe(TENSOR), "losses": losses}, {"stopped_at": INT})


# What each probe here reports (see autograder.engine.answers).
REPORTS = {"learn_kernel": _learn_kernel_report}
