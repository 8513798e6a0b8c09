"""The oracle of ``scaling``: torch's own multiplication, bound at load time."""

from __future__ import annotations

import torch
from torch import mul as _mul


def scale(x: torch.Tensor, factor: float) -> torch.Tensor:
    return _mul(x, factor)
