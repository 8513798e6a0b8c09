"""Checks for ``softmax_regression.py``: softmax, cross_entropy, stable_cross_entropy.

Expected values come from the reference run in float64 on the same (dtype-rounded) inputs,
then rounded to the input's dtype.  Tolerances follow the conditioning of the problem: an
error of one rounding of the inputs (``eps * |x|``) moves ``exp(x)`` by a relative
``eps * |x|``, so a correct float32 solution on inputs near 1e4 may be off by about 1e-3
relative, and one on inputs near 10 by about 1e-6 (see :func:`tolerance`).
"""

from __future__ import annotations

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors
from autograder.grading.context import CheckContext
from autograder.grading.contract import INPUTS_UNCHANGED, KEEPS_DTYPE, STAYS_ON_DEVICE
from autograder.grading.expect import expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    expect_device_portable,
    expect_gradients,
    expect_inputs_unchanged,
)
from autograder.i18n import T, phrase

assignment = Assignment("softmax_regression")

SOFTMAX_FORBIDDEN = (
    "torch.softmax",
    "torch.Tensor.softmax",
    "torch.nn.functional.softmax",
    "torch.nn.Softmax",
    "torch.special.softmax",
    "torch.log_softmax",
    "torch.Tensor.log_softmax",
    "torch.nn.functional.log_softmax",
    "torch.nn.LogSoftmax",
    "torch.special.log_softmax",
    "torch.nn.functional.softmin",
    "torch.nn.Softmin",
    "torch.nn.Softmax2d",
)
CROSS_ENTROPY_FORBIDDEN = (
    "torch.nn.functional.cross_entropy",
    "torch.nn.functional.nll_loss",
    "torch.nn.CrossEntropyLoss",
    "torch.nn.NLLLoss",
)
LOGSUMEXP_FORBIDDEN = ("torch.logsumexp", "torch.Tensor.logsumexp", "torch.special.logsumexp")
LOW_PRECISION = (torch.float16, torch.bfloat16)


def tolerance(dtype: torch.dtype, magnitude: float) -> dict[str, float]:
    """``rtol``/``atol`` for a result computed from inputs of size up to ``magnitude``.

    Subtracting the maximum and rounding the inputs cost a few ``eps * |x|`` in the
    exponent, i.e. a relative error of that size in every probability.
    """
    eps = torch.finfo(dtype).eps
    return {"rtol": eps * (4 * magnitude + 8), "atol": eps}


def magnitude(x: torch.Tensor) -> float:
    finite = x[torch.isfinite(x)]
    return float(finite.abs().max()) if finite.numel() else 0.0


def in_dtype(reference, x: torch.Tensor, *args):
    """The reference's answer for ``x``, computed in float64 and rounded to ``x.dtype``."""
    return reference(x.to(torch.float64), *args).to(x.dtype)


def finite_where_expected(got: object, expected: torch.Tensor) -> bool:
    """False if ``got`` holds nan or inf where ``expected`` is finite (other faults: True,
    for the shape and value comparisons to report)."""
    if not isinstance(got, TransportedTensor) or got.values is None:
        return True
    if got.values.shape != expected.shape:
        return True
    return bool(torch.isfinite(got.values[torch.isfinite(expected)]).all())


# ---------------------------------------------------------------------------------------
# softmax
# ---------------------------------------------------------------------------------------
softmax = assignment.exercise("softmax", forbidden=SOFTMAX_FORBIDDEN)

SOFTMAX_HINT = (
    "exponentiate, then divide by the sum along dim: "
    "X_exp / X_exp.sum(dim, keepdim=True), after subtracting the maximum along dim."
)
OVERFLOW_HINT = (
    "exp overflows: torch.exp(x) is inf once x > 88.7 in float32 (709.8 in float64), and "
    "inf / inf = nan. Softmax is shift invariant, softmax(X - c) == softmax(X) for any c "
    "that is constant along dim, so subtract the maximum along dim first: "
    "X - X.amax(dim, keepdim=True). Then every exponent is <= 0, the largest term is "
    "exp(0) = 1, and nothing overflows (nor does every term underflow to 0)."
)


@st.composite
def softmax_cases(draw: st.DrawFn, dtypes=FLOAT_DTYPES, bound: float = 10.0, rows: bool = False):
    """(x, dim, contiguous): any shape and dim, or (with ``rows``) matrices and dim=-1."""
    if rows:
        shape = [draw(st.integers(1, 5)), draw(st.integers(1, 6))]
        dim = -1
    else:
        shape = list(draw(shapes(min_dims=1, max_dims=4, min_side=0, max_side=5)))
        dim = draw(st.integers(-len(shape), len(shape) - 1))
        shape[dim] = max(shape[dim], 1)  # a softmax over an empty dimension is not asked for
    dtype = draw(st.sampled_from(dtypes))
    limit = 4.0 if dtype in LOW_PRECISION else bound
    x = draw(tensors(tuple(shape), dtype, -limit, limit))
    return x, dim, draw(st.booleans())


def expect_softmax(
    ctx: CheckContext, got, x: torch.Tensor, *args, hint: str, check_dtype: bool = True
) -> None:
    """``got`` is softmax(x, *args): finite where it should be, then close in value.

    ``check_dtype=False`` leaves the dtype to the checks about it, so that a function that
    returns float64 loses those points only."""
    expected = in_dtype(ctx.reference.softmax, x, *args)
    text = ctx.input_text(x, *args)
    if not finite_where_expected(got, expected):
        ctx.fail(
            "the result contains nan or inf where every probability should be finite",
            input=text,
            expected=expected,
            got=got,
            hint=OVERFLOW_HINT,
        )
    expect_tensor(
        got,
        expected,
        input=text,
        hint=hint,
        check_dtype=check_dtype,
        **tolerance(x.dtype, magnitude(x)),
    )


@softmax.check(
    "agrees with torch.softmax on generated inputs (shapes, every dim, dtypes, strides)",
    3,
    hint=SOFTMAX_HINT,
    contract="`softmax(X, dim=-1)` -> the values of `torch.softmax(X, dim)`",
)
def _softmax_agrees(ctx: CheckContext) -> None:
    @ctx.given(softmax_cases(), max_examples=20)
    def _(case) -> None:
        x, dim, contiguous = case
        placed = x if contiguous or x.dim() == 0 else Placed(x, "cpu", contiguous=False)
        expect_softmax(ctx, ctx.call(placed, dim), x, dim, hint=SOFTMAX_HINT)


SHIFT_ROWS = torch.tensor(
    [
        [0.5, -1.25, 3.0, 2.0, -4.0],
        [1.0, 1.0, 1.0, 1.0, 1.0],
        [-3.5, 4.25, 0.0, -0.5, 2.5],
        [2.0, -2.0, 0.75, 4.5, -1.0],
    ],
    dtype=torch.float64,
)
SHIFTS = torch.tensor([[1000.0], [-1000.0], [30.0], [-0.5]], dtype=torch.float64)


@softmax.check(
    "rows sum to 1 and the result is shift invariant (softmax(X + c) == softmax(X))",
    1,
    hint=OVERFLOW_HINT,
    contract="`softmax(X, dim=-1)` -> the values of `torch.softmax(X, dim)`",
)
def _softmax_properties(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        x = SHIFT_ROWS.to(dtype)
        got = ctx.call(x, 1)
        values = got.values if isinstance(got, TransportedTensor) else None
        if values is None or values.shape != x.shape:
            ctx.fail(
                "softmax should return a tensor of X's shape",
                input=ctx.input_text(x, 1),
                got=got,
                hint="one probability per entry of X: divide exp(X - max) by its sums along "
                "dim taken with keepdim=True, which keeps X's shape.",
            )
        sums = values.double().sum(1)
        if not torch.allclose(
            sums, torch.ones_like(sums), rtol=0, atol=20 * torch.finfo(dtype).eps
        ):
            ctx.fail(
                "the rows of softmax(X, dim=1) do not sum to 1",
                input=ctx.input_text(x, 1),
                expected="row sums of 1",
                got=T("row sums {sums}", sums=sums.tolist()),
                hint=SOFTMAX_HINT,
            )
        shifted = (SHIFT_ROWS + SHIFTS).to(dtype)
        moved = ctx.call(shifted, 1)
        text = ctx.input_text(shifted, 1)
        if not finite_where_expected(moved, values):
            ctx.fail(
                "softmax(X + c) is not finite: adding a constant c to every row (here "
                "+1000 and -1000) must not change the probabilities",
                input=text,
                expected=values,
                got=moved,
                hint=OVERFLOW_HINT,
            )
        expect_tensor(
            moved,
            values,
            input=text,
            what="softmax(X + c)",
            check_dtype=False,
            hint=T(
                "softmax(X + c) must equal softmax(X) when c is constant along the row. {hint}",
                hint=phrase(OVERFLOW_HINT),
            ),
            **tolerance(dtype, magnitude(shifted)),
        )


DIM_HINT = (
    "take the max and the sum along `dim` (with keepdim=True), not along a fixed "
    "dimension such as 1: softmax(X, dim=0) normalises every column of a matrix."
)


@softmax.check(
    "the dim argument is honoured for every dimension (and defaults to -1)",
    1,
    hint=DIM_HINT,
    contract="`softmax(X, dim=-1)` -> the values of `torch.softmax(X, dim)`",
)
def _softmax_dim(ctx: CheckContext) -> None:
    x = torch.linspace(-3, 3, 24, dtype=torch.float64).reshape(2, 3, 4).cos() * 4
    for dim in (0, 1, 2, -1, -2, -3):
        got = ctx.call(x, dim=dim)
        expect_tensor(
            got,
            ctx.reference.softmax(x, dim),
            input=ctx.input_text(x, dim=dim),
            hint=DIM_HINT,
        )
    expect_tensor(
        ctx.call(x),
        ctx.reference.softmax(x, -1),
        input=ctx.input_text(x),
        hint="without a dim argument, softmax normalises along the last dimension (dim=-1).",
    )


LARGE = torch.tensor(
    [
        [1e4, 9999.0, 9995.0, -1e4],
        [-1e4, -9998.0, -9999.5, -1e4],
        [0.0, 3000.0, -3000.0, 1e4],
        [1.5, -2.0, 0.25, 3.0],
    ],
    dtype=torch.float64,
)


@softmax.check(
    "stays finite and accurate for inputs up to 1e4 in magnitude (float32 and float64)",
    2,
    hint=OVERFLOW_HINT,
    contract=(
        "finite and accurate for entries as large as 1e4 in magnitude (subtract the maximum first)"
    ),
)
def _softmax_stable(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        for x, dim in ((LARGE.to(dtype), 1),):
            expect_softmax(ctx, ctx.call(x, dim), x, dim, hint=OVERFLOW_HINT, check_dtype=False)

    @ctx.given(softmax_cases((torch.float32, torch.float64), bound=1e4, rows=True), max_examples=10)
    def _(case) -> None:
        x, dim, _contiguous = case
        expect_softmax(ctx, ctx.call(x, dim), x, dim, hint=OVERFLOW_HINT, check_dtype=False)


NEG_INF = float("-inf")
MASKED = torch.tensor(
    [[0.0, NEG_INF, 1.0, 2.0], [NEG_INF, NEG_INF, 5.0, 4.0], [NEG_INF, 2.0, 3.0, NEG_INF]],
    dtype=torch.float64,
)


NEG_INF_HINT = (
    "exp(-inf) = 0, so a -inf entry must get probability 0 while the others share the "
    "rest. Shift by the maximum (finite whenever a row has a finite entry); shifting by "
    "the mean, or clamping the inputs, turns -inf into nan or into a tiny non-zero "
    "probability."
)


@softmax.check(
    "-inf entries (masked-out classes) get probability exactly 0",
    1,
    hint=NEG_INF_HINT,
    hidden=True,
    contract="an entry of `-inf` gets probability 0",
)
def _softmax_neg_inf(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        for x, dim in ((MASKED.to(dtype), 1),):
            got = ctx.call(x, dim)
            text = ctx.input_text(x, dim)
            expected = ctx.reference.softmax(x, dim)
            values = got.values if isinstance(got, TransportedTensor) else None
            if values is not None and values.shape == x.shape:
                masked = values[x == NEG_INF]
                if not bool((masked == 0).all()):
                    ctx.fail(
                        "a -inf entry did not get probability exactly 0",
                        input=text,
                        expected=expected,
                        got=got,
                        hint=NEG_INF_HINT,
                    )
            expect_softmax(ctx, got, x, dim, hint=NEG_INF_HINT, check_dtype=False)


@softmax.check(
    "is differentiable: gradients match torch.softmax's", 1, contract="gradients flow through it."
)
def _softmax_grad(ctx: CheckContext) -> None:
    x = torch.linspace(-2, 3, 12, dtype=torch.float64).reshape(3, 4).sin() * 3
    expect_gradients(ctx, x)
    expect_gradients(ctx, x, dim=1)


SOFTMAX_DTYPE_HINT = (
    "return X's dtype: if you convert to float32 or float64 for accuracy, convert the "
    "result back with .to(X.dtype)."
)


@softmax.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=SOFTMAX_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _softmax_dtype(ctx: CheckContext) -> None:
    # Square: sums that broadcast along the wrong dimension give wrong values, not an error
    # here (the value checks judge them), so only the dtype is judged.
    x = torch.tensor([[0.5, -1.0, 2.0], [3.0, 3.0, -3.0], [1.0, 0.0, -0.5]])
    for dtype in FLOAT_DTYPES:
        xd = x.to(dtype)
        got = ctx.call(xd)
        expect_tensor(got, xd, input=ctx.input_text(xd), judging="dtype", hint=SOFTMAX_DTYPE_HINT)


@softmax.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _softmax_device(ctx: CheckContext) -> None:
    # Square, as in the dtype check: only where the result lives is judged.
    x = torch.tensor(
        [[0.5, -1.0, 2.0], [3.0, NEG_INF, -3.0], [1.0, 0.0, -0.5]], dtype=torch.float64
    )
    expect_device_portable(ctx, x)
    expect_device_portable(ctx, x, 1)


@softmax.check(
    "does not modify its input",
    1,
    hint="X -= X.max(...) or X.exp_() write into the caller's tensor: compute new "
    "tensors instead (X - X_max, torch.exp(...)).",
    contract=INPUTS_UNCHANGED,
)
def _softmax_no_mutation(ctx: CheckContext) -> None:
    # Square, as in the dtype check: only what happens to the input is judged.
    expect_inputs_unchanged(
        ctx, torch.tensor([[1.0, 2.0, 3.0], [0.5, -0.5, 10.0], [4.0, 0.0, 1.0]])
    )
    expect_inputs_unchanged(ctx, torch.tensor([[1.0, 2.0], [0.5, -0.5]]), 1)


# ---------------------------------------------------------------------------------------
# cross_entropy
# ---------------------------------------------------------------------------------------
cross_entropy = assignment.exercise("cross_entropy", forbidden=CROSS_ENTROPY_FORBIDDEN)

PICK_HINT = (
    "for every row i take the predicted probability of the true class, y_hat[i, y[i]] "
    "(y_hat[range(N), y] pairs row i with label y[i]), and return -log of it: one loss "
    "per example."
)
SHAPE_HINT = (
    "return one loss per example, a vector of shape (N,): no .mean() or .sum() (the "
    "training loop averages), and not y_hat[:, y], which takes every label for every row "
    "(an N x N matrix). Pair row i with label y[i]: y_hat[range(N), y]."
)


def labels(n: int, classes: int) -> st.SearchStrategy[torch.Tensor]:
    return tensors((n,), torch.int64, 0, classes - 1)


@st.composite
def probability_cases(draw: st.DrawFn, dtypes=FLOAT_DTYPES):
    n, classes = draw(st.integers(0, 6)), draw(st.integers(1, 6))
    logits = draw(tensors((n, classes), torch.float64, -5.0, 5.0))
    y_hat = torch.softmax(logits, dim=1).to(draw(st.sampled_from(dtypes)))
    return y_hat, draw(labels(n, classes))


def expect_losses(ctx, got, inputs, reference, *, hint: str, rtol=None, atol=None) -> None:
    x, y = inputs
    expected = in_dtype(reference, x, y)
    eps = torch.finfo(x.dtype).eps
    expect_tensor(
        got,
        expected,
        input=ctx.input_text(x, y),
        hint=SHAPE_HINT
        if isinstance(got, TransportedTensor) and got.shape != expected.shape
        else hint,
        rtol=8 * eps if rtol is None else rtol,
        atol=2 * eps if atol is None else atol,
    )


@cross_entropy.check(
    "agrees with -log(y_hat[i, y[i]]) on generated inputs (sizes, dtypes)",
    3,
    hint=PICK_HINT,
    contract="`cross_entropy(y_hat, y)` -> the vector `-log(y_hat[i, y[i]])`",
)
def _cross_entropy_agrees(ctx: CheckContext) -> None:
    @ctx.given(probability_cases(), max_examples=10)
    def _(case) -> None:
        expect_losses(ctx, ctx.call(*case), case, ctx.reference.cross_entropy, hint=PICK_HINT)


SQUARE_CASE = (
    torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5], [0.7, 0.2, 0.1]], dtype=torch.float64),
    torch.tensor([0, 2, 1]),
)
WIDE_CASE = (
    torch.tensor([[0.25, 0.25, 0.5, 0.0], [0.1, 0.2, 0.3, 0.4]], dtype=torch.float64),
    torch.tensor([2, 0]),
)


def expect_loss_vector(ctx: CheckContext, case: tuple[torch.Tensor, torch.Tensor]) -> None:
    """Only the shape: one loss per example (the values are other checks' business)."""
    got = ctx.call(*case)
    n = len(case[1])
    if not isinstance(got, TransportedTensor) or tuple(got.shape) != (n,):
        shape = (
            T("shape {shape}", shape=tuple(got.shape))
            if isinstance(got, TransportedTensor)
            else None
        )
        ctx.fail(
            "the result should be a vector of one loss per example",
            input=ctx.input_text(*case),
            expected=T("a tensor of shape {shape}", shape=f"({n},)"),
            got=shape or got,
            hint=SHAPE_HINT,
        )


ONE_ROW = (torch.tensor([[0.2, 0.8]], dtype=torch.float64), torch.tensor([1]))


@cross_entropy.check(
    "returns one loss per example: a vector of shape (N,)",
    1,
    hint=SHAPE_HINT,
    contract="`cross_entropy(y_hat, y)` -> the vector `-log(y_hat[i, y[i]])`",
)
def _cross_entropy_shape(ctx: CheckContext) -> None:
    for case in (SQUARE_CASE, WIDE_CASE, ONE_ROW):
        expect_loss_vector(ctx, case)


def bad_shape_cases() -> list[tuple[torch.Tensor, torch.Tensor]]:
    probabilities = torch.full((3, 4), 0.25)
    return [
        (torch.tensor([0.1, 0.9]), torch.tensor([1])),  # y_hat is a vector
        (torch.tensor([0.1, 0.9]), torch.tensor([1, 0])),  # a vector as long as y
        (torch.full((2, 3, 4), 0.25), torch.tensor([0, 1])),  # y_hat has 3 dimensions
        (probabilities, torch.tensor([0, 1])),  # fewer labels than rows
        (probabilities, torch.tensor([0, 1, 2, 3])),  # more labels than rows
    ]


BAD_SHAPE_HINT = (
    "check the shapes before computing: raise ValueError (not assert, which raises "
    "AssertionError) if y_hat.dim() != 2 or len(y) != len(y_hat)."
)


@cross_entropy.check(
    "raises ValueError for bad shapes",
    2,
    hint=BAD_SHAPE_HINT,
    contract="`ValueError` when `y_hat` is not a matrix or the lengths differ.",
)
def _cross_entropy_errors(ctx: CheckContext) -> None:
    for y_hat, y in bad_shape_cases():
        ctx.expect_raises(ValueError, y_hat, y, why="when y_hat is not 2-D or len(y) != len(y_hat)")


@cross_entropy.check(
    "is differentiable in y_hat", 1, contract="differentiable in `y_hat`. `ValueError`"
)
def _cross_entropy_grad(ctx: CheckContext) -> None:
    expect_gradients(ctx, *SQUARE_CASE)
    expect_gradients(ctx, *WIDE_CASE)


LOSS_DTYPE_HINT = (
    "return the input's dtype: no .float() / .double() on the inputs or the result "
    "(or convert the result back with .to(dtype))."
)


@cross_entropy.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=LOSS_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _cross_entropy_dtype(ctx: CheckContext) -> None:
    y_hat, y = SQUARE_CASE
    for dtype in FLOAT_DTYPES:
        case = (y_hat.to(dtype), y)
        got = ctx.call(*case)
        expect_tensor(
            got, case[0], input=ctx.input_text(*case), judging="dtype", hint=LOSS_DTYPE_HINT
        )


@cross_entropy.check(
    "keeps the device (default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _cross_entropy_device(ctx: CheckContext) -> None:
    """No ``meta`` tier: picking with a boolean mask or a loop over the labels is correct
    but needs the labels' values, which a meta tensor does not have."""
    expect_device_portable(ctx, *SQUARE_CASE, meta=False)


@cross_entropy.check(
    "does not modify its inputs",
    1,
    hint="y_hat.clamp_(...) or y_hat.log_() write into the caller's tensor: use the "
    "out-of-place versions (y_hat.clamp(...), torch.log(...)).",
    contract=INPUTS_UNCHANGED,
)
def _cross_entropy_no_mutation(ctx: CheckContext) -> None:
    y_hat = torch.tensor([[0.0, 0.3, 0.7], [0.5, 0.5, 0.0]], dtype=torch.float64)
    expect_inputs_unchanged(ctx, y_hat, torch.tensor([2, 0]))
    expect_inputs_unchanged(ctx, *SQUARE_CASE)


# ---------------------------------------------------------------------------------------
# stable_cross_entropy
# ---------------------------------------------------------------------------------------
stable_cross_entropy = assignment.exercise(
    "stable_cross_entropy",
    forbidden=SOFTMAX_FORBIDDEN + CROSS_ENTROPY_FORBIDDEN + LOGSUMEXP_FORBIDDEN,
)

LSE_HINT = (
    "loss_i = log(sum_k exp(o_ik)) - o_i,y[i], and log(sum_k exp(o_k)) = m + log(sum_k "
    "exp(o_k - m)) with m the row's maximum (the log-sum-exp trick)."
)
STABLE_HINT = (
    "compute the loss from the logits with the log-sum-exp trick: "
    "m = logits.amax(1, keepdim=True); log(sum(exp(logits))) = m + log(sum(exp(logits - m))). "
    "Taking softmax first and log afterwards fails: the probability of a badly wrong class "
    "underflows to 0 and -log(0) = inf; exp(logits) without the shift overflows to inf."
)


@st.composite
def logit_cases(draw: st.DrawFn, dtypes=FLOAT_DTYPES, bound: float = 10.0):
    n, classes = draw(st.integers(0, 6)), draw(st.integers(1, 6))
    dtype = draw(st.sampled_from(dtypes))
    limit = 4.0 if dtype in LOW_PRECISION else bound
    logits = draw(tensors((n, classes), dtype, -limit, limit))
    return logits, draw(labels(n, classes))


def expect_stable(ctx: CheckContext, got, case, *, hint: str) -> None:
    logits, y = case
    eps = torch.finfo(logits.dtype).eps
    # The loss is a difference of numbers of size |logits|: its error is absolute.
    atol = eps * (4 * magnitude(logits) + 8)
    expected = in_dtype(ctx.reference.stable_cross_entropy, logits, y)
    if not finite_where_expected(got, expected):
        ctx.fail(
            "the losses contain inf or nan where the true loss is finite",
            input=ctx.input_text(logits, y),
            expected=expected,
            got=got,
            hint=STABLE_HINT,
        )
    expect_losses(
        ctx, got, case, ctx.reference.stable_cross_entropy, hint=hint, rtol=4 * eps, atol=atol
    )


@stable_cross_entropy.check(
    "agrees with F.cross_entropy(logits, y, reduction='none') on generated inputs",
    3,
    hint=LSE_HINT,
    contract='`stable_cross_entropy(logits, y)` -> `F.cross_entropy(logits, y, reduction="none")`',
)
def _stable_agrees(ctx: CheckContext) -> None:
    @ctx.given(logit_cases(), max_examples=10)
    def _(case) -> None:
        expect_stable(ctx, ctx.call(*case), case, hint=LSE_HINT)


LARGE_LOGITS = torch.tensor(
    [
        [1e4, -1e4, 0.0, 9999.5],
        [-1e4, -9998.5, -9990.0, -1e4],
        [0.0, 5000.0, -5000.0, 1.0],
        [3.0, 2.0, 1.0, 0.0],
    ],
    dtype=torch.float64,
)
LARGE_LABELS = torch.tensor([1, 0, 2, 0])


@stable_cross_entropy.check(
    "stays finite and accurate for logits up to 1e4 in magnitude",
    3,
    hint=STABLE_HINT,
    contract="finite for logits up to 1e4 in magnitude",
)
def _stable_large(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        case = (LARGE_LOGITS.to(dtype), LARGE_LABELS)
        expect_stable(ctx, ctx.call(*case), case, hint=STABLE_HINT)

    @ctx.given(logit_cases((torch.float32, torch.float64), bound=1e4), max_examples=10)
    def _(case) -> None:
        expect_stable(ctx, ctx.call(*case), case, hint=STABLE_HINT)


@stable_cross_entropy.check(
    "returns one loss per example: a vector of shape (N,)",
    1,
    hint=SHAPE_HINT,
    contract='`stable_cross_entropy(logits, y)` -> `F.cross_entropy(logits, y, reduction="none")`',
)
def _stable_shape(ctx: CheckContext) -> None:
    for y_hat, y in (SQUARE_CASE, WIDE_CASE, ONE_ROW):
        expect_loss_vector(ctx, (torch.log(y_hat + 0.1) * 3, y))


@stable_cross_entropy.check(
    "raises ValueError for bad shapes",
    1,
    hint="raise ValueError (not assert) if logits.dim() != 2 or len(y) != len(logits).",
    contract="Same `ValueError`s as `cross_entropy`.",
)
def _stable_errors(ctx: CheckContext) -> None:
    for logits, y in bad_shape_cases():
        ctx.expect_raises(
            ValueError, logits, y, why="when logits is not 2-D or len(y) != len(logits)"
        )


@stable_cross_entropy.check(
    "is differentiable: gradients match F.cross_entropy's",
    1,
    contract="differentiable in `logits`.",
)
def _stable_grad(ctx: CheckContext) -> None:
    logits = torch.linspace(-4, 4, 12, dtype=torch.float64).reshape(3, 4).cos() * 5
    expect_gradients(ctx, logits, torch.tensor([0, 3, 1]))
    expect_gradients(ctx, LARGE_LOGITS, LARGE_LABELS)


@stable_cross_entropy.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=LOSS_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _stable_dtype(ctx: CheckContext) -> None:
    logits = torch.tensor([[1.0, -2.0, 0.5], [3.0, 3.0, -1.0]])
    for dtype in FLOAT_DTYPES:
        case = (logits.to(dtype), torch.tensor([2, 0]))
        got = ctx.call(*case)
        expect_tensor(
            got, case[0], input=ctx.input_text(*case), judging="dtype", hint=LOSS_DTYPE_HINT
        )


@stable_cross_entropy.check(
    "keeps the device (default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _stable_device(ctx: CheckContext) -> None:
    """No ``meta`` tier, as for cross_entropy."""
    expect_device_portable(ctx, LARGE_LOGITS, LARGE_LABELS, meta=False)


@stable_cross_entropy.check(
    "does not modify its inputs",
    1,
    hint="logits -= m (or other in-place operations) write into the caller's tensor: "
    "compute logits - m instead.",
    contract=INPUTS_UNCHANGED,
)
def _stable_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, LARGE_LOGITS, LARGE_LABELS)
