"""Correct, written differently: get_k_fold_data slices every fold in a Python loop, then
concatenates the others; bad arguments raise ``FoldError``, a subclass of ValueError."""

import torch


class FoldError(ValueError):
    """Invalid arguments for k-fold cross-validation."""


def get_k_fold_data(k, i, X, y):
    if len(X) != len(y):
        raise FoldError(f"len(X) = {len(X)} but len(y) = {len(y)}")
    if not 2 <= k <= len(X):
        raise FoldError(f"k must be between 2 and the {len(X)} samples, got {k}")
    if not 0 <= i < k:
        raise FoldError(f"i must be a fold number in [0, {k}), got {i}")
    folds = []
    start = 0
    for j in range(k):
        length = len(X) // k + (1 if j < len(X) % k else 0)
        folds.append((X[start : start + length], y[start : start + length]))
        start += length
    X_valid, y_valid = folds[i]
    others = folds[:i] + folds[i + 1 :]
    X_train = torch.cat([part for part, _ in others], dim=0)
    y_train = torch.cat([part for _, part in others], dim=0)
    return X_train, y_train, X_valid, y_valid
