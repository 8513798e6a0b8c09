"""Writes the predicted labels into y_hat's first column."""


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        labels = y_hat.argmax(axis=1)
        y_hat[:, 0] = labels.to(y_hat.dtype)
        y_hat = labels
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())
