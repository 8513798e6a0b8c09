"""Correct, written differently: get_k_fold_data labels every sample with its fold number
(repeat_interleave of the fold sizes) and selects rows with a boolean mask, ``X[mask]``
and ``X[~mask]`` (data-dependent: the result's length depends on the mask's values)."""

import torch


def get_k_fold_data(k, i, X, y):
    n = X.shape[0]
    if len(y) != n:
        raise ValueError(f"{n} samples in X but {len(y)} labels in y")
    if k < 2 or k > n:
        raise ValueError(f"k={k} folds is impossible for {n} samples (need 2 <= k <= n)")
    if i < 0 or i >= k:
        raise ValueError(f"fold i={i} does not exist among {k} folds")
    base, remainder = divmod(n, k)
    sizes = torch.tensor([base + 1] * remainder + [base] * (k - remainder), device=X.device)
    fold_of_sample = torch.repeat_interleave(torch.arange(k, device=X.device), sizes)
    in_valid = fold_of_sample == i
    x_mask, y_mask = in_valid.to(X.device), in_valid.to(y.device)
    return X[~x_mask], y[~y_mask], X[x_mask], y[y_mask]
