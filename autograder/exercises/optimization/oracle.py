"""Oracles for ``optimization``: ``torch.optim.SGD``, ``StepLR``, ``ReduceLROnPlateau`` and
``nn.utils.clip_grad_norm_``.

Bound at load time, so an oracle still works while the graded exercise's forbidden calls
are replaced (see :mod:`autograder.exercises.softmax_regression.oracle`).
``ReduceLROnPlateau`` keeps exactly the count early stopping needs: the best metric so far
(``threshold_mode="abs"`` is ``min_delta``) and the number of calls since it improved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch
from torch.nn.utils import clip_grad_norm_ as _clip_grad_norm_
from torch.optim import SGD as _SGD
from torch.optim.lr_scheduler import ReduceLROnPlateau as _ReduceLROnPlateau
from torch.optim.lr_scheduler import StepLR as _StepLR


def sgd_momentum_step(
    params: Sequence[torch.Tensor],
    velocities: Sequence[torch.Tensor],
    lr: float,
    momentum: float = 0.9,
    weight_decay: float = 0.0,
) -> None:
    if len(params) != len(velocities):
        raise ValueError("params and velocities differ in length")
    stepped = [(p, v) for p, v in zip(params, velocities) if p.grad is not None]
    if not stepped:
        return
    optimizer = _SGD(
        [p for p, _ in stepped], lr=lr, momentum=momentum, weight_decay=weight_decay, foreach=False
    )
    if momentum == 0:  # SGD keeps no buffer then: the velocity is this step's gradient
        with torch.no_grad():
            for p, v in stepped:
                v.copy_(p.grad).add_(p, alpha=weight_decay)
    else:  # SGD updates the buffer it is given in place: the caller's velocity
        for p, v in stepped:
            optimizer.state[p]["momentum_buffer"] = v
    optimizer.step()


def step_lr(base_lr: float, epoch: int, step_size: int, gamma: float = 0.1) -> float:
    if step_size < 1 or epoch < 0:
        raise ValueError("step_size must be at least 1 and epoch at least 0")
    optimizer = _SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    scheduler = _StepLR(optimizer, step_size=step_size, gamma=gamma)
    for _ in range(epoch):
        optimizer.step()
        scheduler.step()
    return float(scheduler.get_last_lr()[0])


class EarlyStopping:
    def __init__(self, patience: int, mode: str = "min", min_delta: float = 0.0) -> None:
        if patience < 0 or min_delta < 0:
            raise ValueError("patience and min_delta must not be negative")
        self.patience = max(patience, 1)
        # Never reduces a rate (patience beyond any run): only its bookkeeping is used.
        self.plateau = _ReduceLROnPlateau(
            _SGD([torch.zeros(1, requires_grad=True)], lr=1.0),
            mode=mode,  # ValueError for any other mode
            threshold=min_delta,
            threshold_mode="abs",
            patience=2**62,
        )
        self.best = None
        self.best_epoch = None

    def step(self, metric: float) -> bool:
        self.plateau.step(metric)
        if self.best is None:  # the first call improves, even a metric of inf
            self.plateau.best, self.plateau.num_bad_epochs = float(metric), 0
        if self.plateau.num_bad_epochs == 0:
            self.best, self.best_epoch = metric, self.plateau.last_epoch - 1
            return False
        return self.plateau.num_bad_epochs >= self.patience


def clip_grad_norm(params: Iterable[torch.Tensor], max_norm: float) -> float:
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    with_grads = [p for p in params if p.grad is not None]
    if not with_grads:
        return 0.0
    return float(_clip_grad_norm_(with_grads, max_norm, foreach=False))
