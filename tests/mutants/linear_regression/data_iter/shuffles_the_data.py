"""Shuffles the caller's tensors in place, then reads them in order."""

import torch


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    rows = torch.randperm(len(features), device=features.device)
    features[:] = features[rows].clone()
    labels[:] = labels[rows].clone()
    for i in range(0, len(features), batch_size):
        yield features[i : i + batch_size], labels[i : i + batch_size]
