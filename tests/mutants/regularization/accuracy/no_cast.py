"""Compares the predictions with y without casting them to y's dtype: float predictions
such as 2.2 never equal an integer label."""


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    return float((y_hat == y).sum())
