"""Correct, written differently: fan_in_and_fan_out multiplies the kernel sizes with
functools.reduce and operator.mul, and raises its own ``WeightShapeError(ValueError)``."""

import functools
import operator


class WeightShapeError(ValueError):
    """The tensor has too few dimensions to have a fan in and a fan out."""


def fan_in_and_fan_out(tensor):
    dims = tensor.ndimension()
    if dims < 2:
        raise WeightShapeError(f"a {dims}-D tensor has no fan in / fan out (need 2 or more)")
    sizes = tensor.size()
    receptive_field = functools.reduce(operator.mul, sizes[2:], 1)
    return int(sizes[1] * receptive_field), int(sizes[0] * receptive_field)
