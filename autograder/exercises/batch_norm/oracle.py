"""Oracles for ``batch_norm``: torch's own ``torch.batch_norm`` (what ``F.batch_norm`` runs).

Bound at load time, so the oracle still works while the graded exercise's forbidden calls
are replaced (see :mod:`autograder.exercises.softmax_regression.oracle`).  The operator
itself, not ``F.batch_norm``: ``BatchNorm``'s forward calls ``batch_norm``, so the kit lends
this oracle to the runner, which lets a lent helper call a forbidden original only from its
own code, and a Python function such as ``F.batch_norm`` reaches the operator from torch's.
``torch.batch_norm`` updates the running statistics it is given in place (in training):
it gets copies.
"""

from __future__ import annotations

import torch
from torch import batch_norm as _batch_norm
from torch import nn


def _check_shapes(X: torch.Tensor, training: bool, *statistics: torch.Tensor) -> None:
    """The ``ValueError``s of the contract (``F.batch_norm`` also takes 3-D input)."""
    if X.dim() not in (2, 4):
        raise ValueError("X must be 2-D or 4-D")
    if any(tuple(t.shape) != (X.shape[1],) for t in statistics):
        raise ValueError("gamma, beta and the running statistics must have shape (C,)")
    if training and X.shape[0] * (X.shape[2] * X.shape[3] if X.dim() == 4 else 1) == 1:
        raise ValueError("training needs more than one value per channel")


def batch_norm(
    X: torch.Tensor,
    gamma: torch.Tensor,
    beta: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    training: bool,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    _check_shapes(X, training, gamma, beta, running_mean, running_var)
    new_mean = running_mean.detach().clone()
    new_var = running_var.detach().clone()
    Y = _batch_norm(X, gamma, beta, new_mean, new_var, training, momentum, eps, True)
    return Y, new_mean, new_var


class BatchNorm(nn.Module):
    def __init__(self, num_features: int, num_dims: int) -> None:
        super().__init__()
        if num_dims not in (2, 4):
            raise ValueError("num_dims must be 2 or 4")
        self.num_dims = num_dims
        self.gamma = nn.Parameter(torch.full((num_features,), 1.0))
        self.beta = nn.Parameter(torch.full((num_features,), 0.0))
        for name, start in (("running_mean", 0.0), ("running_var", 1.0)):
            self.register_buffer(name, torch.full((num_features,), start))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if X.dim() != self.num_dims:
            raise ValueError("X.dim() must be num_dims")
        return _batch_norm(
            X,
            self.gamma,
            self.beta,
            self.running_mean,
            self.running_var,
            self.training,
            0.1,
            1e-5,
            True,
        )
