"""Assignment 4: model selection — K-fold cross-validation.

With little data (d2l's Kaggle house prices) we cannot afford to hold out a fixed
validation set.  K-fold cross-validation cuts the samples into ``k`` folds, trains ``k``
times, each time validating on a different fold and training on the other ``k - 1``, and
averages the ``k`` validation errors.  Every sample is used for validation exactly once.
"""

from __future__ import annotations

import torch


def get_k_fold_data(
    k: int, i: int, X: torch.Tensor, y: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return ``(X_train, y_train, X_valid, y_valid)`` for fold ``i`` of ``k``.

    The ``n = len(X)`` samples (rows along the first dimension) are cut into ``k``
    contiguous folds, in order, like scikit-learn's ``KFold(k, shuffle=False)``:

    * the first ``n % k`` folds have ``n // k + 1`` samples, the others ``n // k``, so
      **every sample belongs to exactly one fold**;
    * fold ``i`` (0-based) is the validation set;
    * the training set is the other folds concatenated, in their original order.

    With ``n = 10`` and ``k = 4`` the folds hold samples ``0-2``, ``3-5``, ``6-7`` and
    ``8-9``::

        >>> X, y = torch.arange(10.0).reshape(10, 1), torch.arange(10)
        >>> X_train, y_train, X_valid, y_valid = get_k_fold_data(4, 1, X, y)
        >>> y_valid, y_train
        (tensor([3, 4, 5]), tensor([0, 1, 2, 6, 7, 8, 9]))

    The course notes (and d2l) use ``fold_size = n // k`` for every fold: with ``n = 10`` and
    ``k = 4`` the folds are ``0-1``, ``2-3``, ``4-5``, ``6-7`` and samples 8 and 9 are
    silently never used, neither for training nor for validation.  Don't drop them.

    ``X`` may have any number of feature dimensions (``(n,)``, ``(n, d)``, images
    ``(n, c, h, w)``): slice the first dimension only (``X[a:b]``, not ``X[a:b, :]``).
    Keep the inputs' device (slicing and ``torch.cat`` do).  Raise ``ValueError`` if
    ``k < 2``, ``k > n``, ``i`` is outside ``[0, k)`` or ``len(X) != len(y)``.
    """
    raise NotImplementedError
