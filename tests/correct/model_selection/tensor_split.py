"""K-fold with ``torch.tensor_split``, which already gives the first n % k folds one more."""

import torch


def get_k_fold_data(k, i, X, y):
    if len(X) != len(y):
        raise ValueError("X and y must have the same number of samples")
    if not 2 <= k <= len(X):
        raise ValueError("need 2 <= k <= n")
    if i < 0 or i >= k:
        raise ValueError("i must be in [0, k)")
    X_folds, y_folds = torch.tensor_split(X, k), torch.tensor_split(y, k)
    X_train = torch.cat(X_folds[:i] + X_folds[i + 1 :])
    y_train = torch.cat(y_folds[:i] + y_folds[i + 1 :])
    return X_train, y_train, X_folds[i], y_folds[i]
