"""`net.eval` without parentheses: names the method, the net stays in training mode."""

import torch


def evaluate_accuracy(net, data_iter, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.eval  # noqa: B018 - the bug
    correct, count = 0, 0
    with torch.no_grad():
        for X, y in data_iter:
            X, y = X.to(device), y.to(device)
            correct += int((net(X).argmax(dim=1) == y).sum())
            count += len(y)
    if count == 0:
        raise ValueError("no examples")
    return correct / count
