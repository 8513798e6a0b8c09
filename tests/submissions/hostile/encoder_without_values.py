"""Hostile: the runner's own encoder rewritten to send tensors without their values.

Student code runs in the runner's process, so it can replace anything there, the encoder
of answers included: every tensor goes out as a record that claims the CPU and carries no
values, and the functions compute nothing at all.  The module's name is built at run time,
so that the judge's scan of the source does not see it (issue 27, item 9).  Spliced into
the tensors solution in place of two functions.
"""

import sys

import torch

_protocol = sys.modules[".".join(["autograder", "engine", "proto" + "col"])]
_encode = _protocol._encode


def _without_values(value, buffers, depth=0):
    if isinstance(value, torch.Tensor):
        return {
            "__tensor__": True,
            "device": "cpu",
            "dtype": str(value.dtype).removeprefix("torch."),
            "shape": list(value.shape),
            "requires_grad": bool(value.requires_grad),
            "has_grad_fn": value.grad_fn is not None,
            "contiguous": True,
            "values": None,
        }
    return _encode(value, buffers, depth)


_protocol._encode = _without_values


def broadcast_to(x, shape):
    return torch.empty(tuple(shape), dtype=x.dtype)


def gather(input, dim, index):
    return torch.empty(index.shape, dtype=input.dtype)
