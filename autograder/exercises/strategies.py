"""Hypothesis strategies shared by the checks: shapes, dtypes and small tensors.

Values come from hypothesis (not from a seed) so that shrinking yields small, readable
failing inputs such as ``tensor([0.])``.
"""

from __future__ import annotations

import numpy as np
import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)

_NUMPY = {
    torch.float16: np.float16,
    torch.float32: np.float32,
    torch.float64: np.float64,
    torch.int64: np.int64,
    torch.int32: np.int32,
    torch.bool: np.bool_,
}


def shapes(
    min_dims: int = 1, max_dims: int = 4, min_side: int = 0, max_side: int = 5
) -> st.SearchStrategy[tuple[int, ...]]:
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


def tensors(
    shape: tuple[int, ...] | st.SearchStrategy[tuple[int, ...]],
    dtype: torch.dtype = torch.float32,
    min_value: float = -10.0,
    max_value: float = 10.0,
) -> st.SearchStrategy[torch.Tensor]:
    """Tensors of ``dtype`` with finite values in ``[min_value, max_value]``."""
    if dtype == torch.bfloat16:
        return tensors(shape, torch.float32, min_value, max_value).map(
            lambda t: t.to(torch.bfloat16)
        )
    numpy_dtype = _NUMPY[dtype]
    if dtype.is_floating_point:
        width = {torch.float16: 16, torch.float32: 32, torch.float64: 64}[dtype]
        elements = st.floats(min_value, max_value, width=width, allow_subnormal=False)
    elif dtype == torch.bool:
        elements = st.booleans()
    else:
        elements = st.integers(int(min_value), int(max_value))
    return hnp.arrays(numpy_dtype, shape, elements=elements).map(
        lambda a: torch.from_numpy(np.array(a, copy=True))
    )


def float_dtypes(full: bool = True) -> st.SearchStrategy[torch.dtype]:
    return st.sampled_from(FLOAT_DTYPES if full else (torch.float32, torch.float64))
