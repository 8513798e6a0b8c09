"""Oracle for ``model_selection``: scikit-learn's ``KFold`` (no shuffling) picks the rows."""

from __future__ import annotations

import torch
from sklearn.model_selection import KFold


def get_k_fold_data(
    k: int, i: int, X: torch.Tensor, y: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    if not 0 <= i < k:
        raise ValueError(f"fold index i={i} is outside [0, {k})")
    folds = list(KFold(n_splits=k).split(range(len(X))))  # ValueError for k < 2 or k > n
    train, valid = (torch.as_tensor(rows, dtype=torch.long) for rows in folds[i])
    return (
        X.index_select(0, train.to(X.device)),
        y.index_select(0, train.to(y.device)),
        X.index_select(0, valid.to(X.device)),
        y.index_select(0, valid.to(y.device)),
    )
