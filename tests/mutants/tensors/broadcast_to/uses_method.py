"""Calls Tensor.broadcast_to, the method the exercise asks to write."""


def broadcast_to(x, shape):
    return x.broadcast_to(shape)
