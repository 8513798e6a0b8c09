"""Oracles for ``tensors``: torch's own broadcasting and gather, with the contract's errors.

Bound at load time, like the other oracles: an oracle called as a helper still works while
the graded exercise's forbidden calls are replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import broadcast_shapes as _broadcast_shapes
from torch import broadcast_to as _broadcast_to
from torch import gather as _gather


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    if any(int(size) < 0 for shape in shapes for size in shape):
        raise ValueError("a shape has a negative size")
    try:
        return tuple(_broadcast_shapes(*(tuple(int(s) for s in shape) for shape in shapes)))
    except RuntimeError as error:
        raise ValueError(str(error)) from None


def broadcast_to(x: torch.Tensor, shape: Sequence[int]) -> torch.Tensor:
    target = tuple(int(size) for size in shape)
    if any(size < 0 for size in target):
        raise ValueError(f"cannot broadcast to {target}: a size is negative")
    try:
        return _broadcast_to(x, target)
    except RuntimeError as error:
        raise ValueError(str(error)) from None


def gather(input: torch.Tensor, dim: int, index: torch.Tensor) -> torch.Tensor:
    rank = input.dim()
    if index.dim() != rank:
        raise ValueError(f"index has {index.dim()} dimensions, input has {rank}")
    if not -rank <= dim < max(rank, 1):
        raise IndexError(f"dim {dim} is out of range for {rank} dimensions")
    axis = dim % max(rank, 1)
    if any(index.size(d) > input.size(d) for d in range(rank) if d != axis):
        raise ValueError("index is larger than input outside dim")
    if index.numel() and (index.min() < 0 or index.max() >= input.size(axis)):
        raise IndexError(f"index out of range in dimension {axis}")
    return _gather(input, dim, index)
