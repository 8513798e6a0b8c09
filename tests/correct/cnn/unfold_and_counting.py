"""Correct, written differently: corr2d with Tensor.unfold (all windows at once), the
convolution size with math.floor on a true division, and the pooling size by counting the
window positions one by one."""

import math


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    arguments = (input_size, kernel_size, stride, padding, dilation)
    lengths = {len(a) for a in arguments if isinstance(a, tuple)}
    if len(lengths) > 1:
        raise ValueError(f"tuple arguments of different lengths {sorted(lengths)}")
    dims = max(lengths, default=1)
    columns = [a if isinstance(a, tuple) else (a,) * dims for a in arguments]
    result = []
    for n, k, s, p, d in zip(*columns):
        if min(n, k, s, d) < 1 or p < 0:
            raise ValueError("sizes, stride and dilation must be >= 1 and padding >= 0")
        size = math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1
        if size <= 0:
            raise ValueError("kernel larger than the padded input")
        result.append(size)
    return tuple(result) if lengths else result[0]


def pool_output_size(input_size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    n, k, p, d = input_size, kernel_size, padding, dilation
    s = k if stride is None else stride
    if min(n, k, s, d) < 1 or p < 0 or 2 * p > k:
        raise ValueError("MaxPool1d would refuse these arguments")
    padded, span = n + 2 * p, d * (k - 1) + 1
    count, start = 0, 0  # start: first position of the window in the padded input
    while True:
        if ceil_mode:
            # Rounding up lets the window hang over the end, but it must start before the
            # right padding.
            fits = start <= padded - span + s - 1 and start < n + p
        else:
            fits = start + span <= padded
        if not fits:
            break
        count += 1
        start += s
    if count == 0:
        raise ValueError("no window fits")
    return count


def corr2d(X, K):
    if X.ndim != 2 or K.ndim != 2:
        raise ValueError("corr2d needs 2-D tensors")
    kh, kw = K.shape
    if not (0 < kh <= X.shape[0] and 0 < kw <= X.shape[1]):
        raise ValueError("the kernel does not fit in the input")
    windows = X.unfold(0, kh, 1).unfold(1, kw, 1)  # (h - kh + 1, w - kw + 1, kh, kw)
    return (windows * K).sum(dim=(-2, -1))
