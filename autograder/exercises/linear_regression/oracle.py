"""Oracles for ``linear_regression``: ``F.linear``, ``F.mse_loss``, ``torch.optim.SGD`` and
``DataLoader``; ``synthetic_data`` through ``torch.distributions``.

Bound at load time, so a helper oracle still works while the graded exercise's forbidden
calls are replaced (see :mod:`autograder.exercises.softmax_regression.oracle`).  The random ones
are graded by statistics, not by comparison with these.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch.distributions import Normal
from torch.nn.functional import linear as _linear
from torch.nn.functional import mse_loss as _mse_loss
from torch.optim import SGD as _SGD  # noqa: N811 - the class, bound before any patching
from torch.utils.data import DataLoader as _DataLoader
from torch.utils.data import TensorDataset as _TensorDataset


def synthetic_data(
    w: torch.Tensor, b: float | torch.Tensor, num_examples: int, noise: float = 0.01
) -> tuple[torch.Tensor, torch.Tensor]:
    if w.dim() != 1 or num_examples < 0:
        raise ValueError("w must be 1-D and num_examples >= 0")
    zero, one = w.new_zeros(()), w.new_ones(())
    features = Normal(zero, one).sample((num_examples, w.numel()))
    clean = _linear(features, w.unsqueeze(0)).squeeze(1) + b
    return features, (clean + Normal(zero, one * noise).sample(clean.shape)).unsqueeze(1)


def linreg(X: torch.Tensor, w: torch.Tensor, b: float | torch.Tensor) -> torch.Tensor:
    out = _linear(X, w.T if w.dim() == 2 else w)
    return out + b


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if y.numel() != y_hat.numel():
        raise ValueError("y_hat and y hold different numbers of elements")
    return 0.5 * _mse_loss(y_hat, y.view_as(y_hat).to(y_hat.dtype), reduction="none")


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with_grad = [p for p in params if p.grad is not None]
    if not with_grad:
        return
    optimizer = _SGD(with_grad, lr=lr / batch_size)
    optimizer.step()
    for p in with_grad:
        p.grad.zero_()


def data_iter(
    batch_size: int, features: torch.Tensor, labels: torch.Tensor
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    if batch_size < 1 or len(labels) != len(features):
        raise ValueError("batch_size must be >= 1 and features and labels of one length")
    yield from _DataLoader(_TensorDataset(features, labels), batch_size, shuffle=True)
