"""Right folds, but the argument checks are asserts (AssertionError, not ValueError)."""

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    assert 2 <= k <= n, "bad k"
    assert 0 <= i < k, "bad i"
    assert len(y) == n, "X and y differ in length"
    size, extra = divmod(n, k)
    start = i * size + min(i, extra)
    stop = start + size + (1 if i < extra else 0)
    X_train = torch.cat([X[:start], X[stop:]])
    y_train = torch.cat([y[:start], y[stop:]])
    return X_train, y_train, X[start:stop], y[start:stop]
