"""Correct, written differently: functools.reduce, unsqueeze via indexing, torch.stack loops."""

from functools import reduce

import torch


def _pair(a, b):
    a, b = list(a), list(b)
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    out = []
    for p, q in zip(a, b):
        if p < 0 or q < 0 or (p != q and 1 not in (p, q)):
            raise ValueError(f"cannot broadcast {p} with {q}")
        out.append(q if p == 1 else p)
    return tuple(out)


def broadcast_shapes(*shapes):
    return reduce(_pair, shapes, ())


def broadcast_to(x, shape):
    shape = tuple(int(s) for s in shape)
    extra = len(shape) - x.dim()
    if extra < 0:
        raise ValueError("too many dimensions")
    x = x[(None,) * extra]
    for have, want in zip(x.shape, shape):
        if have not in (1, want):
            raise ValueError("incompatible")
    return x.expand(shape)


def gather(input, dim, index):
    if index.dim() != input.dim():
        raise ValueError("index must have as many dimensions as input")
    rank = max(input.dim(), 1)  # a 0-d tensor still has dims 0 and -1, like torch.gather
    if not -rank <= dim < rank:
        raise IndexError(f"dim {dim} is out of range")
    dim = dim if dim >= 0 else dim + rank
    for d in range(input.dim()):
        if d != dim and index.shape[d] > input.shape[d]:
            raise ValueError("index is larger than input")
    if index.numel() and (int(index.min()) < 0 or int(index.max()) >= input.shape[dim]):
        raise IndexError("index out of bounds")
    if index.numel() == 0:
        return input.new_empty(index.shape)
    # Move `dim` last, trim the other dims to index's sizes, pick along the last dim.
    moved = input.movedim(dim, -1)
    idx = index.movedim(dim, -1)
    trimmed = moved[tuple(slice(0, s) for s in idx.shape[:-1])]
    flat_in = trimmed.reshape(-1, trimmed.shape[-1])
    flat_idx = idx.reshape(-1, idx.shape[-1])
    rows = torch.arange(flat_in.shape[0], device=input.device).unsqueeze(1)
    picked = flat_in[rows, flat_idx] if flat_in.shape[0] else flat_idx.to(input.dtype)
    return picked.reshape(idx.shape).movedim(-1, dim)
