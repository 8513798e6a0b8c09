"""Computes on logits.data: right values, but no gradient reaches the logits."""

import torch


def stable_cross_entropy(logits, y):
    if logits.dim() != 2 or len(y) != len(logits):
        raise ValueError("bad shapes")
    logits = logits.data
    m = logits.amax(1, keepdim=True)
    log_partition = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(1))
    return log_partition - logits[range(len(logits)), y]
