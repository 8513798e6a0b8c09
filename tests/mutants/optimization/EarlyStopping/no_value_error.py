"""No argument checks: a negative patience, a negative min_delta or a misspelt mode
is accepted ('Min' then behaves as 'max')."""


class EarlyStopping:
    def __init__(self, patience, mode="min", min_delta=0.0):

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
            self.best, self.best_epoch, self.count = metric, self.epoch, 0
            return False
        self.count += 1
        return self.count >= max(self.patience, 1)
