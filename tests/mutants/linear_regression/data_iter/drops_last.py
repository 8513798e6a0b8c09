"""range(0, n - batch_size + 1, batch_size): the last, smaller batch is lost."""

import torch


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    num_examples = len(features)
    indices = torch.randperm(num_examples, device=features.device)
    for i in range(0, num_examples - batch_size + 1, batch_size):
        rows = indices[i : i + batch_size]
        yield features[rows], labels[rows]
