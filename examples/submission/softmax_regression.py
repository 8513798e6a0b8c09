"""My softmax regression homework (d2l 3.6, 从零实现)."""

import torch


def softmax(X, dim=-1):
    # 对每行做 softmax (straight from the notes)
    X_exp = torch.exp(X)
    partition = X_exp.sum(dim, keepdim=True)
    return X_exp / partition


def cross_entropy(y_hat, y):
    # 通过索引拿出真实类别的预测概率
    if y_hat.dim() != 2 or len(y) != len(y_hat):
        raise ValueError("y_hat must be (N, C) and y must have N labels")
    return -torch.log(y_hat[range(len(y_hat)), y])


def stable_cross_entropy(logits, y):
    if logits.dim() != 2 or len(y) != len(logits):
        raise ValueError("logits must be (N, C) and y must have N labels")
    shifted = logits - logits.max(dim=1, keepdim=True).values
    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))
    return -log_probs[torch.arange(len(y), device=logits.device), y]
