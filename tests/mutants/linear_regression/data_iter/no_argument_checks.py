"""No argument checks: a negative batch_size yields nothing, short labels raise IndexError."""

import torch


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = torch.randperm(num_examples, device=features.device)
    for i in range(0, num_examples, batch_size):
        rows = indices[i : i + batch_size]
        yield features[rows], labels[rows]
