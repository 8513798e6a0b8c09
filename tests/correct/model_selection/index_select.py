"""K-fold with explicit index tensors built on the input's device, then ``index_select``."""

import torch


def get_k_fold_data(k, i, X, y):
    n = X.shape[0]
    if y.shape[0] != n or k < 2 or k > n or i not in range(k):
        raise ValueError(f"invalid k-fold arguments: k={k}, i={i}, n={n}, len(y)={len(y)}")
    bounds = [0]
    for j in range(k):
        bounds.append(bounds[-1] + n // k + (1 if j < n % k else 0))
    start, stop = bounds[i], bounds[i + 1]
    valid = torch.arange(start, stop, device=X.device)
    train = torch.cat(
        [torch.arange(0, start, device=X.device), torch.arange(stop, n, device=X.device)]
    )
    return (
        X.index_select(0, train),
        y.index_select(0, train.to(y.device)),
        X.index_select(0, valid),
        y.index_select(0, valid.to(y.device)),
    )
