"""Correct, written differently: zip_longest for shapes, view for broadcast_to, flat indices."""

from itertools import zip_longest

import torch


def broadcast_shapes(*shapes):
    out = []
    for sizes in zip_longest(*(reversed(tuple(s)) for s in shapes), fillvalue=1):
        big = {s for s in sizes if s != 1}
        if len(big) > 1:
            raise ValueError(f"sizes {sizes} do not broadcast")
        if any(s < 0 for s in sizes):
            raise ValueError("negative size")
        out.append(big.pop() if big else 1)
    return tuple(reversed(out))


def broadcast_to(x, shape):
    shape = tuple(shape)
    if len(shape) < x.dim():
        raise ValueError("target has fewer dimensions than x")
    x = x.view((1,) * (len(shape) - x.dim()) + tuple(x.shape))
    if any(a != b and a != 1 for a, b in zip(x.shape, shape)):
        raise ValueError(f"cannot broadcast {tuple(x.shape)} to {shape}")
    return x.expand(shape)


def gather(input, dim, index):
    if input.dim() != index.dim():
        raise ValueError("dimension mismatch")
    n = input.dim()
    if dim < -n or dim >= n:
        raise IndexError("bad dim")
    dim %= n
    if any(index.shape[d] > input.shape[d] for d in range(n) if d != dim):
        raise ValueError("index is too large")
    if index.numel() > 0 and not bool(((index >= 0) & (index < input.shape[dim])).all()):
        raise IndexError("index out of range")
    # Flat position of every gathered element: sum of coordinate * stride.
    strides = [1] * n
    for d in range(n - 2, -1, -1):
        strides[d] = strides[d + 1] * input.shape[d + 1]
    flat = torch.zeros(index.shape, dtype=torch.long, device=input.device)
    for d in range(n):
        if d == dim:
            coordinate = index
        else:
            shape = [1] * n
            shape[d] = index.shape[d]
            coordinate = torch.arange(index.shape[d], device=input.device).reshape(shape)
        flat = flat + coordinate * strides[d]
    return input.reshape(-1)[flat.reshape(-1)].reshape(index.shape)
