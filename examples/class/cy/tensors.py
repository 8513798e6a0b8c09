"""Cy's tensors homework: it does not parse (a colon is missing)."""

import torch


def broadcast_shapes(*shapes)
    return torch.broadcast_shapes(*shapes)


def broadcast_to(x, shape):
    return x.expand(shape)


def gather(input, dim, index):
    return input.gather(dim, index)
