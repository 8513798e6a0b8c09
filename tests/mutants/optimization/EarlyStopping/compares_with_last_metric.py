"""Compares each metric with the previous epoch's instead of the best one: a curve that
creeps back up after a dip looks like progress."""


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
            improved = metric < self.last - self.min_delta
        else:
            improved = metric > self.last + self.min_delta
        self.last = metric
        if improved:
            self.best, self.best_epoch, self.count = metric, self.epoch, 0
            return False
        self.count += 1
        return self.count >= max(self.patience, 1)
