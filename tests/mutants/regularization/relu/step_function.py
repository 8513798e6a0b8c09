"""Returns the mask (X > 0) as numbers: the derivative of ReLU, not ReLU."""


def relu(X):
    return (X > 0).to(X.dtype)
