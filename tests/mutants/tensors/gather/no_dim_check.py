"""Wraps dim around with dim % input.dim() and never checks its range: dim=-2 on a 1-D input
becomes 0 instead of raising IndexError."""

import torch


def gather(input, dim, index):
    if index.dim() != input.dim():
        raise ValueError(f"index has {index.dim()} dimensions, input has {input.dim()}")
    dim = dim % max(input.dim(), 1)
    for d in range(input.dim()):
        if d != dim and index.size(d) > input.size(d):
            raise ValueError(f"index.size({d}) is larger than input.size({d})")
    if index.numel() > 0 and (index.min() < 0 or index.max() >= input.size(dim)):
        raise IndexError(f"index out of range [0, {input.size(dim)}) in dimension {dim}")
    coordinates = []
    for d in range(input.dim()):
        if d == dim:
            coordinates.append(index)
        else:
            view = [1] * input.dim()
            view[d] = index.size(d)
            coordinates.append(torch.arange(index.size(d), device=input.device).view(view))
    return input[tuple(coordinates)]
