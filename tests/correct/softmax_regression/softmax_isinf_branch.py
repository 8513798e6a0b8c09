"""Correct, written differently: softmax looks at the slice maxima and, only if one is
infinite (``if torch.isinf(top).any():``, a data-dependent ``bool(tensor)``), swaps it
for 0 with torch.where before shifting."""

import torch


def softmax(X, dim=-1):
    top = torch.max(X, dim=dim, keepdim=True)[0].detach()
    if torch.isinf(top).any():
        # A slice that is all -inf (or holds +inf) would give inf - inf; shifting it by 0
        # leaves the same answer as torch.softmax (nan) without a warning-worthy subtraction.
        top = torch.where(torch.isinf(top), torch.zeros_like(top), top)
    numerator = torch.exp(X - top)
    return numerator / torch.sum(numerator, dim=dim, keepdim=True)
