"""Returns ``(X_train, X_valid, y_train, y_valid)``, scikit-learn's train_test_split order,
instead of ``(X_train, y_train, X_valid, y_valid)``."""

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    if k < 2 or k > n or not 0 <= i < k or len(y) != n:
        raise ValueError("bad arguments")
    size, extra = divmod(n, k)
    start = i * size + min(i, extra)
    stop = start + size + (1 if i < extra else 0)
    X_train = torch.cat([X[:start], X[stop:]])
    y_train = torch.cat([y[:start], y[stop:]])
    return X_train, X[start:stop], y_train, y[start:stop]
