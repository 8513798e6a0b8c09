"""Correct, written differently: index loops and in-place chains for momentum, an
exponent by repeated subtraction, a comparator chosen once, one concatenated norm."""

import torch


def sgd_momentum_step(params, velocities, lr, momentum=0.9, weight_decay=0.0):
    if len(params) - len(velocities) != 0:
        raise ValueError("lengths differ")
    with torch.no_grad():
        for i in range(len(params)):
            p = params[i]
            if p.grad is None:
                continue
            velocities[i].mul_(momentum).add_(p.grad).add_(p, alpha=weight_decay)
            p.sub_(velocities[i] * lr)


def step_lr(base_lr, epoch, step_size, gamma=0.1):
    if step_size < 1 or epoch < 0:
        raise ValueError(f"bad step_size={step_size} or epoch={epoch}")
    decays, left = 0, epoch
    while left >= step_size:
        left -= step_size
        decays += 1
    return float(base_lr) * float(gamma) ** decays


class EarlyStopping:
    def __init__(self, patience, mode="min", min_delta=0.0):
        if patience < 0 or min_delta < 0:
            raise ValueError("patience and min_delta cannot be negative")
        if mode == "min":
            self._better = lambda new, old: new < old - min_delta
        elif mode == "max":
            self._better = lambda new, old: new > old + min_delta
        else:
            raise ValueError("mode must be min or max")
        self.limit = max(patience, 1)
        self.best = None
        self.best_epoch = None
        self.seen = 0
        self.bad = 0

    def step(self, metric):
        self.seen += 1
        if self.best is not None and not self._better(metric, self.best):
            self.bad += 1
            return self.bad >= self.limit
        self.best = metric
        self.best_epoch = self.seen - 1
        self.bad = 0
        return False


def clip_grad_norm(params, max_norm):
    if max_norm <= 0:
        raise ValueError("max_norm <= 0")
    grads = []
    for p in params:
        if p.grad is not None:
            grads.append(p.grad)
    if not grads:
        return 0.0
    with torch.no_grad():
        norm = torch.cat([g.reshape(-1) for g in grads]).norm().item()
        if norm > max_norm:
            for g in grads:
                g.mul_(max_norm / (norm + 1e-6))
    return norm
