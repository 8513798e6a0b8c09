"""Draws the indices with torch.randint: samples repeat and others never appear."""

import torch


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    num_examples = len(features)
    indices = torch.randint(0, max(num_examples, 1), (num_examples,), device=features.device)
    for i in range(0, num_examples, batch_size):
        rows = indices[i : i + batch_size]
        yield features[rows], labels[rows]
