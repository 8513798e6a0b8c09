"""Assignment 1: tensors — broadcasting and gather, by hand.

Broadcasting lets PyTorch combine tensors of different shapes without copying data, and
``gather`` picks elements along one dimension with an index tensor.  Both are everywhere
in deep-learning code (adding a bias to a batch, picking the predicted probability of the
true class in cross-entropy), so we build them ourselves once.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    """Return the shape that tensors of the given shapes broadcast to.

    The rules (as in the course notes, 广播机制):
    1. Align the shapes from the trailing (rightmost) dimension.
    2. A missing leading dimension counts as size 1.
    3. In each position the sizes must be equal, or one of them must be 1; the result takes
       the size that is not 1.  Size 0 is an ordinary size: it broadcasts with 1 and 0.

    >>> broadcast_shapes((5, 3, 4, 1), (3, 1, 1))
    (5, 3, 4, 1)
    >>> broadcast_shapes()
    ()

    Each shape is a tuple, a list or a ``torch.Size`` of non-negative ints.  Raise
    ``ValueError`` if the shapes do not broadcast (e.g. ``(5, 2, 4, 1)`` and ``(3, 1, 1)``).
    Do not use ``torch.broadcast_shapes`` or ``torch.broadcast_tensors``.
    """
    raise NotImplementedError


def broadcast_to(x: torch.Tensor, shape: Sequence[int]) -> torch.Tensor:
    """Return ``x`` broadcast to ``shape``, like ``torch.broadcast_to(x, shape)``.

    The course notes' recipe: first insert leading size-1 dimensions (``unsqueeze(0)``) until ``x``
    has as many dimensions as ``shape``, then ``expand`` the size-1 dimensions.  ``expand``
    does not copy: the result is a view that shares ``x``'s memory.

    >>> broadcast_to(torch.tensor([1, 2, 3]), (2, 3))
    tensor([[1, 2, 3],
            [1, 2, 3]])

    Raise ``ValueError`` if ``x`` cannot be broadcast to ``shape`` (more dimensions than the
    target, or a size that is neither equal to the target nor 1).  Do not use
    ``torch.broadcast_to``, ``Tensor.broadcast_to`` or ``torch.broadcast_tensors``.
    """
    raise NotImplementedError


def gather(input: torch.Tensor, dim: int, index: torch.Tensor) -> torch.Tensor:
    """Return ``torch.gather(input, dim, index)``, written by hand.

    The output has ``index``'s shape, and for a 3-D input::

        out[i][j][k] = input[index[i][j][k]][j][k]   # dim == 0
        out[i][j][k] = input[i][index[i][j][k]][k]   # dim == 1
        out[i][j][k] = input[i][j][index[i][j][k]]   # dim == 2

    so ``index`` says, for every output position, which element along ``dim`` to take;
    the other coordinates stay where they are.  Negative ``dim`` counts from the end.

    Raise ``ValueError`` if ``index.dim() != input.dim()`` or ``index.size(d) >
    input.size(d)`` for a ``d != dim``, and ``IndexError`` if an index is outside
    ``[0, input.size(dim))``.  Do not use ``torch.gather``, ``Tensor.gather`` or
    ``take_along_dim``.  Create helper tensors on ``input``'s device.
    """
    raise NotImplementedError
