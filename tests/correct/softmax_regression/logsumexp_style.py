"""Correct, written differently: softmax as exp(X - logsumexp), gather for picking,
log-softmax for the stable loss."""

import torch


def softmax(X, dim=-1):
    m = X.max(dim=dim, keepdim=True).values.detach()
    log_partition = m + (X - m).exp().sum(dim=dim, keepdim=True).log()
    return torch.exp(X - log_partition)


def cross_entropy(y_hat, y):
    if y_hat.ndim != 2:
        raise ValueError("y_hat must be 2-D")
    if y.shape[0] != y_hat.shape[0]:
        raise ValueError("one label per row")
    return -y_hat.gather(1, y.unsqueeze(1)).squeeze(1).log()


def stable_cross_entropy(logits, y):
    if logits.ndim != 2 or y.shape[0] != logits.shape[0]:
        raise ValueError("logits must be (N, C) and y (N,)")
    shifted = logits - logits.amax(dim=1, keepdim=True)
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    return -log_probs.gather(1, y[:, None]).squeeze(1)
