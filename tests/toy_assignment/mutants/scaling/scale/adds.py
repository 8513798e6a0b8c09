"""Adds the factor instead of multiplying."""

import torch


def scale(x: torch.Tensor, factor: float) -> torch.Tensor:
    return x + factor
