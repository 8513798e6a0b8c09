"""Assignment 12: optimisation — momentum, learning-rate decay, early stopping, gradient clipping.

Plain gradient descent ``w = w - lr * grad`` zigzags across narrow valleys and crawls over
plateaus.  The PyTorch course's §9.4–9.5 adds the tools every training loop uses: momentum
(动量, a velocity that remembers past gradients), learning-rate decay (学习率衰减, large
steps first, small steps later), early stopping (提前停止, stop when the validation metric
no longer improves) and, from d2l's RNN chapter, gradient clipping (梯度裁剪, against
exploding gradients).  Each is written here by hand and graded by its exact effect against
PyTorch's own ``torch.optim.SGD``, ``StepLR`` and ``nn.utils.clip_grad_norm_``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch


def sgd_momentum_step(
    params: Sequence[torch.Tensor],
    velocities: Sequence[torch.Tensor],
    lr: float,
    momentum: float = 0.9,
    weight_decay: float = 0.0,
) -> None:
    """One step of SGD with momentum, exactly as ``torch.optim.SGD`` takes it.

    The course notes write momentum with a velocity ``z`` that sums up past gradients:

        z(k+1) = beta * z(k) + grad f(w(k))
        w(k+1) = w(k) - lr * z(k+1)

    For each parameter ``p`` whose ``p.grad`` is not ``None`` (skip the others), with
    ``beta = momentum`` and ``alpha = lr``:

    - the gradient with weight decay, ``grad f(w) + weight_decay * w`` (weight decay: the
      gradient of the L2 penalty ``weight_decay * ||w||^2 / 2``);
    - the velocity ``z(k+1) = beta * z(k) + that gradient``, written **in place** into the
      matching velocity tensor (its ``mul_`` and ``add_``): the caller keeps those tensors
      from one step to the next, zeros before the first step;
    - the parameter ``w(k+1) = w(k) - alpha * z(k+1)``, also in place.

    Do it under ``torch.no_grad()``: the update is not part of any loss, and an in-place
    change of a leaf that requires grad is refused with gradient recording on.  Each
    parameter stays the same leaf tensor (the model still holds it).  Do not clear the
    gradients: that is the training loop's ``zero_grad``.

    Another form is common in notes: ``v = momentum * v - lr * g`` and ``p += v``.  It keeps
    ``lr`` inside the velocity, so it agrees with PyTorch only while the learning rate never
    changes; with a learning-rate schedule the old velocity carries the old rate.

    ``params`` and ``velocities`` are lists (or tuples) of the same length; raise
    ``ValueError`` if the lengths differ.  Do not use ``torch.optim``.
    """
    ### BEGIN SOLUTION
    if len(params) != len(velocities):
        raise ValueError(
            f"{len(params)} parameters but {len(velocities)} velocities: one velocity each"
        )
    with torch.no_grad():
        for p, v in zip(params, velocities):
            if p.grad is None:
                continue
            g = p.grad + weight_decay * p
            v.mul_(momentum).add_(g)
            p -= lr * v
    ### END SOLUTION


def step_lr(base_lr: float, epoch: int, step_size: int, gamma: float = 0.1) -> float:
    """The learning rate of epoch ``epoch`` (counted from 0) under step decay.

    Every ``step_size`` epochs the rate is multiplied by ``gamma``:
    ``base_lr * gamma ** (epoch // step_size)``, as ``StepLR(optimizer, step_size, gamma)``
    gives when ``scheduler.step()`` is called once at the *end* of every epoch.  With
    ``step_size=30, gamma=0.5``:

    >>> [step_lr(1.0, epoch, 30, gamma=0.5) for epoch in (0, 29, 30, 59, 60)]
    [1.0, 1.0, 0.5, 0.5, 0.25]

    Epoch 30 is the first of the second range, epoch 60 the first of the third: ranges
    written as ``30 <= epoch <= 60`` and ``60 <= epoch <= 90`` overlap at 60.  A scheduler
    stepped at the start of each epoch, before training, decays one epoch too early.

    Always return a Python ``float``.  Raise ``ValueError`` if ``step_size < 1`` or
    ``epoch < 0``.  Do not use ``torch.optim.lr_scheduler``.
    """
    ### BEGIN SOLUTION
    if step_size < 1:
        raise ValueError(f"step_size must be at least 1, got {step_size}")
    if epoch < 0:
        raise ValueError(f"epochs count from 0, got {epoch}")
    return float(base_lr * gamma ** (epoch // step_size))
    ### END SOLUTION


class EarlyStopping:
    """Stop training when the validation metric has stopped improving.

    ``EarlyStopping(patience, mode="min", min_delta=0.0)``; call ``step(metric)`` once per
    epoch with the epoch's validation metric.

    - A call **improves** when the metric beats ``best`` by more than ``min_delta``:
      ``metric < best - min_delta`` for ``"min"`` (a loss), ``metric > best + min_delta``
      for ``"max"`` (an accuracy).  The first call always improves.  A metric exactly
      ``min_delta`` better is not an improvement.
    - Only an improving call changes ``best`` (to the metric) and ``best_epoch`` (to the
      call's index, counted from 0); ``best`` is ``None`` before the first call.
    - ``step`` returns ``True`` (stop) on a call that does not improve and makes
      ``max(patience, 1)`` such calls in a row, and keeps returning ``True`` while no call
      improves (the convention of Keras and Lightning); an improving call returns ``False``
      and starts the count again.

    >>> stopper = EarlyStopping(patience=2)
    >>> [stopper.step(loss) for loss in [1.0, 0.8, 0.9, 0.8, 0.7]]
    [False, False, False, True, False]

    Raise ``ValueError`` if ``patience < 0``, ``min_delta < 0`` or ``mode`` is neither
    ``"min"`` nor ``"max"``.
    """

    def __init__(self, patience: int, mode: str = "min", min_delta: float = 0.0) -> None:
        ### BEGIN SOLUTION
        if patience < 0:
            raise ValueError(f"patience must not be negative, got {patience}")
        if min_delta < 0:
            raise ValueError(f"min_delta must not be negative, got {min_delta}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.patience = patience
        self.mode = mode
        self.min_delta = min_delta
        self.best = None
        self.best_epoch = None
        self.epoch = -1  # the index of the last call
        self.calls_without_improvement = 0
        ### END SOLUTION

    def step(self, metric: float) -> bool:
        ### BEGIN SOLUTION
        self.epoch += 1
        if self.best is None:
            improved = True
        elif self.mode == "min":
            improved = metric < self.best - self.min_delta
        else:
            improved = metric > self.best + self.min_delta
        if improved:
            self.best = metric
            self.best_epoch = self.epoch
            self.calls_without_improvement = 0
            return False
        self.calls_without_improvement += 1
        return self.calls_without_improvement >= max(self.patience, 1)
        ### END SOLUTION


def clip_grad_norm(params: Iterable[torch.Tensor], max_norm: float) -> float:
    """Clip the gradients of ``params`` to a global L2 norm of at most ``max_norm``.

    Deep and recurrent nets can produce huge gradients (梯度爆炸); one step with them
    throws the parameters far away.  Clipping rescales *all* gradients together:

        norm = sqrt(sum over every parameter p of sum(p.grad ** 2))
        if norm > max_norm: every p.grad *= max_norm / (norm + 1e-6)

    One common factor keeps the direction of the step; only its length shrinks.  Clamping
    each value to ``[-max_norm, max_norm]`` changes the direction.

    Skip parameters whose ``grad`` is ``None``; with no gradient at all the norm is
    ``0.0``.  Multiply the gradients in place (``p.grad.mul_(...)``, under
    ``torch.no_grad()``).  Return the norm *before* clipping, as a Python ``float`` (what
    you would log to see whether gradients explode).

    ``params`` may be any iterable, such as the generator ``net.parameters()``, which can
    be read only once: make a list first.  Raise ``ValueError`` if ``max_norm <= 0``.
    Do not use ``nn.utils.clip_grad_norm_`` or its relatives.
    """
    ### BEGIN SOLUTION
    if max_norm <= 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = float(torch.sqrt(sum(torch.sum(g.double() ** 2) for g in grads)))
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
    return norm
    ### END SOLUTION
