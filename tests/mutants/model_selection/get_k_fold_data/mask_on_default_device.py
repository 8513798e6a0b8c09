"""Selects the folds with a boolean mask created without ``device=``.

The mask lands on the default device (the CPU): with inputs on a GPU, ``X[mask]`` fails.
"""

import torch


def get_k_fold_data(k, i, X, y):
    n = len(X)
    if k < 2 or k > n or not 0 <= i < k or len(y) != n:
        raise ValueError("bad arguments")
    size, extra = divmod(n, k)
    start = i * size + min(i, extra)
    stop = start + size + (1 if i < extra else 0)
    valid = torch.zeros(n, dtype=torch.bool)
    valid[start:stop] = True
    return X[~valid], y[~valid], X[valid], y[valid]
