"""Builds the result by adding to zeros of the default dtype (float32) on the default device."""

import torch


def broadcast_to(x, shape):
    shape = tuple(shape)
    if x.dim() > len(shape):
        raise ValueError("too many dimensions")
    padded = (1,) * (len(shape) - x.dim()) + tuple(x.shape)
    for have, want in zip(padded, shape):
        if have != want and have != 1:
            raise ValueError("cannot broadcast")
    return torch.zeros(shape) + x
