"""Correct, written differently: pool_output_size uses math.ceil / math.floor on a true
division and raises ``PoolingArgumentError``, a subclass of ValueError."""

import math


class PoolingArgumentError(ValueError):
    """MaxPool1d would refuse these arguments."""


def pool_output_size(input_size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    if stride is None:
        stride = kernel_size
    for name, value in (
        ("input_size", input_size),
        ("kernel_size", kernel_size),
        ("stride", stride),
        ("dilation", dilation),
    ):
        if value < 1:
            raise PoolingArgumentError(f"{name} must be at least 1, got {value}")
    if padding < 0 or 2 * padding > kernel_size:
        raise PoolingArgumentError(
            f"padding must be in [0, kernel_size / 2] = [0, {kernel_size / 2}], got {padding}"
        )
    covered = dilation * (kernel_size - 1) + 1
    steps = (input_size + 2 * padding - covered) / stride
    if ceil_mode:
        out = math.ceil(steps) + 1
        last_start = (out - 1) * stride  # in padded coordinates
        if last_start >= input_size + padding:
            out -= 1  # that window would lie entirely in the right padding
    else:
        out = math.floor(steps) + 1
    if out < 1:
        raise PoolingArgumentError("the pooling window does not fit in the padded input")
    return out
