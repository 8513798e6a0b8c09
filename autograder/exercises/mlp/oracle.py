"""Oracles for ``mlp``: ``F.dropout`` and ``torch.nn.init``'s Xavier initialisers.

Bound at load time, so a helper oracle still works while the graded exercise's forbidden
calls are replaced (see :mod:`autograder.exercises.softmax_regression.oracle`).
"""

from __future__ import annotations

import torch
from torch.nn import init
from torch.nn.functional import dropout as _dropout
from torch.nn.init import _calculate_fan_in_and_fan_out as _fans


def dropout_layer(X: torch.Tensor, dropout: float) -> torch.Tensor:
    if not 0 <= dropout <= 1:
        raise ValueError(f"dropout must be a probability in [0, 1], got {dropout}")
    return _dropout(X, dropout, training=True)


def fan_in_and_fan_out(tensor: torch.Tensor) -> tuple[int, int]:
    return _fans(tensor)


def xavier_uniform_(tensor: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
    return init.xavier_uniform_(tensor, gain)


def xavier_normal_(tensor: torch.Tensor, gain: float = 1.0) -> torch.Tensor:
    return init.xavier_normal_(tensor, gain)
