"""Assignment 6: training — the loop that every model in the course is trained with.

d2l's ``train_epoch_ch3`` / ``evaluate_accuracy`` / ``train_ch3``, written once, properly,
for any ``nn.Module``, any loss that returns the batch mean (``nn.CrossEntropyLoss()``),
any ``torch.optim.Optimizer`` and any device.  One step of training is always the same
five steps, in this order:

1. forward: the net's predictions for the batch;
2. the batch's mean loss, of the predictions against the labels (d2l calls it ``l``);
3. clear the gradients of the previous batch (the optimizer's ``zero_grad``);
4. backpropagate from the loss (its ``backward``): fills ``p.grad`` for every parameter;
5. the optimizer's ``step``: for plain SGD, every ``p`` moves by ``-lr * p.grad``.

The course notes show what goes wrong when one line is off:

* no ``optimizer.zero_grad()``: ``backward`` *adds* into ``p.grad``, so every step uses
  the sum of all gradients so far;
* ``loss.backward`` without parentheses names the method and does nothing: no gradients,
  the parameters never move (no error, no warning);
* ``optimizer.step()`` before ``backward()`` steps with the previous batch's gradients;
* evaluating without ``net.eval()`` keeps dropout switched on, and without
  ``torch.no_grad()`` builds a graph nobody will use;
* ``torch.device('cida:0')`` is a typo PyTorch refuses; and a batch that stays on the CPU
  while the net is on the GPU fails in the first layer.

Data to try it on (offline; see ``autograder/data.py``)::

    from torch import nn
    from autograder.data import load_data_digits  # or load_data_fashion_mnist(256, "../data")

    torch.manual_seed(0)
    train_iter, test_iter = load_data_digits(batch_size=32)
    net = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))      # softmax regression
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    history = train(net, train_iter, test_iter, nn.CrossEntropyLoss(), 5, optimizer)
    history[-1]  # {"epoch": 5, "train_loss": 0.189..., "train_acc": 0.961..., "test_acc": 0.958...}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import nn

Batches = Iterable[tuple[torch.Tensor, torch.Tensor]]


def train_epoch(
    net: nn.Module,
    train_iter: Batches,
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    device: torch.device | str | None = None,
) -> tuple[float, float]:
    """Train ``net`` for one pass over ``train_iter``; return ``(mean_loss, accuracy)``.

    1. ``device=None`` means the device of the net's first parameter
       (``next(net.parameters()).device``).  The net itself is not moved: that is the
       caller's job (``net.to(device)``) before the optimizer is built.
    2. ``net.train()`` first: dropout (and batch norm) behave as in training.
    3. For every batch ``(X, y)``: move both to the device (``X = X.to(device)``: ``.to``
       returns a new tensor, it does not move ``X`` in place), then the five steps of the
       module docstring: forward, loss, ``optimizer.zero_grad()``, ``batch_loss.backward()``,
       ``optimizer.step()``.
    4. ``loss`` returns the *mean* over the batch, so the batch contributes
       ``batch_loss.item() * len(y)`` to the epoch's total loss; count the correct ``argmax``
       predictions with ``(y_hat.argmax(dim=1) == y).sum()``.  Divide both totals by the
       number of examples, not by the number of batches: a smaller last batch must count
       by its size.  Accumulate Python numbers (``.item()``, ``int(...)``), not tensors: a
       running tensor sum keeps every batch's graph alive.

    Raise ``ValueError`` if ``train_iter`` yields no examples (the mean of nothing).
    """
    raise NotImplementedError


def evaluate_accuracy(
    net: nn.Module, data_iter: Batches, device: torch.device | str | None = None
) -> float:
    """The fraction of examples of ``data_iter`` whose ``argmax`` prediction is right.

    ``net.eval()`` first (dropout off), and the whole pass inside ``with torch.no_grad():``
    (no graph is built: faster, less memory).  ``device=None`` means the net's device; move
    every batch there.  Count correct predictions and examples over all batches and divide
    once at the end (averaging per-batch accuracies over-weights a smaller last batch).
    Return a Python float.  Raise ``ValueError`` if ``data_iter`` yields no examples.

    >>> evaluate_accuracy(net, test_iter)  # the module docstring's net, after training
    0.9583333333333334
    """
    raise NotImplementedError


def train(
    net: nn.Module,
    train_iter: Batches,
    test_iter: Batches,
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    num_epochs: int,
    optimizer: torch.optim.Optimizer,
    device: torch.device | str | None = None,
) -> list[dict[str, float]]:
    """Train for ``num_epochs`` epochs; return one dict per epoch.

    Each epoch: ``train_epoch`` on ``train_iter``, then ``evaluate_accuracy`` on
    ``test_iter`` (the *test* iterator, after that epoch's training), both with the given
    ``device``.  Record ``{"epoch": e, "train_loss": ..., "train_acc": ..., "test_acc":
    ...}`` with ``e`` counting from 1.  ``num_epochs == 0`` gives ``[]``.
    """
    raise NotImplementedError
