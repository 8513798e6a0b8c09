"""Takes the argmax even of 1-D predicted labels."""


def accuracy(y_hat, y):
    y_hat = y_hat.argmax(axis=1) if y_hat.dim() > 1 else y_hat.argmax()
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())
