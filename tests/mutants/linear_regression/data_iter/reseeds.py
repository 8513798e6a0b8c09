"""random.seed(0) before shuffling: every pass has the same order."""

import random

import torch


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    num_examples = len(features)
    indices = list(range(num_examples))
    random.seed(0)
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        rows = torch.tensor(indices[i : i + batch_size], dtype=torch.long, device=features.device)
        yield features[rows], labels[rows]
