"""Assignment 2: softmax regression — softmax and cross-entropy, by hand.

Softmax regression turns a row of scores (logits) into probabilities with ``softmax`` and
measures how wrong they are with the cross-entropy loss.  The course notes write both in a few
lines (d2l's "softmax 回归从零开始"); here we also make them numerically stable, because
``exp`` overflows long before real logits stop being real.
"""

from __future__ import annotations

import torch


def softmax(X: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Return ``softmax(X)`` along ``dim``: ``exp(X) / exp(X).sum(dim)``, computed stably.

    Every slice along ``dim`` becomes a probability distribution: non-negative entries that
    sum to 1.  The course notes' version::

        X_exp = torch.exp(X)
        return X_exp / X_exp.sum(1, keepdim=True)

    is right on paper but breaks in two ways:

    1. ``exp`` overflows: ``torch.exp(torch.tensor(100.))`` is ``inf`` in float32 (the limit
       is about 88.7; 709.8 in float64), and ``inf / inf`` is ``nan``.  The fix (the course notes'
       "softmax改进"): softmax is *shift invariant*, ``softmax(X - c) == softmax(X)`` for any
       constant ``c`` in the slice, so subtract the slice's maximum first.  Then every
       exponent is ``<= 0``, the largest is exactly ``exp(0) = 1``, and nothing overflows.
    2. It always sums over dimension 1.  Use ``dim`` for both the max and the sum, with
       ``keepdim=True`` so that the result broadcasts back against ``X``.

    An entry of ``-inf`` (a masked-out class) gets probability exactly 0, since
    ``exp(-inf) = 0``.

    >>> softmax(torch.tensor([[1.0, 2.0, 3.0], [1000.0, 1000.0, -float("inf")]]))
    tensor([[0.0900, 0.2447, 0.6652],
            [0.5000, 0.5000, 0.0000]])

    Keep ``X``'s dtype and device, do not modify ``X`` (no ``X -= ...``: that writes into
    the caller's tensor), and stay differentiable.  Do not use ``torch.softmax``,
    ``F.softmax``, ``nn.Softmax``, ``log_softmax`` or their relatives.
    """
    ### BEGIN SOLUTION
    X_max = X.amax(dim=dim, keepdim=True)  # the shift: every exponent becomes <= 0
    X_exp = torch.exp(X - X_max)
    partition = X_exp.sum(dim=dim, keepdim=True)
    return X_exp / partition
    ### END SOLUTION


def cross_entropy(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the per-example cross-entropy loss ``-log(y_hat[i, y[i]])``.

    ``y_hat`` is an ``(N, C)`` matrix of predicted probabilities (one row per example, one
    column per class) and ``y`` the ``(N,)`` vector of true labels (int64, in ``[0, C)``).
    Pick, in every row ``i``, the probability of the true class ``y[i]`` — the course notes'
    indexing trick ``y_hat[[0, 1], [0, 2]]`` pairs row ``i`` with column ``y[i]`` — and
    take ``-log``.

    >>> y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    >>> cross_entropy(y_hat, torch.tensor([0, 2]))
    tensor([2.3026, 0.6931])

    Return one loss per example, shape ``(N,)`` (the training loop takes the mean), not
    their mean and not the ``(N, N)`` matrix ``y_hat[:, y]``.  Raise ``ValueError`` if
    ``y_hat`` is not 2-D or ``len(y) != len(y_hat)``.  Stay differentiable in ``y_hat``,
    keep its dtype and device (index with ``torch.arange(N, device=y_hat.device)`` or a
    ``range``), and do not modify the inputs.  Do not use ``F.cross_entropy``,
    ``F.nll_loss``, ``nn.CrossEntropyLoss`` or ``nn.NLLLoss``.
    """
    ### BEGIN SOLUTION
    if y_hat.dim() != 2:
        raise ValueError(f"y_hat must be an (N, C) matrix, got shape {tuple(y_hat.shape)}")
    if y.dim() != 1 or len(y) != len(y_hat):
        raise ValueError(f"y must be a vector of {len(y_hat)} labels, got shape {tuple(y.shape)}")
    rows = torch.arange(len(y_hat), device=y_hat.device)
    return -torch.log(y_hat[rows, y])
    ### END SOLUTION


def stable_cross_entropy(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return ``F.cross_entropy(logits, y, reduction="none")``, with the log-sum-exp trick.

    Taking ``softmax`` first and ``-log`` afterwards fails for confident predictions: the
    probability of a wrong class underflows to 0 and ``-log(0)`` is ``inf``.  Work with
    logits instead (the course notes' "LogSumExp技巧").  For row ``i``::

        loss_i = -log(softmax(o)_y) = log(sum_k exp(o_k)) - o_y

    and with ``m = max_k o_k``::

        log(sum_k exp(o_k)) = m + log(sum_k exp(o_k - m))

    where every ``exp(o_k - m) <= 1`` and one of them is exactly 1, so the sum lies in
    ``[1, C]``: no overflow, no ``log(0)``.

    >>> stable_cross_entropy(torch.tensor([[1e4, 0.0], [0.0, 0.0]]), torch.tensor([1, 0]))
    tensor([1.0000e+04, 6.9315e-01])

    ``logits`` is ``(N, C)`` and ``y`` holds ``N`` int64 labels; raise ``ValueError`` if
    ``logits`` is not 2-D or ``len(y) != len(logits)``.  Return the ``(N,)`` vector of
    losses, stay differentiable, keep dtype and device, do not modify the inputs.  Do not
    use ``torch.logsumexp``, the softmax functions or the library's cross-entropy losses.
    """
    ### BEGIN SOLUTION
    if logits.dim() != 2:
        raise ValueError(f"logits must be an (N, C) matrix, got shape {tuple(logits.shape)}")
    if y.dim() != 1 or len(y) != len(logits):
        raise ValueError(f"y must be a vector of {len(logits)} labels, got shape {tuple(y.shape)}")
    m = logits.amax(dim=1, keepdim=True)
    log_partition = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    rows = torch.arange(len(logits), device=logits.device)
    return log_partition - logits[rows, y]
    ### END SOLUTION
