"""softmax - one_hot without the 1/N: the gradient of the summed loss, not the mean."""

import torch


def cross_entropy_grad(logits, y):
    if logits.dim() != 2 or y.dim() != 1 or len(y) != len(logits) or len(y) == 0:
        raise ValueError("shapes do not fit")
    if bool(((y < 0) | (y >= logits.shape[1])).any()):
        raise ValueError("label out of range")
    N = len(y)
    m = logits.amax(dim=1, keepdim=True)
    log_p = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    loss = -log_p[torch.arange(N, device=logits.device), y].mean()
    one_hot = torch.zeros_like(logits)
    one_hot[torch.arange(N, device=logits.device), y] = 1
    return loss, torch.softmax(logits, dim=1) - one_hot
