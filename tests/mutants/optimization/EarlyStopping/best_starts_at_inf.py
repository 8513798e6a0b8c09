"""Starts best at inf (-inf for 'max') instead of None: best is not None before the first
call, and a first metric of inf (a diverged epoch) is no improvement."""

import math


class EarlyStopping:
    def __init__(self, patience, mode="min", min_delta=0.0):
        if patience < 0 or min_delta < 0 or mode not in ("min", "max"):
            raise ValueError("bad arguments")
        self.patience = patience
        self.mode = mode
        self.min_delta = min_delta
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = None
        self.epoch = -1
        self.count = 0

    def step(self, metric):
        self.epoch += 1
        if self.mode == "min":
            improved = metric < self.best - self.min_delta
        else:
            improved = metric > self.best + self.min_delta
        if improved:
            self.best, self.best_epoch, self.count = metric, self.epoch, 0
            return False
        self.count += 1
        return self.count >= max(self.patience, 1)
