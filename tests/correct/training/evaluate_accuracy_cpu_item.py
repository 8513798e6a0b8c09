"""Correct, written differently: evaluate_accuracy moves every batch to the net's device (or
the given one) and counts the hits of each batch with ``.cpu().item()`` (data-dependent)."""

import torch


def evaluate_accuracy(net, data_iter, device=None):
    if device is None:
        device = next(net.parameters()).device
    net.eval()
    hits = 0
    total = 0
    with torch.no_grad():
        for features, labels in data_iter:
            features = features.to(device)
            labels = labels.to(device)
            predicted = net(features).argmax(dim=1)
            hits += (predicted == labels).sum().cpu().item()
            total += labels.shape[0]
    if total == 0:
        raise ValueError("evaluate_accuracy got an empty data iterator")
    return hits / total
