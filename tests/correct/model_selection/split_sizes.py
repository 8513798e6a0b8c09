"""Correct, written differently: get_k_fold_data computes the k fold sizes as a list and
cuts X and y with torch.split(tensor, sizes)."""

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    if n != len(y):
        raise ValueError("X and y need the same number of samples")
    if k < 2:
        raise ValueError("at least 2 folds are needed")
    if k > n:
        raise ValueError(f"{n} samples cannot fill {k} folds")
    if i < 0 or i >= k:
        raise ValueError(f"i={i} must satisfy 0 <= i < k={k}")
    sizes = [n // k + 1 if j < n % k else n // k for j in range(k)]
    X_parts = list(torch.split(X, sizes))
    y_parts = list(torch.split(y, sizes))
    X_valid, y_valid = X_parts.pop(i), y_parts.pop(i)
    return torch.cat(X_parts), torch.cat(y_parts), X_valid, y_valid
