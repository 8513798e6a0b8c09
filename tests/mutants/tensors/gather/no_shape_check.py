"""Never validates index's shape: indexing raises IndexError instead of ValueError."""

import torch


def gather(input, dim, index):
    if not -input.dim() <= dim < input.dim():
        raise IndexError(f"dim {dim} out of range")
    dim = dim % input.dim()
    if index.numel() and (index.min() < 0 or index.max() >= input.size(dim)):
        raise IndexError("index out of range")
    coordinates = []
    for d in range(index.dim()):
        if d == dim:
            coordinates.append(index)
        else:
            view = [1] * index.dim()
            view[d] = index.size(d)
            coordinates.append(torch.arange(index.size(d), device=input.device).view(view))
    return input[tuple(coordinates)]
