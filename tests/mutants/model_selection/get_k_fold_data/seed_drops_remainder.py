"""The seed's (d2l's) version verbatim: ``fold_size = n // k`` for every fold.

The last ``n % k`` samples are never used (neither for training nor for validation), and
``assert k > 1`` raises AssertionError instead of ValueError.
"""

import torch


def get_k_fold_data(k, i, X, y):
    assert k > 1  # k肯定大于1
    fold_size = X.shape[0] // k
    X_train, y_train = None, None
    for j in range(k):
        # 切片，nep[slice(2,4)] == nep[2:4]
        idx = slice(j * fold_size, (j + 1) * fold_size)
        # 取出当前折
        X_part, y_part = X[idx, :], y[idx]
        if j == i:  # vaildation set
            X_vaild, y_vaild = X_part, y_part
        elif X_train is None:
            # 为空的话就先赋值
            X_train, y_train = X_part, y_part
        else:
            # 非空的话就concat
            X_train = torch.cat([X_train, X_part], 0)
            y_train = torch.cat([y_train, y_part], 0)
    return X_train, y_train, X_vaild, y_vaild
