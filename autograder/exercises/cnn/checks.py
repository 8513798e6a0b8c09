"""Checks for ``cnn.py``: conv_output_size, pool_output_size, corr2d.

The ground truth for the two size functions is what PyTorch's own layers do: every
generated configuration is run through ``nn.Conv1d/2d/3d`` or ``nn.MaxPool1d`` here, in
the judge, and an argument set the layer refuses (with any exception) must make the
student's function raise ``ValueError``.  The layers run on a one-sample CPU input of the
requested size (sizes are kept small, so a call is cheap): the ``meta`` device would be
as cheap, but its convolution skips PyTorch's argument checks (it accepts a kernel size of
0, negative padding and dilation 0), and its first use imports much of torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.exercises.cnn import oracle
from autograder.exercises.strategies import FLOAT_DTYPES, tensors
from autograder.grading.context import CheckContext, describe
from autograder.grading.contract import KEEPS_DTYPE, STAYS_ON_DEVICE
from autograder.grading.expect import expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import expect_device_portable, expect_gradients
from autograder.grading.registry import probe_name
from autograder.i18n import T, phrase

assignment = Assignment("cnn")

ARGUMENTS = ("input_size", "kernel_size", "stride", "padding", "dilation")


# ---------------------------------------------------------------------------------------
# Ground truth: PyTorch's layers
# ---------------------------------------------------------------------------------------
def torch_conv_output(
    input_size: Any, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1
) -> int | tuple[int, ...] | None:
    """The output size ``nn.ConvNd`` produces, or None where it refuses the arguments.

    ``N`` is the length of the tuple arguments (all tuples have that length), 1 if all
    arguments are ints; the answer is an int when all arguments are ints.
    """
    try:
        return oracle.conv_output_size(input_size, kernel_size, stride, padding, dilation)
    except ValueError:
        return None


def torch_pool_output(
    input_size: int,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int | None:
    """The output length ``nn.MaxPool1d`` produces, or None where it refuses."""
    try:
        return oracle.pool_output_size(
            input_size, kernel_size, stride, padding, dilation, ceil_mode
        )
    except ValueError:
        return None


def expect_size(
    ctx: CheckContext,
    got: Any,
    expected: int | tuple[int, ...],
    text: str,
    hint: str = "",
    int_judged_apart: bool = False,
) -> None:
    """``got`` is exactly ``expected``: Python ints (in a tuple when expected is one).

    ``int_judged_apart``: a check of its own judges that int arguments give an int, so a
    one-element tuple where an int is due is judged here by its size alone.
    """
    hint = hint or None
    if (
        int_judged_apart
        and not isinstance(expected, tuple)
        and isinstance(got, (tuple, list))
        and len(got) == 1
    ):
        got = got[0]
    if isinstance(expected, tuple):
        if not isinstance(got, tuple):
            ctx.fail(
                "with a tuple argument the result should be a tuple (one size per dimension)",
                input=text,
                expected=expected,
                got=got,
                hint=hint,
            )
        values = list(got)
    else:
        values = [got]
    for value in values:
        if type(value) is not int:
            ctx.fail(
                "sizes should be Python ints",
                input=text,
                expected=expected,
                got=f"{describe(got)} ({type(value).__name__})",
                hint="PyTorch rounds the division down: use // (floor division); / gives a "
                "float such as 13.5. Return plain ints, not tensors.",
            )
    if got != expected:
        ctx.fail("wrong output size", input=text, expected=expected, got=got, hint=hint)


# ---------------------------------------------------------------------------------------
# conv_output_size
# ---------------------------------------------------------------------------------------
conv_output_size = assignment.exercise(
    "conv_output_size",
    forbidden=(
        "torch.nn.Conv1d",
        "torch.nn.Conv2d",
        "torch.nn.Conv3d",
        "torch.nn.functional.conv1d",
        "torch.nn.functional.conv2d",
        "torch.nn.functional.conv3d",
        "torch.conv1d",
        "torch.conv2d",
        "torch.conv3d",
        "torch.convolution",
    ),
)

CONV_HINT = (
    "out = floor((n + 2p - d * (k - 1) - 1) / s) + 1 in every dimension: the padding is "
    "added on both sides, a kernel with dilation d covers d * (k - 1) + 1 positions, and the "
    "division rounds down."
)


def _fits(k: int, d: int, p: int) -> int:
    """The smallest input size that a kernel ``k`` with dilation ``d``, padding ``p`` fits."""
    return max(1, d * (k - 1) + 1 - 2 * p)


@st.composite
def conv_configs(
    draw: st.DrawFn,
    broken: bool = False,
    dims_from: tuple[int | None, ...] = (None, 1, 2, 3),
    dilations: tuple[int, int] = (1, 3),
) -> tuple[tuple, dict]:
    """Arguments of conv_output_size that torch accepts (or, ``broken``, mostly refuses).

    Returns ``(args, kwargs)``: ints (``dims`` None), or tuples of ``dims`` sizes mixed with
    ints; defaults sometimes left out.  Dilations are drawn from ``dilations`` (bounds).
    """
    dims = draw(st.sampled_from(dims_from))
    count = dims or 1

    def per_dim(strategy: st.SearchStrategy[int]) -> tuple[list[int], bool]:
        shared = dims is None or draw(st.booleans())
        if shared:
            return [draw(strategy)] * count, True
        return [draw(strategy) for _ in range(count)], False

    values: dict[str, list[int]] = {}
    shared: dict[str, bool] = {}
    values["kernel_size"], shared["kernel_size"] = per_dim(st.integers(1, 5))
    values["stride"], shared["stride"] = per_dim(st.integers(1, 4))
    values["padding"], shared["padding"] = per_dim(st.integers(0, 3))
    values["dilation"], shared["dilation"] = per_dim(st.integers(*dilations))
    lows = [
        _fits(k, d, p)
        for k, d, p in zip(values["kernel_size"], values["dilation"], values["padding"])
    ]
    if dims is None or draw(st.booleans()):
        values["input_size"], shared["input_size"] = (
            [draw(st.integers(max(lows), 20))] * count,
            True,
        )
    else:
        values["input_size"] = [draw(st.integers(low, low + 15)) for low in lows]
        shared["input_size"] = False
    if dims is not None and all(shared.values()):
        shared["input_size"] = False  # at least one tuple when dims is set
    if broken:
        # The interesting refusal first: the dilated kernel does not fit.
        kind = draw(st.sampled_from(("too small", *ARGUMENTS[1:], "input_size")))
        name = draw(st.sampled_from(("input_size", "kernel_size", "dilation")))
        name = name if kind == "too small" else kind
        dim = 0 if shared[name] else draw(st.integers(0, count - 1))
        n, k = values["input_size"][dim], values["kernel_size"][dim]
        p, d = values["padding"][dim], values["dilation"][dim]
        if kind == "too small":
            value = {
                "input_size": d * (k - 1) - 2 * p - draw(st.integers(0, 1)),
                "kernel_size": (n + 2 * p - 1) // d + 2,
                "dilation": (n + 2 * p - 1) // max(k - 1, 1) + 1,
            }[name]
        else:
            value = draw(st.sampled_from((-1, -2) if name == "padding" else (0, -1)))
        if shared[name]:
            values[name] = [value] * count
        else:
            values[name][dim] = value
    arguments = {
        name: values[name][0] if shared[name] else tuple(values[name]) for name in ARGUMENTS
    }
    if draw(st.booleans()):
        return tuple(arguments[name] for name in ARGUMENTS), {}
    defaults = {"stride": 1, "padding": 0, "dilation": 1}
    kwargs = {
        name: value
        for name, value in arguments.items()
        if name in ("input_size", "kernel_size") or value != defaults[name]
    }
    return (), kwargs


def _size_case(
    ctx: CheckContext,
    args: tuple,
    kwargs: dict,
    hint: str,
    refusals_only: bool = False,
    *,
    truth: Callable[..., Any],
    layer: str,
    int_judged_apart: bool = False,
) -> None:
    """The student agrees with the torch layer on these arguments (a size, or ValueError)."""
    expected = truth(*args, **kwargs)
    if refusals_only and expected is not None:
        return  # the error checks judge refusals only
    if expected is None:
        why = T("where {layer} refuses these arguments", layer=layer)
        ctx.expect_raises(ValueError, *args, why=why, **kwargs)
    else:
        got = ctx.call(*args, **kwargs)
        expect_size(ctx, got, expected, ctx.input_text(*args, **kwargs), hint, int_judged_apart)


def _conv_case(
    ctx: CheckContext, args: tuple, kwargs: dict, hint: str = CONV_HINT, refusals_only=False
) -> None:
    _size_case(
        ctx,
        args,
        kwargs,
        hint,
        refusals_only,
        truth=torch_conv_output,
        layer="nn.Conv1d/2d/3d",
        int_judged_apart=True,
    )


@conv_output_size.check(
    "agrees with the output size nn.Conv1d/2d/3d produce for int arguments (and defaults)",
    2,
    hint=CONV_HINT,
    contract=(
        "the output size `floor((n + 2p - d(k - 1) - 1) / s) + 1`, the size `nn.Conv1d/2d/3d` "
        "produce."
    ),
)
def _conv_agrees_ints(ctx: CheckContext) -> None:
    # Dilation 1: what a dilation does is the dilation check's property.
    @ctx.given(conv_configs(dims_from=(None,), dilations=(1, 1)), max_examples=15)
    def _(case: tuple[tuple, dict]) -> None:
        _conv_case(ctx, *case)


@conv_output_size.check(
    "agrees with the output size nn.Conv1d/2d/3d produce for tuple arguments (mixed with ints)",
    2,
    hint=CONV_HINT,
    contract="with a tuple the answer is a tuple of that length (ints apply to every dimension)",
)
def _conv_agrees_tuples(ctx: CheckContext) -> None:
    # Dilation 1: what a dilation does is the dilation check's property.
    @ctx.given(conv_configs(dims_from=(1, 2, 3), dilations=(1, 1)), max_examples=15)
    def _(case: tuple[tuple, dict]) -> None:
        _conv_case(ctx, *case)


DILATION_HINT = (
    "a kernel of size k with dilation d has d - 1 gaps between its taps, so it covers "
    "d * (k - 1) + 1 input positions: out = floor((n + 2p - d * (k - 1) - 1) / s) + 1. The "
    "course notes' formula (n - k + 2p) / s + 1 is only right for d = 1."
)


@conv_output_size.check(
    "dilation: a kernel of size k with dilation d covers d * (k - 1) + 1 positions",
    2,
    hint=DILATION_HINT,
    contract=(
        "the output size `floor((n + 2p - d(k - 1) - 1) / s) + 1`, the size `nn.Conv1d/2d/3d` "
        "produce."
    ),
)
def _conv_dilation(ctx: CheckContext) -> None:
    cases = (
        ((10, 3), {"dilation": 2}),
        ((28, 3, 1, 2, 2), {}),
        ((32, 5, 2, 0, 3), {}),
        (((16, 16), (3, 3)), {"dilation": (1, 2)}),
        ((9, 2), {"stride": 2, "dilation": 4}),
    )
    for args, kwargs in cases:
        _conv_case(ctx, args, kwargs, DILATION_HINT)

    @ctx.given(conv_configs(dilations=(2, 4)), max_examples=15)
    def _(case: tuple[tuple, dict]) -> None:
        _conv_case(ctx, *case, DILATION_HINT)


@conv_output_size.check(
    "raises ValueError exactly where nn.Conv1d/2d/3d refuse the arguments",
    3,
    hint="sizes, stride and dilation must be at least 1, padding at least 0, and the "
    "dilated kernel d * (k - 1) + 1 must fit in the padded input n + 2p (else the output "
    "would be empty): raise ValueError in all these cases.",
    contract=(
        "`ValueError` for sizes, strides or dilations below 1, negative padding, tuples of "
        "different lengths, or an output below 1."
    ),
)
def _conv_errors(ctx: CheckContext) -> None:
    # The zero edges first: an empty input that padding would fill, a zero stride or dilation.
    for args in ((0, 1, 1, 1, 1), (5, 1, 0, 0, 1), (1, 1, 1, 0, 0)):
        _conv_case(ctx, args, {}, refusals_only=True)

    @ctx.given(conv_configs(broken=True), max_examples=30)
    def _(case: tuple[tuple, dict]) -> None:
        _conv_case(ctx, *case, refusals_only=True)


TUPLE_HINT = (
    "if any argument is a tuple, the result is a tuple of that length, and an int argument "
    "applies to every dimension; tuples of different lengths are an error (ValueError)."
)


@conv_output_size.check(
    "tuples: one size per dimension, ints apply to every dimension, ValueError for "
    "tuples of different lengths",
    2,
    hint=TUPLE_HINT,
    contract="with a tuple the answer is a tuple of that length (ints apply to every dimension)",
)
def _conv_tuples(ctx: CheckContext) -> None:
    cases = (
        ((28, 28), 5, 1, 2),
        ((32, 24), (3, 5), (1, 2), (0, 1), 1),
        ((7,), 3),
        (9, (3,)),
        (12, 3, (2, 1), 1, 1),
        ((8, 9, 10), 3, 1, (0, 1, 2), 1),
    )
    for args in cases:
        _conv_case(ctx, args, {}, TUPLE_HINT)
    mismatched = (
        ((28, 28), (3, 3, 3)),
        ((28, 28, 28), 3, (1, 1)),
        ((28,), 3, 1, (1, 1)),
        (10, (3, 3), 1, 0, (1,)),
    )
    for args in mismatched:
        ctx.expect_raises(ValueError, *args, why="when tuple arguments have different lengths")


@conv_output_size.check(
    "returns a Python int when every argument is an int (rounding down, like PyTorch)",
    1,
    hint="PyTorch rounds the division down: use // (floor division); / gives a float such "
    "as 13.5. With int arguments return an int, not a tuple or a tensor.",
    contract="else a Python int.",
)
def _conv_type(ctx: CheckContext) -> None:
    for args in ((28, 3), (28, 3, 1, 1), (28, 3, 2), (28, 5, 2, 2), (7, 2, 2), (224, 11, 4, 2)):
        expected = torch_conv_output(*args)
        got = ctx.call(*args)
        text = ctx.input_text(*args)
        if type(got) is not int:
            ctx.fail(
                "the result should be a Python int",
                input=text,
                expected=expected,
                got=f"{describe(got)} ({type(got).__name__})",
            )
        expect_size(ctx, got, expected, text, CONV_HINT)


# ---------------------------------------------------------------------------------------
# pool_output_size
# ---------------------------------------------------------------------------------------
pool_output_size = assignment.exercise(
    "pool_output_size",
    forbidden=(
        "torch.nn.MaxPool1d",
        "torch.nn.AvgPool1d",
        "torch.nn.functional.max_pool1d",
        "torch.nn.functional.max_pool1d_with_indices",
        "torch.nn.functional.avg_pool1d",
        "torch.max_pool1d",
        "torch.max_pool1d_with_indices",
        "torch.avg_pool1d",
    ),
)

POOL_HINT = (
    "stride=None means stride = kernel_size; the windows are placed like a convolution's: "
    "floor((n + 2p - d * (k - 1) - 1) / s) + 1 (ceil instead of floor with ceil_mode=True)."
)
POOL_CEIL_HINT = (
    "with ceil_mode=True the division rounds up: a last window that hangs over the right "
    "edge still counts. stride=None means stride = kernel_size; the windows are placed like "
    "a convolution's: floor((n + 2p - d * (k - 1) - 1) / s) + 1 (ceil instead of floor with "
    "ceil_mode=True)."
)
CEIL_HINT = (
    "with ceil_mode=True round the division up, then drop the last window if it would "
    "start in the right padding: if (out - 1) * s >= n + p: out -= 1 (PyTorch's rule)."
)


def _span(k: int, d: int) -> int:
    return d * (k - 1) + 1


def _naive_ceil(n: int, k: int, s: int, p: int, d: int) -> int:
    return -(-(n + 2 * p - _span(k, d)) // s) + 1


def _last_window_bites(n: int, k: int, s: int | None, p: int, d: int) -> bool:
    """Whether rounding up alone would add a window that starts in the right padding."""
    s = k if s is None else s
    return (_naive_ceil(n, k, s, p, d) - 1) * s >= n + p


@st.composite
def pool_configs(
    draw: st.DrawFn,
    ceil_mode: bool | None = None,
    broken: bool = False,
    stride: str = "any",
) -> tuple[tuple, dict]:
    """``(args, kwargs)`` for pool_output_size; valid for MaxPool1d unless ``broken``.

    ``stride``: ``"explicit"`` (an int), ``"default"`` (None or left out) or ``"any"``.
    """
    k = draw(st.integers(1, 6))
    d = draw(st.integers(1, 3))
    p = draw(st.integers(0, k // 2))
    strides = {
        "any": st.one_of(st.none(), st.integers(1, 5)),
        "explicit": st.integers(1, 5),
        "default": st.none(),
    }[stride]
    s = draw(strides)
    n = draw(st.integers(max(1, _span(k, d) - 2 * p), _span(k, d) + 12))
    ceil = draw(st.booleans()) if ceil_mode is None else ceil_mode
    values = {"input_size": n, "kernel_size": k, "stride": s, "padding": p, "dilation": d}
    if broken:
        # The interesting refusals first: the window does not fit, too much padding.
        kind = draw(st.sampled_from(("too small", "padding", *ARGUMENTS[1:3], "dilation")))
        kind = draw(st.sampled_from((kind, "input_size"))) if kind == "dilation" else kind
        # A window fits nowhere when it is longer than the padded input (plus, with
        # ceil_mode, the stride - 1 positions a last window may hang over the end).
        room = n + 2 * p + ((k if s is None else s) - 1 if ceil else 0)
        if kind == "too small":
            name = draw(st.sampled_from(("input_size", "kernel_size", "dilation")))
            values[name] = {
                "input_size": n - (room - _span(k, d)) - 1 - draw(st.integers(0, 1)),
                "kernel_size": (room - 1) // d + 2,
                "dilation": (room - 1) // max(k - 1, 1) + 1,
            }[name]
        elif kind == "padding":
            values["padding"] = draw(st.sampled_from((k // 2 + 1, k, -1)))
        else:
            values[kind] = draw(st.sampled_from((0, -1)))
    if ceil:
        values["ceil_mode"] = True
    if draw(st.booleans()) and values["stride"] is None:
        values.pop("stride")  # leave the default out
    args = []
    if draw(st.booleans()):  # positional while no argument is left out, keywords after
        for name in (*ARGUMENTS, "ceil_mode"):
            if name not in values:
                break
            args.append(values.pop(name))
    return tuple(args), values


def _pool_case(
    ctx: CheckContext, args: tuple, kwargs: dict, hint: str = POOL_HINT, refusals_only=False
) -> None:
    _size_case(
        ctx, args, kwargs, hint, refusals_only, truth=torch_pool_output, layer="nn.MaxPool1d"
    )


@pool_output_size.check(
    "agrees with the output length of nn.MaxPool1d (ceil_mode=False)",
    3,
    hint=POOL_HINT,
    contract="the output length of `nn.MaxPool1d` with these arguments",
)
def _pool_agrees(ctx: CheckContext) -> None:
    # Explicit strides: what stride=None means is the default-stride check's property.
    @ctx.given(pool_configs(ceil_mode=False, stride="explicit"), max_examples=10)
    def _(case: tuple[tuple, dict]) -> None:
        _pool_case(ctx, *case)


@pool_output_size.check(
    "ceil_mode=True rounds up, like nn.MaxPool1d",
    2,
    hint=POOL_CEIL_HINT,
    contract=(
        "`ceil_mode` included: the last window must start inside the input or its left padding."
    ),
)
def _pool_ceil(ctx: CheckContext) -> None:
    # Configurations where the last-window rule does not matter: that has its own check.
    # Explicit strides: what stride=None means is the default-stride check's property.
    plain = pool_configs(ceil_mode=True, stride="explicit").filter(
        lambda case: not _last_window_bites(*_pool_values(*case))
    )

    @ctx.given(plain, max_examples=25)
    def _(case: tuple[tuple, dict]) -> None:
        _pool_case(ctx, *case)


def _pool_values(args: tuple, kwargs: dict) -> tuple[int, int, int | None, int, int]:
    values = dict(zip((*ARGUMENTS, "ceil_mode"), args)) | kwargs
    return (
        values["input_size"],
        values["kernel_size"],
        values.get("stride"),
        values.get("padding", 0),
        values.get("dilation", 1),
    )


def _last_window_cases() -> list[tuple[int, int, int, int, int]]:
    """Small ``(n, k, s, p, d)`` where rounding up alone adds a window in the right padding."""
    cases = []
    for n in range(1, 13):
        for k in range(2, 6):
            for s in range(2, 5):
                for p in range(1, k // 2 + 1):
                    for d in (1, 2):
                        if n + 2 * p >= _span(k, d) and _last_window_bites(n, k, s, p, d):
                            cases.append((n, k, s, p, d))
    return cases


LAST_WINDOW_CASES = _last_window_cases()


@pool_output_size.check(
    "ceil_mode: the last window must start inside the input or its left padding",
    2,
    hint=CEIL_HINT,
    contract=(
        "`ceil_mode` included: the last window must start inside the input or its left padding."
    ),
)
def _pool_last_window(ctx: CheckContext) -> None:
    for n, k, s, p, d in ((5, 2, 2, 1, 1), (4, 3, 3, 1, 1)):
        _pool_case(ctx, (n, k, s, p, d, True), {}, CEIL_HINT)

    @ctx.given(st.sampled_from(LAST_WINDOW_CASES), max_examples=10)
    def _(case: tuple[int, int, int, int, int]) -> None:
        n, k, s, p, d = case
        _pool_case(
            ctx, (n, k), {"stride": s, "padding": p, "dilation": d, "ceil_mode": True}, CEIL_HINT
        )


DEFAULT_STRIDE_HINT = "stride=None means stride = kernel_size."


@pool_output_size.check(
    "stride=None (the default) means stride = kernel_size",
    1,
    hidden=True,
    hint="pooling windows are side by side by default: if stride is None, use "
    "stride = kernel_size (not 1).",
    contract="(`stride=None` means the kernel size)",
)
def _pool_default_stride(ctx: CheckContext) -> None:
    for args, kwargs in (
        ((28, 2), {}),
        ((9, 3), {"stride": None}),
        ((9, 4), {"padding": 1, "ceil_mode": True}),
        ((13, 3, None, 1, 2), {}),
    ):
        _pool_case(ctx, args, kwargs, DEFAULT_STRIDE_HINT)

    @ctx.given(pool_configs(ceil_mode=False, stride="default"), max_examples=10)
    def _(case: tuple[tuple, dict]) -> None:
        _pool_case(ctx, *case, DEFAULT_STRIDE_HINT)


@pool_output_size.check(
    "raises ValueError exactly where nn.MaxPool1d refuses the arguments",
    3,
    hint="MaxPool1d refuses: kernel size, stride, dilation or input size below 1, negative "
    "padding, padding larger than half the kernel (p > k // 2), and an output size below 1. "
    "Raise ValueError in all these cases.",
    contract="`ValueError` exactly where `MaxPool1d` refuses.",
)
def _pool_errors(ctx: CheckContext) -> None:
    # The zero edges first: an empty input that padding would fill, a zero kernel or dilation.
    for args in ((0, 4, None, 2), (1, 0, 1), (1, 1, None, 0, 0)):
        _pool_case(ctx, args, {}, refusals_only=True)

    @ctx.given(pool_configs(broken=True), max_examples=25)
    def _(case: tuple[tuple, dict]) -> None:
        _pool_case(ctx, *case, refusals_only=True)


# ---------------------------------------------------------------------------------------
# corr2d
# ---------------------------------------------------------------------------------------
corr2d = assignment.exercise(
    "corr2d",
    forbidden=(
        "torch.nn.functional.conv1d",
        "torch.nn.functional.conv2d",
        "torch.nn.functional.conv3d",
        "torch.nn.functional.conv_transpose1d",
        "torch.nn.functional.conv_transpose2d",
        "torch.nn.functional.conv_transpose3d",
        "torch.conv1d",
        "torch.conv2d",
        "torch.conv3d",
        "torch.conv_transpose1d",
        "torch.conv_transpose2d",
        "torch.conv_transpose3d",
        "torch.convolution",
        "torch.nn.Conv1d",
        "torch.nn.Conv2d",
        "torch.nn.Conv3d",
    ),
)

CORR_HINT = (
    "Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum() for every position where the kernel fits: "
    "Y has shape (h - kh + 1, w - kw + 1), and K is not flipped (cross-correlation). Create "
    "Y with the inputs' dtype and device."
)
EDGES_HINT = (
    "at an edge from 1 to 0 the result is 1, from 0 to 1 it is -1, elsewhere 0. "
    "Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum() for every position where the kernel fits: "
    "Y has shape (h - kh + 1, w - kw + 1), and K is not flipped (cross-correlation). Create "
    "Y with the inputs' dtype and device."
)


@st.composite
def corr2d_cases(draw: st.DrawFn) -> tuple[torch.Tensor | Placed, torch.Tensor]:
    h, w = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    kh, kw = draw(st.integers(1, h)), draw(st.integers(1, w))
    dtype = draw(st.sampled_from(FLOAT_DTYPES))
    if dtype in (torch.float16, torch.bfloat16):
        # Small integers: every product and partial sum is exact, in any order.
        X = draw(tensors((h, w), torch.int64, -2, 2)).to(dtype)
        K = draw(tensors((kh, kw), torch.int64, -2, 2)).to(dtype)
    else:
        X, K = draw(tensors((h, w), dtype, -2, 2)), draw(tensors((kh, kw), dtype, -2, 2))
    if w > 1 and draw(st.booleans()):
        return Placed(X, "cpu", contiguous=False), K
    return X, K


def _corr2d_tolerance(dtype: torch.dtype, terms: int) -> float:
    """A bound on the rounding error of a sum of ``terms`` products of entries in [-2, 2]."""
    if dtype in (torch.float16, torch.bfloat16):
        return 0.0  # integer data: exact
    return 4.0 * terms * terms * torch.finfo(dtype).eps


def _coarser(a: torch.dtype, b: torch.dtype) -> torch.dtype:
    """Of two floating dtypes, the one with the larger rounding error."""
    if not (a.is_floating_point and b.is_floating_point):
        return a
    return a if torch.finfo(a).eps >= torch.finfo(b).eps else b


@corr2d.check(
    "agrees with the cross-correlation on generated shapes and dtypes",
    3,
    hint=CORR_HINT,
    contract=(
        "`corr2d(X, K)` -> the two-dimensional cross-correlation of a matrix with a kernel, of "
        "shape `(h - kh + 1, w - kw + 1)`"
    ),
)
def _corr2d_agrees(ctx: CheckContext) -> None:
    """Values within the rounding of the dtype returned: the dtype has a check of its own."""

    @ctx.given(corr2d_cases(), max_examples=10)
    def _(case: tuple[torch.Tensor | Placed, torch.Tensor]) -> None:
        X, K = case
        plain = X.tensor if isinstance(X, Placed) else X
        exact = ctx.reference.corr2d(plain.double(), K.double())
        got = ctx.call(X, K)
        dtype = plain.dtype
        if isinstance(got, TransportedTensor):
            dtype = _coarser(plain.dtype, got.dtype)
        atol = _corr2d_tolerance(dtype, K.numel())
        expected = exact.to(dtype)
        text = ctx.input_text(X, K)
        expect_tensor(
            got, expected, input=text, rtol=0, atol=atol, check_dtype=False, hint=CORR_HINT
        )


@corr2d.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint="make the result with dtype=torch.result_type(X, K) (or build it from X and K): "
    "torch.zeros(shape) alone is float32.",
    contract=KEEPS_DTYPE,
)
def _corr2d_dtype(ctx: CheckContext) -> None:
    K = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
    for dtype in FLOAT_DTYPES:
        X = torch.arange(12.0).reshape(3, 4).to(dtype)
        got = ctx.call(X, K.to(dtype))
        text = ctx.input_text(X, K.to(dtype))
        expect_tensor(got, X, input=text, judging="dtype")


@corr2d.check(
    "d2l's example: the kernel [[1, -1]] finds the vertical edges of an image",
    1,
    hint=EDGES_HINT,
    contract=(
        "`corr2d(X, K)` -> the two-dimensional cross-correlation of a matrix with a kernel, of "
        "shape `(h - kh + 1, w - kw + 1)`"
    ),
)
def _corr2d_edges(ctx: CheckContext) -> None:
    X = torch.ones((6, 8))
    X[:, 2:6] = 0
    K = torch.tensor([[1.0, -1.0]])
    for image in (X, X.t().contiguous()):
        expected = ctx.reference.corr2d(image, K)
        expect_tensor(ctx.call(image, K), expected, input=ctx.input_text(image, K), hint=None)


@corr2d.check(
    "is differentiable: gradients reach K and X",
    2,
    hint="build the result from X and K with tensor operations only: no .item(), "
    ".detach(), .data or torch.tensor(...) of partial results.",
    contract="differentiable in `K` (d2l learns an edge detector with it) and in `X`.",
)
def _corr2d_grad(ctx: CheckContext) -> None:
    # float32, the default dtype: a wrong dtype costs points in the agreement check only.
    X = torch.linspace(-1, 1, 30).reshape(5, 6)
    K = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    expect_gradients(ctx, X, K, grad_of=(0, 1))


EDGE_KERNEL = torch.tensor([[1.0, -1.0]], dtype=torch.float64)
LEARN_STEPS, LEARN_RATE = 40, 3e-2


@corr2d.check(
    "learns d2l's edge kernel: gradient descent through corr2d recovers [[1, -1]]",
    2,
    hint="the gradient of the loss with respect to K must be exact, so that gradient "
    "descent can learn the kernel (d2l 6.2.4): compute Y from X and K with differentiable "
    "tensor operations, and do not flip K.",
    contract="differentiable in `K` (d2l learns an edge detector with it)",
)
def _corr2d_learns(ctx: CheckContext) -> None:
    """d2l's experiment: X is an image with a dark stripe, Y its edges found with [[1, -1]];
    40 steps of gradient descent (learning rate 0.03) on ``((corr2d(X, K) - Y) ** 2).sum()``
    from ``K = [[0.3, 0.7]]`` through the student's corr2d, in the runner.  With a correct
    corr2d the loss is a convex quadratic in K and K ends within 1e-4 of [[1, -1]].
    """
    X = torch.ones((6, 8), dtype=torch.float64)
    X[:, 2:6] = 0
    Y = ctx.reference.corr2d(X, EDGE_KERNEL)
    K0 = torch.tensor([[0.3, 0.7]], dtype=torch.float64)
    text = (
        f"{LEARN_STEPS} steps K -= {LEARN_RATE} * grad of ((corr2d(X, K) - Y) ** 2).sum(), "
        f"from K = [[0.3, 0.7]], X = {describe(X)}, Y = corr2d(X, [[1, -1]])"
    )
    answer = ctx.probe(
        X,
        Y,
        K0,
        probe=probe_name("cnn", "learn_kernel"),
        options={"lr": LEARN_RATE, "steps": LEARN_STEPS},
    )
    learned = answer.get("result")
    if learned is None:
        ctx.fail(
            T(
                "no gradient reached K (at step {step}), so K cannot be learned",
                step=answer.get("stopped_at"),
            ),
            input=text,
        )
    if not isinstance(learned, TransportedTensor) or learned.values is None:
        ctx.fail("the runner's answer could not be read", input=text)
    if tuple(learned.shape) != (1, 2) or not torch.allclose(
        learned.values.double(), EDGE_KERNEL, rtol=0, atol=1e-3
    ):
        ctx.fail(
            "gradient descent through your corr2d did not recover the edge kernel",
            input=text,
            expected="K ≈ [[1, -1]] (within 0.001)",
            got=f"K = {describe(learned.values)}",
        )


@corr2d.check(
    "raises ValueError for inputs that are not 2-D or a kernel larger than the input",
    2,
    hint="check X.dim() == 2 and K.dim() == 2, and kh <= h and kw <= w, before computing; "
    "raise ValueError (a too large kernel must not silently give an empty result).",
    contract="`ValueError` when either is not a matrix or the kernel is larger than the input.",
)
def _corr2d_errors(ctx: CheckContext) -> None:
    X = torch.arange(12.0).reshape(3, 4)
    cases = (
        (X, torch.ones(4, 1), phrase("when the kernel has more rows than the input")),
        (X, torch.ones(2, 5), phrase("when the kernel has more columns than the input")),
        (X, torch.ones(4, 5), phrase("when the kernel is larger than the input")),
        (X.reshape(12), torch.ones(2, 2), phrase("when X is not 2-D")),
        (X.reshape(1, 3, 4), torch.ones(2, 2), phrase("when X is not 2-D")),
        (torch.ones(2, 3, 4), torch.ones(2, 2), phrase("when X is not 2-D")),
        (torch.ones(2, 2, 3, 4), torch.ones(2, 2), phrase("when X is not 2-D")),
        (X, torch.ones(2), phrase("when K is not 2-D")),
        (X, torch.ones(1, 2, 2), phrase("when K is not 2-D")),
    )  # an empty kernel is not among them: the contract asks nothing of it (see corr2d_unfold)
    for X_, K_, why in cases:
        ctx.expect_raises(ValueError, X_, K_, why=why)


@corr2d.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _corr2d_device(ctx: CheckContext) -> None:
    X = torch.linspace(-1, 1, 20, dtype=torch.float64).reshape(4, 5)
    K = torch.tensor([[1.0, 0.5], [-0.5, 2.0]], dtype=torch.float64)
    expect_device_portable(ctx, X, K)
