"""Rounds the fold size up: ``fold_size = math.ceil(n / k)``.

The first folds get one sample too many and the last ones too few (or none at all:
n = 5, k = 4 gives folds of 2, 2, 1, 0 samples).
"""

import math

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    if k < 2 or k > n or not 0 <= i < k or len(y) != n:
        raise ValueError("bad arguments")
    fold_size = math.ceil(n / k)
    start, stop = i * fold_size, min((i + 1) * fold_size, n)
    X_train = torch.cat([X[:start], X[stop:]])
    y_train = torch.cat([y[:start], y[stop:]])
    return X_train, y_train, X[start:stop], y[start:stop]
