"""Comparisons between what the student's function returned and what the reference gives.

Each helper raises :class:`CheckFailed` with the input, the expected and the actual value
and a hint, so checks read as a list of expectations.
"""

from __future__ import annotations

from typing import Any

import torch

from autograder.engine.protocol import TransportedTensor
from autograder.grading.context import CheckFailed, describe
from autograder.i18n import T, phrase


def _expect_dtype(
    got: TransportedTensor, expected: torch.Tensor, *, what: str, input: str, hint: str | None
) -> None:
    if got.dtype != expected.dtype:
        raise CheckFailed(
            T("{what} has the wrong dtype", what=what),
            input=input,
            expected=str(expected.dtype),
            got=str(got.dtype),
            hint=hint
            or "keep the input's dtype: create helper tensors with dtype=x.dtype "
            "(or *_like functions) instead of the default float32.",
        )


def _expect_device(
    got: TransportedTensor,
    expected: torch.Tensor,
    device: str | None,
    *,
    what: str,
    input: str,
    hint: str | None,
) -> None:
    wanted_device = device if device is not None else str(expected.device)
    if got.device_type != wanted_device.split(":")[0]:
        raise CheckFailed(
            T("{what} is on the wrong device", what=what),
            input=input,
            expected=T("a tensor on {device}", device=wanted_device),
            got=T("a tensor on {device}", device=got.device),
            hint=hint
            or "create every helper tensor on the input's device (device=x.device); "
            "tensors created without device= land on the CPU.",
        )


def as_tensor(value: Any) -> torch.Tensor | None:
    """The values of a returned tensor (on the CPU), or None if it is not a tensor."""
    if isinstance(value, TransportedTensor):
        return value.values
    if isinstance(value, torch.Tensor):
        return value
    return None


def expect_tensor(
    got: Any,
    expected: torch.Tensor,
    *,
    input: str,
    what: str = "the result",
    device: str | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    check_dtype: bool = True,
    hint: str | None = None,
    show_values: bool = True,
    judging: str = "all",
) -> None:
    """``got`` must be a tensor with ``expected``'s shape, dtype, values and ``device``.

    ``show_values=False`` leaves the values out of the feedback: under the default-device
    trap they may be read from tensors without data, different on every run.

    ``judging="dtype"`` or ``"device"``: a check of that property alone, so a mistake that
    other checks judge (a wrong shape or values) is not charged again here; with
    ``"device"``, values are still compared when shape and dtype agree (under the
    default-device trap, tensors made without ``device=`` change them).

    ``hint`` is for failures of the property judged: with ``judging="all"`` the values and
    shape, so a wrong dtype or device gets the hint of its own kind instead.
    """
    what = phrase(what)
    if not isinstance(got, TransportedTensor):
        if judging != "all":
            raise CheckFailed(
                T(
                    "cannot judge the {aspect}: {what} is not a tensor (see the other checks)",
                    aspect=phrase(judging),
                    what=what,
                ),
                input=input,
                got=describe(got),
                hint=hint,
            )
        raise CheckFailed(
            T("{what} should be a tensor", what=what),
            input=input,
            expected=T("a tensor of shape {shape}", shape=tuple(expected.shape)),
            got=describe(got),
            hint=hint,
        )
    if judging == "dtype":
        _expect_dtype(got, expected, what=what, input=input, hint=hint)
        return
    if judging == "device":
        _expect_device(got, expected, device, what=what, input=input, hint=hint)
        if tuple(got.shape) != tuple(expected.shape) or got.dtype != expected.dtype:
            return  # the value and dtype checks judge those
    if tuple(got.shape) != tuple(expected.shape):
        raise CheckFailed(
            T("{what} has the wrong shape", what=what),
            input=input,
            expected=T("shape {shape}", shape=tuple(expected.shape)),
            got=T("shape {shape}", shape=tuple(got.shape)),
            hint=hint,
        )
    # ``hint`` speaks of the values (and shape) here: a wrong dtype or device gets the hint
    # of its own kind, not one about a failure that did not happen.
    if check_dtype:
        _expect_dtype(got, expected, what=what, input=input, hint=None)
    _expect_device(got, expected, device, what=what, input=input, hint=None)
    if expected.device.type == "meta":
        return  # no values to compare on either side
    if got.values is None:
        # The session lets a tensor without values through only where the call had a meta
        # input; a check comparing with values must still get some.
        raise CheckFailed(
            T("{what} has no values (a tensor on meta) where values were expected", what=what),
            input=input,
            expected=T("a tensor on {device}", device=str(expected.device)),
            got=T("a tensor on {device}", device=got.device),
            hint=hint,
        )
    values = got.values.to(expected.dtype) if not check_dtype else got.values
    if _close(values, expected, rtol, atol):
        return
    if not show_values:
        raise CheckFailed(
            T(
                "{what} has other values when tensors made without device= land on another "
                "device (the values are then read from a device without data)",
                what=what,
            ),
            input=input,
            hint=hint,
        )
    try:
        torch.testing.assert_close(
            values, expected, rtol=rtol, atol=atol, equal_nan=True, check_device=False
        )
    except AssertionError as error:
        detail = str(error).strip().splitlines()
        summary = "; ".join(line.strip() for line in detail[:4] if line.strip())
        raise CheckFailed(
            T("{what} has the wrong values ({summary})", what=what, summary=summary),
            input=input,
            expected=describe(expected),
            got=describe(got.values),
            hint=hint,
        ) from None


# torch.testing.assert_close's default (rtol, atol) per dtype (its documented table).
DEFAULT_TOLERANCES = {
    torch.float16: (1e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7),
}


def _close(got: torch.Tensor, expected: torch.Tensor, rtol: Any, atol: Any) -> bool:
    """A fast yes for values assert_close accepts; a no means "ask assert_close".

    assert_close is slow (and imports DTensor on its first call): the
    usual, passing comparison is decided here with the same rule, |got - expected| <=
    atol + rtol * |expected|, and assert_close writes the message when it fails.
    """
    if got.dtype != expected.dtype or got.shape != expected.shape:
        return False
    if torch.equal(got, expected):
        return True
    if rtol is None and atol is None:
        if expected.dtype not in DEFAULT_TOLERANCES:
            return False
        rtol, atol = DEFAULT_TOLERANCES[expected.dtype]
    if rtol is None or atol is None:
        return False
    return bool(torch.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True).all())


def expect_equal(
    got: Any, expected: Any, *, input: str, what: str = "the result", hint: str | None = None
) -> None:
    """Plain values (ints, tuples, shapes) must be equal, type included for tuples."""
    what = phrase(what)
    if isinstance(expected, tuple) and not isinstance(got, tuple):
        raise CheckFailed(
            T("{what} should be a tuple", what=what),
            input=input,
            expected=describe(expected),
            got=describe(got),
            hint=hint,
        )
    if got != expected or type(got) is bool and type(expected) is not bool:
        raise CheckFailed(
            T("{what} is wrong", what=what),
            input=input,
            expected=describe(expected),
            got=describe(got),
            hint=hint,
        )


def expect_unchanged(before: list[Any], after: Any, *, input: str, function: str) -> None:
    """Inputs must hold the same values after the call (no in-place modification)."""
    if not isinstance(after, list) or len(after) != len(before):
        raise CheckFailed(
            T("could not read back the inputs of {function}", function=function), input=input
        )
    for position, (old, new) in enumerate(zip(before, after)):
        if not isinstance(old, torch.Tensor):
            continue
        values = as_tensor(new)
        if values is None or not torch.equal(values.to(old.dtype), old.detach()):
            raise CheckFailed(
                T(
                    "{function} modified its input (argument {position}) in place",
                    function=function,
                    position=position + 1,
                ),
                input=input,
                expected=describe(old),
                got=describe(values),
                hint="compute a new tensor instead of writing into the input "
                "(avoid x[...] = ..., x += ..., and methods ending in _ on inputs).",
            )
