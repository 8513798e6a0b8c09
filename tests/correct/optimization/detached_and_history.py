"""Correct, written differently: updates through detached tensors and .data, a power by
math.pow, stopping decided from the distance to the best call, a Python sum of squares."""

import math

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(velocities) != len(params):
        raise ValueError("need exactly one velocity per parameter")
    for index, param in enumerate(params):
        if param.grad is None:
            continue
        grad = param.grad.detach() + weight_decay * param.detach()
        velocity = velocities[index]
        velocity.copy_(momentum * velocity + grad)
        param.data.add_(velocity, alpha=-lr)


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if epoch < 0 or step_size < 1:
        raise ValueError("need epoch >= 0 and step_size >= 1")
    completed, _ = divmod(epoch, step_size)
    return base_lr * math.pow(gamma, completed)


class EarlyStopping:
    def __init__(self, patience, mode="min", min_delta=0.0):
        if patience < 0:
            raise ValueError("negative patience")
        if min_delta < 0:
            raise ValueError("negative min_delta")
        if mode not in {"min", "max"}:
            raise ValueError("mode is 'min' or 'max'")
        self.patience = patience
        self.mode = mode
        self.min_delta = min_delta
        self.history = []
        self.best = None
        self.best_epoch = None

    def _improves(self, metric):
        if self.best is None:
            return True
        if self.mode == "max":
            return metric - self.min_delta > self.best
        return metric + self.min_delta < self.best

    def step(self, metric):
        self.history.append(metric)
        epoch = len(self.history) - 1
        if self._improves(metric):
            self.best, self.best_epoch = metric, epoch
            return False
        return epoch - self.best_epoch >= max(self.patience, 1)


@torch.no_grad()
def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    with_grad = [p for p in params if p.grad is not None]
    squares = 0.0
    for p in with_grad:
        squares += float(p.grad.double().pow(2).sum())
    norm = math.sqrt(squares)
    if norm > max_norm:
        scale = max_norm / (norm + 1e-6)
        for p in with_grad:
            p.grad *= scale
    return norm
