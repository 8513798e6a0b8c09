"""Python loops written for 2-D inputs only, building a new float tensor element by element."""

import torch


def gather(input, dim, index):
    if index.dim() != input.dim():
        raise ValueError("index and input must have the same number of dimensions")
    if index.numel() and (index.min() < 0 or index.max() >= input.size(dim)):
        raise IndexError("index out of range")
    rows = []
    for i in range(index.size(0)):
        row = []
        for j in range(index.size(1) if index.dim() > 1 else 1):
            k = int(index[i, j]) if index.dim() > 1 else int(index[i])
            if dim in (0, -2) and index.dim() > 1:
                row.append(float(input[k, j]))
            elif index.dim() > 1:
                row.append(float(input[i, k]))
            else:
                row.append(float(input[k]))
        rows.append(row)
    out = torch.tensor(rows, dtype=input.dtype, device=input.device)
    return out.reshape(index.shape)
