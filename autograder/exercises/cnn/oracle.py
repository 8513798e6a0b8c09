"""Oracles for ``cnn``: ``F.conv*d`` and ``F.max_pool1d`` on the ``meta`` device give the
output sizes (no memory, no arithmetic), ``F.conv2d`` the cross-correlation."""

from __future__ import annotations

import torch
import torch.nn.functional as F

# Bound at load time, like the other oracles (the graded exercise may forbid conv2d).
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_max_pool1d = F.max_pool1d


def _meta(*sizes: int) -> torch.Tensor:
    return torch.empty(1, 1, *sizes, device="meta")


def conv_output_size(
    input_size: int | tuple[int, ...],
    kernel_size: int | tuple[int, ...],
    stride: int | tuple[int, ...] = 1,
    padding: int | tuple[int, ...] = 0,
    dilation: int | tuple[int, ...] = 1,
) -> int | tuple[int, ...]:
    arguments = (input_size, kernel_size, stride, padding, dilation)
    lengths = {len(value) for value in arguments if isinstance(value, tuple)}
    per_dimension = bool(lengths)  # any tuple: the answer is a tuple
    if len(lengths) > 1:
        raise ValueError(f"tuple arguments have different lengths: {sorted(lengths)}")
    dims = lengths.pop() if lengths else 1
    n, k, s, p, d = (v if isinstance(v, tuple) else (v,) * dims for v in arguments)
    if min(n + k + s + d) < 1 or min(p) < 0:
        raise ValueError("sizes, stride and dilation must be >= 1, padding >= 0")
    try:
        out = _CONV[dims](_meta(*n), _meta(*k), stride=s, padding=p, dilation=d)
    except RuntimeError as error:  # the kernel does not fit in the padded input
        raise ValueError(str(error)) from None
    sizes = tuple(out.shape[2:])
    if min(sizes) < 1:
        raise ValueError("the output would be empty")
    return sizes if per_dimension else sizes[0]


def pool_output_size(
    input_size: int,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    if min(input_size, kernel_size, dilation, 1 if stride is None else stride) < 1:
        raise ValueError("sizes, stride and dilation must be at least 1")
    if padding < 0:
        raise ValueError(f"padding must be non-negative, got {padding}")
    try:
        out = _max_pool1d(
            _meta(input_size), kernel_size, stride, padding, dilation, ceil_mode=ceil_mode
        )
    except RuntimeError as error:  # padding over half the kernel, or an empty output
        raise ValueError(str(error)) from None
    if out.shape[-1] < 1:
        raise ValueError("a window covers more than the padded input")
    return out.shape[-1]


def corr2d(X: torch.Tensor, K: torch.Tensor) -> torch.Tensor:
    if X.dim() != 2 or K.dim() != 2:
        raise ValueError(f"corr2d needs 2-D X and K, got {X.dim()}-D and {K.dim()}-D")
    if not (1 <= K.shape[0] <= X.shape[0] and 1 <= K.shape[1] <= X.shape[1]):
        raise ValueError(f"a {tuple(K.shape)} kernel does not fit in a {tuple(X.shape)} input")
    dtype = torch.result_type(X, K)
    # conv2d has no integer kernels on the CPU: integers are exact in float64 at these sizes.
    work = dtype if dtype.is_floating_point or dtype.is_complex else torch.float64
    Y = _CONV[2](X.to(work)[None, None], K.to(device=X.device, dtype=work)[None, None])[0, 0]
    return Y.to(dtype)
