"""Assignment 0: scaling — multiply a tensor by a number.

A one-line warm-up that shows the parts of an assignment: a docstring students read, a
solution between nbgrader's markers, and checks that grade it.
"""

from __future__ import annotations

import torch


def scale(x: torch.Tensor, factor: float) -> torch.Tensor:
    """Return ``x`` with every element multiplied by ``factor``, as a new tensor.

    Same shape, dtype and device as ``x``; ``x`` itself is left unchanged.
    Do not use ``torch.mul``.
    """
    ### BEGIN SOLUTION
    return x * factor
    ### END SOLUTION
