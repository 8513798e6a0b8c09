"""torch.randperm(n) without device=: the indices land on the default device, which need
not be the data's (a meta default device picks no real rows)."""

import torch


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    num_examples = len(features)
    indices = torch.randperm(num_examples)
    for i in range(0, num_examples, batch_size):
        rows = indices[i : i + batch_size]
        yield features[rows], labels[rows]
