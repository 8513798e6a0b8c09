"""Assignment 8: regularisation and evaluation — ReLU, weight decay, accuracy, log RMSE.

Weight decay (权重衰减, d2l 4.5) adds ``lambd * l2_penalty(w)`` to the loss, so training
pulls every weight towards 0 and a model with many features and few examples overfits
less.  To tell whether a model is any good we measure it: the number of correct
predictions of a classifier (d2l 3.6), and the house-price competition's error on the log
scale (d2l 4.10), where an error of 10% costs the same for a cheap house and a dear one.
"""

from __future__ import annotations

import torch
from torch import nn


def relu(X: torch.Tensor) -> torch.Tensor:
    """The rectified linear unit: ``max(x, 0)`` for every element of ``X``.

    >>> relu(torch.tensor([-2.0, 0.0, 3.0]))
    tensor([0., 0., 3.])

    The course notes' recipe compares ``X`` with a tensor of zeros of the same shape, dtype and
    device (``torch.zeros_like(X)``) elementwise with ``torch.max``.  Keep ``X``'s dtype
    and device; the gradient is 1 where ``x > 0`` and 0 where ``x < 0``.  Do not modify
    ``X`` (``X[X < 0] = 0`` writes into the caller's tensor).  Do not use ``torch.relu``,
    ``F.relu``, ``nn.ReLU`` or their relatives.
    """
    raise NotImplementedError


def l2_penalty(w: torch.Tensor) -> torch.Tensor:
    """The L2 penalty of weight decay: ``sum(w**2) / 2``, a 0-dim tensor.

    Training minimises ``loss + lambd * l2_penalty(w)``.  The ``/ 2`` makes the
    gradient simply ``w``: every step then shrinks ``w`` by ``lr * lambd * w`` (hence
    "weight decay")::

        >>> l2_penalty(torch.tensor([3.0, 4.0]))
        tensor(12.5000)

    Differentiable in ``w`` (no ``.item()``: the penalty is part of the loss).
    """
    raise NotImplementedError


def l1_penalty(w: torch.Tensor) -> torch.Tensor:
    """The L1 penalty: ``sum(|w|)``, a 0-dim tensor.

    Its gradient is ``sign(w)`` (0 where ``w == 0``): a constant pull towards 0 that
    drives small weights to exactly 0, where the L2 penalty's pull fades as the weight
    shrinks.

    >>> l1_penalty(torch.tensor([3.0, -4.0]))
    tensor(7.)

    Differentiable in ``w``.  ``sqrt(w**2)`` is ``|w|`` too, but its gradient at 0 is
    ``nan``: use ``torch.abs``.
    """
    raise NotImplementedError


def accuracy(y_hat: torch.Tensor, y: torch.Tensor) -> float:
    """The number of correct predictions, as a Python float (d2l's ``accuracy``).

    If ``y_hat`` is a matrix with more than one column, each row holds the scores of the
    classes and the prediction is the index of the largest (``argmax`` along dim 1);
    otherwise ``y_hat`` already holds predicted labels.  Compare with ``y`` after casting
    the predictions to ``y``'s dtype, and count the matches.

    >>> accuracy(torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]]), torch.tensor([0, 2]))
    1.0

    It is a *count*, not a fraction: ``evaluate_accuracy`` adds the counts of all batches
    and divides by the number of examples at the end.
    """
    raise NotImplementedError


def log_rmse(net: nn.Module, features: torch.Tensor, labels: torch.Tensor) -> float:
    """The house-price competition's error: the RMSE of the logarithms, a Python float.

    ``sqrt(mean((log(pred) - log(labels))**2))`` with ``pred = net(features)`` clamped to
    ``[1, inf)`` first: a prediction below 1 (or negative) would make the logarithm
    ``-inf`` (or ``nan``), and no house costs less than 1.  Comparing logarithms measures
    the *relative* error ``pred / label``.

    Evaluation only: compute under ``torch.no_grad()``, so no graph is recorded.
    ``labels`` has ``net``'s output shape (one price per row).  Raise ``ValueError`` if
    a label is not positive (its logarithm is undefined).
    """
    raise NotImplementedError
