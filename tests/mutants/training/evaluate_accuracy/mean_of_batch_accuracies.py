"""Averages the per-batch accuracies: a smaller last batch weighs as much as a full one."""

import torch


def evaluate_accuracy(net, data_iter, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.eval()
    rates = []
    with torch.no_grad():
        for X, y in data_iter:
            X, y = X.to(device), y.to(device)
            rates.append((net(X).argmax(dim=1) == y).float().mean().item())
    if not rates:
        raise ValueError("no examples")
    return sum(rates) / len(rates)
