"""Oracles for ``softmax_regression``: ``torch.softmax``, ``torch.gather`` and
``F.cross_entropy``.

The library functions are bound when this module is loaded: while an exercise that forbids
them is graded, the runner replaces ``torch.softmax`` and friends, and an oracle called as a
helper (a student's ``stable_cross_entropy`` calling ``softmax``) must still work.
"""

from __future__ import annotations

import torch
from torch import gather as _gather
from torch import log as _log
from torch import softmax as _softmax
from torch.nn.functional import cross_entropy as _cross_entropy


def _labels_fit(scores: torch.Tensor, y: torch.Tensor) -> None:
    if scores.dim() != 2:
        raise ValueError(f"expected an (N, C) matrix, got shape {tuple(scores.shape)}")
    if y.dim() != 1 or len(y) != len(scores):
        raise ValueError(f"y must be a vector of {len(scores)} labels, got {tuple(y.shape)}")


def softmax(X: torch.Tensor, dim: int = -1) -> torch.Tensor:
    return _softmax(X, dim=dim)


def cross_entropy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    _labels_fit(y_hat, y)
    # Only the true class's probability enters (and gets a gradient), as in the contract.
    return -_log(_gather(y_hat, 1, y[:, None]))[:, 0]


def stable_cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    _labels_fit(logits, y)
    # + 0.0 turns torch's -0.0 (a perfect prediction) into the 0.0 feedback shows elsewhere.
    return _cross_entropy(logits, y, reduction="none") + 0.0
