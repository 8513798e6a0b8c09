"""My tensors homework (作业1: 广播和 gather)."""

import torch


def broadcast_shapes(*shapes):
    # 从尾部维度开始对齐: align from the trailing dimension
    ndim = max([len(s) for s in shapes], default=0)
    out = [1] * ndim
    for s in shapes:
        s = [1] * (ndim - len(s)) + list(s)
        for i in range(ndim):
            if out[i] == 1:
                out[i] = s[i]
            elif s[i] != 1 and s[i] != out[i]:
                raise ValueError("not broadcastable")
    return tuple(out)


def broadcast_to(x, shape):
    # Insert 1 dim ahead (unsqueeze), then expand. expand will complain if it is impossible.
    while x.dim() < len(shape):
        x = x.unsqueeze(0)
    return x.expand(*shape)


def gather(input, dim, index):
    if index.dim() != input.dim():
        raise ValueError("index and input need the same number of dimensions")
    dim = dim % input.dim()
    for d in range(input.dim()):
        if d != dim and index.size(d) > input.size(d):
            raise ValueError("index is too big")
    if index.numel() and (index.min() < 0 or index.max() >= input.size(dim)):
        raise IndexError("index out of range")
    coords = []
    for d in range(input.dim()):
        if d == dim:
            coords.append(index)
        else:
            shape = [1] * input.dim()
            shape[d] = index.size(d)
            coords.append(torch.arange(index.size(d)).reshape(shape).to(index))
    return input[tuple(coords)]
