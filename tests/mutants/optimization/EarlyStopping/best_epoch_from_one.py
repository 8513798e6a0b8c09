"""Counts epochs from 1: best_epoch is one more than the call's 0-based index."""


class EarlyStopping:
    def __init__(self, patience, mode="min", min_delta=0.0):
        if patience < 0 or min_delta < 0 or mode not in ("min", "max"):
            raise ValueError("bad arguments")
        self.patience = patience
        self.mode = mode
        self.min_delta = min_delta
        self.best = None
        self.best_epoch = None
        self.epoch = -1
        self.count = 0

    def step(self, metric):
        self.epoch += 1
        if self.best is None:
            improved = True
        elif self.mode == "min":
            improved = metric < self.best - self.min_delta
        else:
            improved = metric > self.best + self.min_delta
        if improved:
            self.best, self.best_epoch, self.count = metric, self.epoch + 1, 0
            return False
        self.count += 1
        return self.count >= max(self.patience, 1)
