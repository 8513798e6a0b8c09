"""Every sample is used, but the last fold takes the whole remainder.

``fold_size = n // k`` and the last fold is ``X[(k - 1) * fold_size:]``: a partition, but
not KFold's (n = 10, k = 4 gives sizes 2, 2, 2, 4 instead of 3, 3, 2, 2).
"""

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    if k < 2 or k > n or not 0 <= i < k or len(y) != n:
        raise ValueError("bad arguments")
    fold_size = n // k
    start = i * fold_size
    stop = n if i == k - 1 else start + fold_size
    X_train = torch.cat([X[:start], X[stop:]])
    y_train = torch.cat([y[:start], y[stop:]])
    return X_train, y_train, X[start:stop], y[start:stop]
