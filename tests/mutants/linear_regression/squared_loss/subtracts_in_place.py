"""Subtracts the labels from y_hat in place (when autograd lets it)."""


def squared_loss(y_hat, y):
    if y_hat.numel() != y.numel():
        raise ValueError("different sizes")
    if y_hat.requires_grad:
        diff = y_hat - y.reshape(y_hat.shape)
    else:
        diff = y_hat.sub_(y.reshape(y_hat.shape))
    return diff**2 / 2
