"""Computes on y_hat.detach(): no gradient reaches the model."""


def squared_loss(y_hat, y):
    if y_hat.numel() != y.numel():
        raise ValueError("different sizes")
    return (y_hat.detach() - y.reshape(y_hat.shape)) ** 2 / 2
