"""Correct, written differently: conv_output_size handles tuples by calling itself once per
dimension with plain ints, and the int case uses math.floor on a true division."""

import math


def conv_output_size(input_size, kernel_size, stride=1, padding=0, dilation=1):
    arguments = (input_size, kernel_size, stride, padding, dilation)
    if any(isinstance(argument, tuple) for argument in arguments):
        length = None
        for argument in arguments:
            if isinstance(argument, tuple):
                if length is not None and len(argument) != length:
                    raise ValueError("all tuple arguments must have the same length")
                length = len(argument)
        return tuple(
            conv_output_size(
                *(
                    argument[d] if isinstance(argument, tuple) else argument
                    for argument in arguments
                )
            )
            for d in range(length)
        )
    if input_size < 1 or kernel_size < 1 or stride < 1 or dilation < 1:
        raise ValueError("input_size, kernel_size, stride and dilation must all be >= 1")
    if padding < 0:
        raise ValueError("padding cannot be negative")
    effective_kernel = dilation * (kernel_size - 1) + 1
    out = math.floor((input_size + 2 * padding - effective_kernel) / stride) + 1
    if out < 1:
        raise ValueError(
            f"the effective kernel ({effective_kernel}) is larger than the padded input "
            f"({input_size + 2 * padding})"
        )
    return out
