"""Correct, written differently: gather reads the index with ``.tolist()`` and copies one
element at a time over ``itertools.product`` of the output positions (data-dependent:
``.tolist()`` needs the index's values)."""

import itertools


def gather(input, dim, index):
    ndim = input.dim()
    if index.dim() != ndim:
        raise ValueError(f"index is {index.dim()}-D but input is {ndim}-D")
    span = max(ndim, 1)
    if dim < -span or dim >= span:
        raise IndexError(f"dim {dim} out of range for a {ndim}-D input")
    dim = dim + span if dim < 0 else dim
    for d in range(ndim):
        if d != dim and index.shape[d] > input.shape[d]:
            raise ValueError(f"index is larger than input in dimension {d}")
    if ndim == 0:
        if index.item() != 0:
            raise IndexError("a 0-d input only has position 0")
        return input.clone()
    out = input.new_empty(index.shape)
    size = input.shape[dim]
    values = index.tolist()
    for position in itertools.product(*(range(n) for n in index.shape)):
        picked = values
        for coordinate in position:
            picked = picked[coordinate]
        if not 0 <= picked < size:
            raise IndexError(f"index {picked} is out of range [0, {size})")
        source = list(position)
        source[dim] = picked
        out[position] = input[tuple(source)]
    return out
