"""Splits X right but takes the labels of the training set with the seed's fold size."""

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    if k < 2 or k > n or not 0 <= i < k or len(y) != n:
        raise ValueError("bad arguments")
    size, extra = divmod(n, k)
    start = i * size + min(i, extra)
    stop = start + size + (1 if i < extra else 0)
    X_train = torch.cat([X[:start], X[stop:]])
    y_train = torch.cat([y[: i * size], y[(i + 1) * size :]])
    return X_train, y_train, X[start:stop], y[start:stop]
