"""(y_hat - y) without reshaping y: (n, 1) - (n,) broadcasts to (n, n)."""


def squared_loss(y_hat, y):
    if y_hat.numel() != y.numel():
        raise ValueError("different sizes")
    return (y_hat - y) ** 2 / 2
