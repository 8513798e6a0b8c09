"""Shuffles the order of the batches but keeps each batch contiguous."""

import random


def data_iter(batch_size, features, labels):
    if batch_size < 1 or len(features) != len(labels):
        raise ValueError("bad arguments")
    starts = list(range(0, len(features), batch_size))
    random.shuffle(starts)
    for i in starts:
        yield features[i : i + batch_size], labels[i : i + batch_size]
