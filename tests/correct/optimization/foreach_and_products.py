"""Correct, written differently: torch's _foreach_ list operations for momentum, a product
loop for the decay, a sign that turns 'max' into 'min', norms of norms for clipping."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) != len(velocities):
        raise ValueError("params and velocities must have the same length")
    pairs = [(p, v) for p, v in zip(params, velocities) if p.grad is not None]
    if not pairs:
        return
    ps = [p for p, _ in pairs]
    vs = [v for _, v in pairs]
    with torch.no_grad():
        gs = torch._foreach_add([p.grad for p in ps], ps, alpha=weight_decay)
        torch._foreach_mul_(vs, momentum)
        torch._foreach_add_(vs, gs)
        torch._foreach_add_(ps, vs, alpha=-lr)


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1:
        raise ValueError("step_size < 1")
    if epoch < 0:
        raise ValueError("epoch < 0")
    rate = float(base_lr)
    for _ in range(epoch // step_size):
        rate *= gamma
    return rate


class EarlyStopping:
    def __init__(self, patience, mode="min", min_delta=0.0):
        if mode == "min":
            self.sign = 1.0
        elif mode == "max":
            self.sign = -1.0
        else:
            raise ValueError(f"unknown mode {mode}")
        if patience < 0 or min_delta < 0:
            raise ValueError("patience and min_delta must be >= 0")
        self.patience, self.min_delta = patience, min_delta
        self.best, self.best_epoch = None, None
        self.calls, self.wait = 0, 0

    def step(self, metric):
        index = self.calls
        self.calls += 1
        if self.best is None or self.sign * metric < self.sign * self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = metric, index, 0
            return False
        self.wait += 1
        return self.wait >= max(1, self.patience)


def clip_grad_norm(params, max_norm):
    if not max_norm > 0:
        raise ValueError("max_norm must be > 0")
    grads = [p.grad for p in params if p.grad is not None]
    if len(grads) == 0:
        return 0.0
    norms = torch.stack([torch.linalg.vector_norm(g.detach()) for g in grads])
    total = torch.linalg.vector_norm(norms).item()
    if total > max_norm:
        factor = max_norm / (total + 1e-6)
        with torch.no_grad():
            for g in grads:
                g.mul_(factor)
    return total
