"""Hostile: tensors that compute nothing and hide it (issue 27, item 1).

A ``torch.Tensor`` subclass on ``meta`` whose ``device`` answers ``type == "meta"`` (so an
encoder that asks sends no values) and prints as ``"cpu"`` (so the judge is told the
values stayed on the CPU).  Spliced into the tensors solution in place of two functions.
"""

import torch


class _Claimed:
    type = "meta"  # what an encoder asks before it sends values
    index = None

    def __str__(self):
        return "cpu"  # what the judge is told


class Hollow(torch.Tensor):
    @property
    def device(self):
        return _Claimed()


def _hollow(shape, dtype):
    empty = torch.empty(tuple(shape), dtype=dtype, device="meta")
    return torch.Tensor._make_subclass(Hollow, empty)


def broadcast_to(x, shape):
    return _hollow(shape, x.dtype)


def gather(input, dim, index):
    return _hollow(index.shape, input.dtype)
