"""Copies the data to the CPU (features.cpu()) before batching."""

import torch


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    X, y = features.cpu(), labels.cpu()
    indices = torch.randperm(len(X))
    for i in range(0, len(X), batch_size):
        rows = indices[i : i + batch_size]
        yield X[rows], y[rows]
