"""Element by element, through flat views."""

import torch


def scale(x: torch.Tensor, factor: float) -> torch.Tensor:
    out = torch.empty_like(x)
    flat, source = out.view(-1), x.reshape(-1)
    for i in range(source.numel()):
        flat[i] = source[i] * factor
    return out
