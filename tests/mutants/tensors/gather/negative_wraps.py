"""Skips the range check: negative indices silently count from the end."""

import torch


def gather(input, dim, index):
    if index.dim() != input.dim():
        raise ValueError("index and input must have the same number of dimensions")
    dim = dim % input.dim()
    for d in range(input.dim()):
        if d != dim and index.size(d) > input.size(d):
            raise ValueError("index too large")
    coordinates = []
    for d in range(input.dim()):
        if d == dim:
            coordinates.append(index)
        else:
            view = [1] * input.dim()
            view[d] = index.size(d)
            coordinates.append(torch.arange(index.size(d), device=input.device).view(view))
    return input[tuple(coordinates)]
