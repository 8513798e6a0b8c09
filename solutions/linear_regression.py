"""Assignment 7: linear regression from scratch — data, model, loss and minibatch SGD.

d2l 3.2 builds the whole training pipeline by hand before using any framework: an
artificial data set with known parameters (``w = [2, -3.4]``, ``b = 4.2``), an iterator
over random minibatches, the model ``Xw + b``, the squared loss and minibatch stochastic
gradient descent.  Trained together for a few epochs they recover ``w`` and ``b``.
"""

from __future__ import annotations

import random  # noqa: F401 - random.shuffle is one way to shuffle
from collections.abc import Iterator

import torch


def synthetic_data(
    w: torch.Tensor, b: float | torch.Tensor, num_examples: int, noise: float = 0.01
) -> tuple[torch.Tensor, torch.Tensor]:
    """Generate ``y = Xw + b + eps``: a data set whose true parameters we know.

    ``X`` has shape ``(num_examples, len(w))`` with every entry drawn from ``N(0, 1)``;
    ``eps`` is noise drawn from ``N(0, noise**2)`` (``noise`` is a standard deviation).
    ``y`` is returned as a column, shape ``(num_examples, 1)`` (d2l's
    ``y.reshape((-1, 1))``)::

        >>> torch.manual_seed(0)
        <torch._C.Generator object at ...>
        >>> X, y = synthetic_data(torch.tensor([2.0, -3.4]), 4.2, 1000)
        >>> X.shape, y.shape
        (torch.Size([1000, 2]), torch.Size([1000, 1]))

    Create ``X`` and the noise on ``w``'s device with ``w``'s floating dtype
    (``torch.normal(0.0, 1.0, size, device=w.device, dtype=w.dtype)``), so that the data
    set is born on the GPU when ``w`` is there.  Draw from torch's global generator and
    never reseed it (the caller's ``torch.manual_seed`` decides the data).  Raise
    ``ValueError`` if ``w`` is not 1-D or ``num_examples < 0``.
    """
    ### BEGIN SOLUTION
    if w.dim() != 1:
        raise ValueError(f"w must be a vector (1-D), got shape {tuple(w.shape)}")
    if num_examples < 0:
        raise ValueError(f"num_examples must be >= 0, got {num_examples}")
    dtype = w.dtype if w.is_floating_point() else torch.get_default_dtype()
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), device=w.device, dtype=dtype)
    y = torch.matmul(X, w.to(dtype)) + b
    y = y + torch.normal(0.0, noise, y.shape, device=w.device, dtype=dtype)
    return X, y.reshape((-1, 1))
    ### END SOLUTION


def linreg(X: torch.Tensor, w: torch.Tensor, b: float | torch.Tensor) -> torch.Tensor:
    """The linear regression model: ``X @ w + b``.

    ``X`` has shape ``(n, d)``; ``w`` has shape ``(d,)`` (the result has shape ``(n,)``)
    or ``(d, 1)`` (the result has shape ``(n, 1)``); ``b`` is a number or a tensor with one
    element, added to every row by broadcasting.  The result must be differentiable in
    ``w`` and ``b``: training computes their gradients through it.

    >>> linreg(torch.tensor([[1.0, 2.0]]), torch.tensor([[2.0], [-3.4]]), torch.tensor([4.2]))
    tensor([[-0.6000]])

    Do not use ``F.linear``, ``nn.Linear`` or ``torch.addmm``.
    """
    ### BEGIN SOLUTION
    return torch.matmul(X, w) + b
    ### END SOLUTION


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The squared loss of every example: ``(y_hat - y)**2 / 2``, elementwise.

    The result has ``y_hat``'s shape: one loss per example, not their mean (the training
    loop sums them and ``sgd`` divides by the batch size).  ``y`` may come in another
    shape with the same number of elements (labels ``(n,)`` against predictions
    ``(n, 1)``): reshape it to ``y_hat.shape`` first.  Without that, ``(n, 1) - (n,)``
    broadcasts to an ``(n, n)`` matrix of every prediction minus every label — no error,
    just a wrong loss.

    >>> squared_loss(torch.tensor([[1.0], [3.0]]), torch.tensor([2.0, 0.0]))
    tensor([[0.5000],
            [4.5000]])

    Raise ``ValueError`` if the element counts differ.  Do not use ``F.mse_loss`` or
    ``nn.MSELoss``.
    """
    ### BEGIN SOLUTION
    if y_hat.numel() != y.numel():
        raise ValueError(
            f"y_hat has {y_hat.numel()} elements but y has {y.numel()}: one label per prediction"
        )
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    ### END SOLUTION


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    """One step of minibatch stochastic gradient descent, in place.

    Every parameter moves by ``-lr * param.grad / batch_size``, then its gradient is set
    to zero.  The gradient is of the *summed* loss of the batch, so dividing by
    ``batch_size`` makes the step the batch mean's.

    - Update inside ``with torch.no_grad():``: the update is not part of the model, and
      autograd refuses in-place changes to a leaf that requires grad.
    - Update the parameter itself (``param -= ...`` or ``param.sub_(...)``): ``param =
      param - ...`` only rebinds a local name and the model never changes.
    - Zero the gradient afterwards (``param.grad.zero_()``): ``backward`` *adds* to
      ``.grad``, so the next batch would otherwise step with every old gradient too.
    - Skip a parameter whose ``grad`` is ``None`` (nothing has reached it yet).

    Returns nothing.  Do not use ``torch.optim``.
    """
    ### BEGIN SOLUTION
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                continue
            param -= lr * param.grad / batch_size
            param.grad.zero_()
    ### END SOLUTION


def data_iter(
    batch_size: int, features: torch.Tensor, labels: torch.Tensor
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield ``(X, y)`` minibatches of the data set in a random order.

    Shuffle the example indices (``torch.randperm`` or ``random.shuffle``), then cut them
    into batches of ``batch_size``; the last batch holds what is left (it may be smaller).
    Every example appears exactly once per pass, and rows of ``features`` and ``labels``
    stay paired.  Each pass over a new ``data_iter(...)`` draws a new order.

    >>> X, y = torch.arange(10.0).reshape(5, 2), torch.arange(5.0)
    >>> [len(yb) for _, yb in data_iter(2, X, y)]
    [2, 2, 1]

    Index the inputs with index tensors on their device (``torch.randperm(n,
    device=features.device)``) so the batches stay where the data is.  Raise
    ``ValueError`` if ``batch_size < 1`` or the lengths of ``features`` and ``labels``
    differ.  Do not use ``torch.utils.data.DataLoader``.
    """
    ### BEGIN SOLUTION
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if len(features) != len(labels):
        raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
    num_examples = len(features)
    indices = torch.randperm(num_examples, device=features.device)
    for i in range(0, num_examples, batch_size):
        batch_indices = indices[i : i + batch_size]
        yield features[batch_indices], labels[batch_indices]
    ### END SOLUTION
