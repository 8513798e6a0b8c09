"""Returns a 0-dim tensor instead of a Python float."""

import torch


def evaluate_accuracy(net, data_iter, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.eval()
    correct, count = 0, 0
    with torch.no_grad():
        for X, y in data_iter:
            X, y = X.to(device), y.to(device)
            correct = correct + (net(X).argmax(dim=1) == y).sum()
            count += len(y)
    if count == 0:
        raise ValueError("no examples")
    return correct / count
