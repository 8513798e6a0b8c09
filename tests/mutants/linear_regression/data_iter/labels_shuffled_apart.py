"""Shuffles features and labels with two different permutations: the pairs are lost."""

import torch


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    num_examples = len(features)
    rows_x = torch.randperm(num_examples, device=features.device)
    rows_y = torch.randperm(num_examples, device=features.device)
    for i in range(0, num_examples, batch_size):
        yield features[rows_x[i : i + batch_size]], labels[rows_y[i : i + batch_size]]
