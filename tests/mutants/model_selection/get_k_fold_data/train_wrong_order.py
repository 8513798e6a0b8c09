"""Right folds, but the training set puts the folds after the validation fold first."""

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    if k < 2 or k > n or not 0 <= i < k or len(y) != n:
        raise ValueError("bad arguments")
    size, extra = divmod(n, k)
    start = i * size + min(i, extra)
    stop = start + size + (1 if i < extra else 0)
    X_train = torch.cat([X[stop:], X[:start]])
    y_train = torch.cat([y[stop:], y[:start]])
    return X_train, y_train, X[start:stop], y[start:stop]
