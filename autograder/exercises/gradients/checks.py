"""Checks for ``gradients.py``: activation_grad, softmax_jacobian, cross_entropy_grad,
huber_loss.

The ground truth is autograd in float64, in the judge (this folder's ``oracle.py``, in the
instructor's grader and the kit alike): the derivative of ``torch.sigmoid``,
``torch.tanh``, ``F.relu``, ``F.leaky_relu``, ``torch.softmax`` and ``F.cross_entropy`` at
the input's values, and ``F.huber_loss`` for Huber's values.  In the runner, autograd is
refused in every form (:data:`autograder.exercises.by_hand.AUTOGRAD`): the derivatives
must be written by hand.

Every value is compared twice: with the input in float64, and in the input's own dtype
(float16, bfloat16 or float32), against the float64 truth rounded to that dtype.  The
tolerances follow from the dtype's machine epsilon ``eps`` (``torch.finfo(dtype).eps``), as
``|got - expected| <= atol + rtol * |expected|``:

- activation derivatives (at most 1 in size, a few roundings, ``1 - σ`` and ``1 - tanh²``
  losing up to one ``eps`` absolutely): ``rtol = atol = 8 eps``;
- softmax's probabilities from inputs of size up to ``m``: rounding ``a - max(a)`` costs a
  relative ``eps * m`` in each ``exp``: ``rtol = eps (4 m + 2 n + 8)``, ``atol = 4 eps``;
- the cross-entropy, a difference of numbers of size ``m``: ``atol = eps (4 m + 8)``
  absolute; its gradient, probabilities over ``N``: ``rtol = eps (4 m + 2 C + 8)``,
  ``atol = 4 eps / N``;
- Huber's loss, a square or a product of a few roundings: ``rtol = 8 eps``,
  ``atol = 8 tiny`` (``finfo.tiny``: results below it are subnormal).

In float64 these are within a few 1e-15 (relative): finite differences do not pass, a
formula written out does.  A failing check names the mistake where its values show which
(a sign, a missing ``1/N``, ``- 1/2`` kept for every ``delta``).  Nothing is random.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.exercises.by_hand import AUTOGRAD
from autograder.exercises.gradients import oracle as autograd_truth
from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors
from autograder.grading.context import CheckContext, describe
from autograder.grading.contract import ANY_DEVICE, INPUTS_UNCHANGED, KEEPS_DTYPE, STAYS_ON_DEVICE
from autograder.grading.expect import as_tensor, expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    expect_device_portable,
    expect_gradients,
    expect_inputs_unchanged,
)
from autograder.i18n import T, phrase

assignment = Assignment("gradients")

LOW_PRECISION = (torch.float16, torch.bfloat16)
OTHER_DTYPES = (torch.float16, torch.bfloat16, torch.float32)


def eps(dtype: torch.dtype) -> float:
    return torch.finfo(dtype).eps


def magnitude(x: torch.Tensor) -> float:
    return float(x.abs().max()) if x.numel() else 0.0


def both_precisions(x: torch.Tensor, dtype: torch.dtype) -> list[torch.Tensor]:
    """The input in float64, then in ``dtype`` (values rounded to it)."""
    return [x.to(torch.float64), x.to(dtype)]


def diagnosis(got: Any, candidates: Sequence[tuple[torch.Tensor, str]], default: str) -> str:
    """The hint of the first known mistake whose values ``got`` has, else ``default``."""
    values = as_tensor(got)
    if values is None:
        return default
    for wrong, hint in candidates:
        if values.shape == wrong.shape and bool(
            torch.isclose(values.double(), wrong.double(), rtol=1e-2, atol=1e-6).all()
        ):
            return hint
    return default


def tuple_parts(ctx: CheckContext, got: Any, count: int, text: str, hint: str) -> tuple:
    """``got`` as a tuple of ``count`` results, or fail saying what came back."""
    if not isinstance(got, tuple) or len(got) != count:
        ctx.fail(
            T("the result should be a tuple of {count} tensors", count=count),
            input=text,
            got=describe(got),
            hint=hint,
        )
    return got


def expect_finite(
    ctx: CheckContext, got: Any, expected: torch.Tensor, text: Any, hint: str, what: str
) -> None:
    """Stability alone: no inf or nan where the truth is finite (the values are the
    agreement checks' business)."""
    values = as_tensor(got)
    if values is None or values.shape != expected.shape:
        return  # the shape and value checks judge that
    if not bool(torch.isfinite(values[torch.isfinite(expected)]).all()):
        ctx.fail(
            T("{what} holds inf or nan where the true values are finite", what=what),
            input=text,
            expected=expected,
            got=got,
            hint=hint,
        )


# ---------------------------------------------------------------------------------------
# activation_grad
# ---------------------------------------------------------------------------------------
activation_grad = assignment.exercise("activation_grad", forbidden=AUTOGRAD)


def activation_tolerance(dtype: torch.dtype) -> dict[str, float]:
    return {"rtol": 8 * eps(dtype), "atol": 8 * eps(dtype)}


@st.composite
def activation_inputs(draw: st.DrawFn, nonzero: bool = False) -> tuple[torch.Tensor, Any, bool]:
    """(X in float64, a lower dtype, contiguous): any shape (0-dim and empty too), |x| <= 12
    (<= 6 in float16 and bfloat16, where σ' underflows soon); with ``nonzero``, no exact 0."""
    dtype = draw(st.sampled_from(OTHER_DTYPES))
    limit = 6.0 if dtype in LOW_PRECISION else 12.0
    shape = draw(shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    x = draw(tensors(shape, torch.float64, -limit, limit))
    if nonzero:
        x = torch.where(x.to(dtype) == 0, torch.full_like(x, 0.5), x)
    return x, dtype, draw(st.booleans())


def expect_derivative(
    ctx: CheckContext,
    x: torch.Tensor,
    name: str,
    hint: str,
    mistakes: Callable[[torch.Tensor], Sequence[tuple[torch.Tensor, str]]] = lambda _: (),
    contiguous: bool = True,
    **kwargs: Any,
) -> None:
    """The student's derivative at ``x`` is autograd's, in ``x``'s dtype and tolerance."""
    expected = autograd_truth.activation_grad(x, name, **kwargs)
    got = ctx.call(x if contiguous or x.dim() == 0 else Placed(x, contiguous=False), name, **kwargs)
    expect_tensor(
        got,
        expected,
        input=ctx.input_text(x, name, **kwargs),
        check_dtype=False,
        hint=diagnosis(got, mistakes(expected), hint),
        **activation_tolerance(x.dtype),
    )


SIGMOID_HINT = "σ'(x) = σ(x) (1 - σ(x)): compute σ once (torch.sigmoid) and use it in both factors."


def compare_on_generated(
    ctx: CheckContext, name: str, hint: str, sign_hint: str | None = None, nonzero: bool = False
) -> None:
    """``name``'s derivative on generated inputs, at float64 and at the input's dtype; a
    result of the opposite sign is explained by ``sign_hint``.  ``nonzero``: no input at
    exactly 0 (where ReLU's derivative is a check of its own)."""

    def opposite_sign(want: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
        return [(-want, phrase(sign_hint))] if sign_hint is not None else []

    @ctx.given(activation_inputs(nonzero=nonzero), max_examples=10)
    def _(case) -> None:
        x, dtype, contiguous = case
        for xd in both_precisions(x, dtype):
            expect_derivative(ctx, xd, name, hint, opposite_sign, contiguous=contiguous)


SIGMOID_SIGN_HINT = (
    "the sign is wrong: σ increases everywhere, so σ'(x) = σ(x) (1 - σ(x)) > 0. "
    "σ (σ - 1) and -σ (1 - σ) are its negatives; e^x / (1 + e^{-x})^2 has the wrong "
    "sign in the exponent (the notes: e^{-x} / (1 + e^{-x})^2)."
)
TANH_HINT = "tanh'(x) = 1 - tanh(x)^2: compute tanh once (torch.tanh) and square it."
TANH_SIGN_HINT = (
    "the sign is wrong: tanh increases everywhere, so tanh'(x) = 1 - tanh(x)^2 > 0 "
    "(tanh^2 - 1 is its negative)."
)


@activation_grad.check(
    "sigmoid: agrees with autograd's σ(1 - σ) (float64 and the input's dtype)",
    2,
    hint=SIGMOID_HINT,
    contract='`"sigmoid"` (`σ(1 - σ)`)',
)
def _sigmoid_agrees(ctx: CheckContext) -> None:
    compare_on_generated(ctx, "sigmoid", SIGMOID_HINT, sign_hint=SIGMOID_SIGN_HINT)


@activation_grad.check(
    "tanh: agrees with autograd's 1 - tanh² (float64 and the input's dtype)",
    2,
    hint=TANH_HINT,
    contract='`"tanh"` (`1 - tanh²`)',
)
def _tanh_agrees(ctx: CheckContext) -> None:
    compare_on_generated(ctx, "tanh", TANH_HINT, sign_hint=TANH_SIGN_HINT)


RELU_HINT = (
    "1 where x > 0, 0 where x < 0: comparing with 0 gives a boolean mask; give it X's dtype."
)


@activation_grad.check(
    "relu: 1 where x > 0 and 0 where x < 0",
    1,
    hint=RELU_HINT,
    contract='`"relu"` (1 where `X > 0`, else 0',
)
def _relu_agrees(ctx: CheckContext) -> None:
    compare_on_generated(ctx, "relu", RELU_HINT, nonzero=True)


LEAKY_HINT = (
    "1 where x > 0, negative_slope elsewhere, in X's dtype and on its device. Use the "
    "negative_slope passed in, not 0.01."
)


@activation_grad.check(
    "leaky_relu: 1 where x > 0 and negative_slope where x < 0 (the default 0.01 and others)",
    2,
    hint=LEAKY_HINT,
    contract='`"leaky_relu"` (1 where `X > 0`, else `negative_slope`)',
)
def _leaky_relu_agrees(ctx: CheckContext) -> None:
    @ctx.given(
        activation_inputs(nonzero=True),
        st.sampled_from((None, 0.2, 0.5, 0.03125)),
        max_examples=10,
    )
    def _(case, slope) -> None:
        x, dtype, contiguous = case
        options = {} if slope is None else {"negative_slope": slope}
        for xd in both_precisions(x, dtype):
            expect_derivative(ctx, xd, "leaky_relu", LEAKY_HINT, contiguous=contiguous, **options)


AT_ZERO = torch.tensor([-1.5, 0.0, -0.0, 2.0, 0.0])
AT_ZERO_HINT = (
    "at exactly 0 ReLU has no derivative; the notes write 1 for x >= 0, but autograd "
    "takes 0 there (and negative_slope for leaky_relu), and so does this exercise: compare "
    "with X > 0, not X >= 0."
)


@activation_grad.check(
    "relu and leaky_relu at exactly 0: 0 and negative_slope, as autograd gives",
    1,
    hint=AT_ZERO_HINT,
    contract="0 at exactly 0, as autograd gives",
)
def _relu_at_zero(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        x = AT_ZERO.to(dtype)
        expect_derivative(ctx, x, "relu", AT_ZERO_HINT)
        expect_derivative(ctx, x, "leaky_relu", AT_ZERO_HINT, negative_slope=0.25)


LARGE = torch.tensor([-1e4, -500.0, -100.0, -20.0, 0.0, 20.0, 100.0, 500.0, 1e4])
STABLE_HINT = (
    "compute σ with torch.sigmoid and tanh with torch.tanh, then the formula: "
    "e^{-x} / (1 + e^{-x})^2 is inf / inf = nan for x = -1e4 (e^{1e4} overflows), and "
    "(e^x - e^{-x}) / (e^x + e^{-x}) is nan for large |x|."
)


@activation_grad.check(
    "sigmoid and tanh: finite for |x| up to 1e4",
    1,
    hint=STABLE_HINT,
    hidden=True,
    contract="finite for `|X|` up to 1e4",
)
def _activation_stable(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        x = LARGE.to(dtype)
        for name in ("sigmoid", "tanh"):
            expected = autograd_truth.activation_grad(x, name)
            got = ctx.call(x, name)
            expect_finite(ctx, got, expected, ctx.input_text(x, name), STABLE_HINT, "the result")


DTYPE_HINT = (
    "return X's dtype: (X > 0).float() is float32 whatever X is; use .to(X.dtype), "
    "torch.ones_like(X), torch.full_like(X, ...)."
)
SAMPLE = torch.tensor([[-2.0, -0.5, 0.0], [0.5, 1.0, 3.0]])


@activation_grad.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _activation_dtype(ctx: CheckContext) -> None:
    for dtype in FLOAT_DTYPES:
        x = SAMPLE.to(dtype)
        for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
            got = ctx.call(x, name)
            expect_tensor(got, x, input=ctx.input_text(x, name), judging="dtype", hint=DTYPE_HINT)


NAME_HINT = (
    "after the four names, raise ValueError(...) (not return None); check that X is a "
    "floating-point tensor first: if not X.is_floating_point(): raise ValueError(...)."
)


@activation_grad.check(
    "raises ValueError for an unknown name and a non-floating X",
    1,
    hint=NAME_HINT,
    contract="`ValueError` for another name and for an `X` that is not floating-point.",
)
def _activation_errors(ctx: CheckContext) -> None:
    for name in ("Sigmoid", "ReLU", "softmax", "elu", ""):
        ctx.expect_raises(ValueError, SAMPLE, name, why="for a name it does not know")
    for x in (torch.tensor([[-2, 0, 3]]), torch.tensor([True, False])):
        ctx.expect_raises(ValueError, x, "relu", why="for an X that is not floating-point")


@activation_grad.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=ANY_DEVICE
)
def _activation_device(ctx: CheckContext) -> None:
    for name in ("sigmoid", "relu", "leaky_relu"):
        expect_device_portable(ctx, SAMPLE, name, against="self")


@activation_grad.check(
    "does not modify its input",
    1,
    hint="X.sigmoid_(), X.clamp_(...) or X[X <= 0] = ... write into the caller's tensor: "
    "compute new tensors.",
    contract=INPUTS_UNCHANGED,
)
def _activation_no_mutation(ctx: CheckContext) -> None:
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        expect_inputs_unchanged(ctx, SAMPLE, name)


# ---------------------------------------------------------------------------------------
# softmax_jacobian
# ---------------------------------------------------------------------------------------
softmax_jacobian = assignment.exercise("softmax_jacobian", forbidden=AUTOGRAD)


def softmax_tolerance(dtype: torch.dtype, a: torch.Tensor) -> dict[str, float]:
    e = eps(dtype)
    return {"rtol": e * (4 * magnitude(a) + 2 * len(a) + 8), "atol": 4 * e}


def jacobian_mistakes(a: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    p = torch.softmax(a.to(torch.float64), dim=0)
    truth = autograd_truth.softmax_jacobian(a.to(torch.float64))
    return [
        (-truth, phrase(JACOBIAN_SIGN_HINT)),
        (p.unsqueeze(1) * (1 - p.unsqueeze(0)), phrase(JACOBIAN_DELTA_HINT)),
        (-torch.outer(p, p), phrase(JACOBIAN_DELTA_HINT)),
    ]


JACOBIAN_HINT = (
    "J[i, j] = p_i (δ_ij - p_j) with p the softmax of a: p on the diagonal, minus the outer "
    "product of p with itself."
)
JACOBIAN_SIGN_HINT = (
    "the signs are swapped: the diagonal p_i (1 - p_i) is positive (raising a_i raises "
    "p_i), the rest -p_i p_j negative."
)
JACOBIAN_DELTA_HINT = (
    "one formula for every entry misses Kronecker's δ_ij: p_i (1 - p_j) holds on the "
    "diagonal (i == j) only, -p_i p_j off it; together J[i, j] = p_i (δ_ij - p_j)."
)


@st.composite
def vectors(draw: st.DrawFn) -> tuple[torch.Tensor, Any]:
    dtype = draw(st.sampled_from(OTHER_DTYPES))
    limit = 4.0 if dtype in LOW_PRECISION else 10.0
    n = draw(st.integers(1, 6))
    return draw(tensors((n,), torch.float64, -limit, limit)), dtype


def expect_jacobian(ctx: CheckContext, a: torch.Tensor, hint: str) -> Any:
    expected = autograd_truth.softmax_jacobian(a)
    got = ctx.call(a)
    expect_tensor(
        got,
        expected,
        input=ctx.input_text(a),
        check_dtype=False,
        hint=diagnosis(got, jacobian_mistakes(a), hint),
        **softmax_tolerance(a.dtype, a),
    )
    return got


@softmax_jacobian.check(
    "agrees with autograd's Jacobian of softmax (float64 and the input's dtype)",
    3,
    hint=JACOBIAN_HINT,
    contract="the `(n, n)` Jacobian of softmax, `J[i, j] = p_i (δ_ij - p_j)`",
)
def _jacobian_agrees(ctx: CheckContext) -> None:
    @ctx.given(vectors(), max_examples=10)
    def _(case) -> None:
        a, dtype = case
        for ad in both_precisions(a, dtype):
            expect_jacobian(ctx, ad, JACOBIAN_HINT)


JACOBIAN_SUMS_HINT = (
    "the probabilities always sum to 1, so their changes sum to 0: Σ_i ∂p_i/∂a_j = 0 for "
    "every j. J[i, j] = p_i (δ_ij - p_j) has that; check the δ_ij and the signs."
)


@softmax_jacobian.check(
    "every column sums to 0 (the probabilities always sum to 1)",
    1,
    hint=JACOBIAN_SUMS_HINT,
    contract="`J[i, j] = p_i (δ_ij - p_j)`",
)
def _jacobian_sums(ctx: CheckContext) -> None:
    for a in (torch.tensor([0.5, -1.0, 2.0, 0.0]), torch.tensor([3.0, 1.0]), torch.tensor([7.0])):
        a = a.to(torch.float64)
        got = as_tensor(ctx.call(a))
        text = ctx.input_text(a)
        if got is None or got.shape != (len(a), len(a)):
            ctx.fail(
                "cannot judge the sums: the result is not an (n, n) tensor (see the other checks)",
                input=text,
                got=describe(ctx.call(a)),
                hint="return the Jacobian as an (n, n) tensor for an a of length n: J[i, j] "
                "= dp_i / da_j.",
            )
        sums = got.to(torch.float64).sum(dim=0)
        if not bool((sums.abs() <= 1e-12).all()):
            ctx.fail(
                "the columns of the Jacobian do not sum to 0",
                input=text,
                expected="sums of 0 (within 1e-12)",
                got=T("column sums {sums}", sums=describe(sums)),
            )


LARGE_LOGITS = (
    torch.tensor([1e4, -1e4, 0.0]),
    torch.tensor([1000.0, 999.0, -5.0]),
    torch.tensor([-800.0, -801.0]),
)
JACOBIAN_STABLE_HINT = (
    "exp overflows: torch.exp(1e4) is inf, and inf / inf = nan. Take p from "
    "torch.softmax(a, dim=0), or subtract the maximum first: torch.exp(a - a.max())."
)


@softmax_jacobian.check(
    "finite for entries up to 1e4",
    1,
    hint=JACOBIAN_STABLE_HINT,
    contract="finite for `|a|` up to 1e4",
)
def _jacobian_stable(ctx: CheckContext) -> None:
    for a in LARGE_LOGITS:
        for dtype in (torch.float32, torch.float64):
            ad = a.to(dtype)
            expected = autograd_truth.softmax_jacobian(ad)
            got = ctx.call(ad)
            expect_finite(
                ctx, got, expected, ctx.input_text(ad), JACOBIAN_STABLE_HINT, "the result"
            )


@softmax_jacobian.check(
    "an empty a gives a (0, 0) result",
    1,
    hint="n = len(a) = 0: torch.diag of an empty vector is (0, 0) already; avoid a.max() "
    "(it fails on an empty tensor) or guard it.",
    contract="an empty `a` gives `(0, 0)`.",
)
def _jacobian_empty(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        a = torch.zeros(0, dtype=dtype)
        expect_tensor(ctx.call(a), torch.zeros(0, 0, dtype=dtype), input=ctx.input_text(a))


@softmax_jacobian.check(
    "raises ValueError if a is not 1-D",
    1,
    hint="check first: if a.dim() != 1: raise ValueError(...) (a matrix would need one "
    "Jacobian per row).",
    contract="`ValueError` if `a` is not 1-D.",
)
def _jacobian_errors(ctx: CheckContext) -> None:
    for a in (torch.tensor(1.5), torch.ones(2, 3), torch.ones(1, 1, 2)):
        ctx.expect_raises(ValueError, a, why="for an a that is not 1-D")


JACOBIAN_DTYPE_HINT = (
    "return a's dtype: a helper made with torch.zeros(n, n) or torch.eye(n) is float32 "
    "unless you pass dtype=a.dtype (or use torch.diag(p), torch.outer(p, p))."
)


@softmax_jacobian.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=JACOBIAN_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _jacobian_dtype(ctx: CheckContext) -> None:
    for dtype in FLOAT_DTYPES:
        a = torch.tensor([0.5, -1.0, 2.0], dtype=dtype)
        got = ctx.call(a)
        expect_tensor(got, a, input=ctx.input_text(a), judging="dtype", hint=JACOBIAN_DTYPE_HINT)


@softmax_jacobian.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=ANY_DEVICE
)
def _jacobian_device(ctx: CheckContext) -> None:
    expect_device_portable(ctx, torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64), against="self")


@softmax_jacobian.check(
    "does not modify its input",
    1,
    hint="a -= a.max() or a.exp_() write into the caller's tensor: compute new tensors "
    "(a - a.max(), torch.exp(...)).",
    contract=INPUTS_UNCHANGED,
)
def _jacobian_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, torch.tensor([0.5, -1.0, 2.0, 4.0]))


# ---------------------------------------------------------------------------------------
# cross_entropy_grad
# ---------------------------------------------------------------------------------------
CROSS_ENTROPY_FORBIDDEN = (
    "torch.nn.functional.cross_entropy",
    "torch.nn.functional.nll_loss",
    "torch.nn.CrossEntropyLoss",
    "torch.nn.NLLLoss",
    "torch._C._nn.cross_entropy_loss",
    "torch._C._nn.nll_loss",
    "torch._C._nn.nll_loss_nd",
    "torch._C._nn.nll_loss2d",
    "torch.log_softmax",
    "torch._log_softmax",
    "torch.Tensor.log_softmax",
    "torch.nn.functional.log_softmax",
    "torch.special.log_softmax",
    "torch.nn.LogSoftmax",
    "torch.logsumexp",
    "torch.Tensor.logsumexp",
    "torch.special.logsumexp",
)
cross_entropy_grad = assignment.exercise(
    "cross_entropy_grad", forbidden=AUTOGRAD + CROSS_ENTROPY_FORBIDDEN
)

LOSS_HINT = (
    "loss_i = logsumexp(o_i) - o_i[y_i] with logsumexp(o) = m + log(sum(exp(o - m))), m "
    "the row's maximum; return the mean over the rows."
)
MINUS_HINT = (
    "the sign is wrong: the cross-entropy is -log(p_y), positive because a probability's "
    "log is negative (the notes' H(p, q) = Σ p log q lacks its minus sign)."
)
SUM_HINT = "that is the sum over the rows: the loss is their mean (divide by N)."
GRAD_HINT = (
    "the gradient of the mean loss: (softmax(logits) - one_hot(y)) / N, one row per "
    "example, each row summing to 0."
)
GRAD_N_HINT = (
    "that is the gradient of the sum over the rows: the loss is their mean, so divide by "
    "N: (softmax(logits) - one_hot(y)) / N."
)
GRAD_SIGN_HINT = (
    "the sign is wrong: raising the true class's logit lowers the loss, so its entry is "
    "p_y - 1 < 0: softmax(logits) - one_hot(y), not one_hot(y) - softmax(logits)."
)
GRAD_ONE_HOT_HINT = (
    "subtract one_hot(y): the true class's entry of each row is (p_y - 1) / N, the others p_k / N."
)
UNDERFLOW_HINT = (
    "torch.log(torch.softmax(o)) underflows: the probability of a badly wrong class is "
    "0 in floating point and log(0) = -inf. Write the log-probability as o - logsumexp(o), "
    "with logsumexp(o) = m + log(sum(exp(o - m))) and m the row's maximum."
)
OVERFLOW_HINT = (
    "exp(1e4) overflows to inf, and inf / inf = nan: take the probabilities from "
    "torch.softmax(logits, dim=1), or subtract each row's maximum before exp."
)


def cross_entropy_tolerances(
    dtype: torch.dtype, logits: torch.Tensor
) -> tuple[dict[str, float], dict[str, float]]:
    e, m = eps(dtype), magnitude(logits)
    n, classes = logits.shape
    loss = {"rtol": 4 * e, "atol": e * (4 * m + 8)}
    grad = {"rtol": e * (4 * m + 2 * classes + 8), "atol": 4 * e / n}
    return loss, grad


@st.composite
def classification(draw: st.DrawFn, bound: float = 10.0) -> tuple[torch.Tensor, ...]:
    """(logits in float64, labels, a lower dtype): 1 to 5 rows, 1 to 5 classes."""
    dtype = draw(st.sampled_from(OTHER_DTYPES))
    limit = 4.0 if dtype in LOW_PRECISION else bound
    n, classes = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    logits = draw(tensors((n, classes), torch.float64, -limit, limit))
    y = draw(tensors((n,), torch.int64, 0, classes - 1))
    return logits, y, dtype


def loss_and_grad(ctx: CheckContext, logits: torch.Tensor, y: torch.Tensor) -> tuple:
    got = ctx.call(logits, y)
    text = ctx.input_text(logits, y)
    return tuple_parts(
        ctx, got, 2, text, phrase("return loss, grad: a tuple of two tensors.")
    ), text


def expect_loss(ctx: CheckContext, logits: torch.Tensor, y: torch.Tensor, hint: str) -> None:
    (got, _), text = loss_and_grad(ctx, logits, y)
    expected = autograd_truth.cross_entropy_grad(logits, y)[0]
    tolerance = cross_entropy_tolerances(logits.dtype, logits)[0]
    mistakes = [(-expected, phrase(MINUS_HINT))]
    if len(y) > 1:
        mistakes.append((expected * len(y), phrase(SUM_HINT)))
    expect_tensor(
        got,
        expected,
        input=text,
        what="the loss",
        check_dtype=False,
        hint=diagnosis(got, mistakes, hint),
        **tolerance,
    )


def expect_grad(ctx: CheckContext, logits: torch.Tensor, y: torch.Tensor, hint: str) -> None:
    (_, got), text = loss_and_grad(ctx, logits, y)
    expected = autograd_truth.cross_entropy_grad(logits, y)[1]
    tolerance = cross_entropy_tolerances(logits.dtype, logits)[1]
    probabilities = torch.softmax(logits.to(torch.float64), dim=1)
    mistakes = [
        (-expected, phrase(GRAD_SIGN_HINT)),
        (probabilities / len(y), phrase(GRAD_ONE_HOT_HINT)),
    ]
    if len(y) > 1:
        mistakes.append((expected * len(y), phrase(GRAD_N_HINT)))
    expect_tensor(
        got,
        expected,
        input=text,
        what="the gradient",
        check_dtype=False,
        hint=diagnosis(got, mistakes, hint),
        **tolerance,
    )


@cross_entropy_grad.check(
    "the loss agrees with the mean cross-entropy (float64 and the logits' dtype)",
    2,
    hint=LOSS_HINT,
    contract="the mean cross-entropy of `(N, C)` logits against `(N,)` integer labels",
)
def _ce_loss_agrees(ctx: CheckContext) -> None:
    @ctx.given(classification(), max_examples=10)
    def _(case) -> None:
        logits, y, dtype = case
        for ld in both_precisions(logits, dtype):
            expect_loss(ctx, ld, y, LOSS_HINT)


@cross_entropy_grad.check(
    "the gradient agrees with autograd's (softmax(logits) - one_hot(y)) / N "
    "(float64 and the logits' dtype)",
    2,
    hint=GRAD_HINT,
    contract="its gradient `(softmax(logits) - one_hot(y)) / N`",
)
def _ce_grad_agrees(ctx: CheckContext) -> None:
    @ctx.given(classification(), max_examples=10)
    def _(case) -> None:
        logits, y, dtype = case
        for ld in both_precisions(logits, dtype):
            expect_grad(ctx, ld, y, GRAD_HINT)


HUGE = (
    (torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]]), torch.tensor([1, 1])),
    (torch.tensor([[2000.0, 0.0], [0.0, -2000.0], [100.0, 200.0]]), torch.tensor([1, 0, 0])),
)


@cross_entropy_grad.check(
    "the loss stays finite for logits up to 1e4",
    1,
    hint=UNDERFLOW_HINT,
    contract="both finite for logits up to 1e4.",
)
def _ce_loss_stable(ctx: CheckContext) -> None:
    for logits, y in HUGE:
        for dtype in (torch.float32, torch.float64):
            ld = logits.to(dtype)
            (loss, _), text = loss_and_grad(ctx, ld, y)
            expected = autograd_truth.cross_entropy_grad(ld, y)[0]
            expect_finite(ctx, loss, expected, text, UNDERFLOW_HINT, "the loss")


@cross_entropy_grad.check(
    "the gradient stays finite for logits up to 1e4",
    1,
    hint=OVERFLOW_HINT,
    contract="both finite for logits up to 1e4.",
)
def _ce_grad_stable(ctx: CheckContext) -> None:
    for logits, y in HUGE:
        for dtype in (torch.float32, torch.float64):
            ld = logits.to(dtype)
            (_, grad), text = loss_and_grad(ctx, ld, y)
            expected = autograd_truth.cross_entropy_grad(ld, y)[1]
            expect_finite(ctx, grad, expected, text, OVERFLOW_HINT, "the gradient")


SMALL = (
    torch.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], dtype=torch.float64),
    torch.tensor([2, 0]),
)
SHAPES_HINT = (
    "return (loss, grad): loss = the mean, a 0-dim tensor (no keepdim, no [N] vector); grad "
    "of the logits' shape (N, C)."
)


@cross_entropy_grad.check(
    "returns (loss, grad): a 0-dim loss and a gradient shaped like the logits",
    1,
    hint=SHAPES_HINT,
    contract="`cross_entropy_grad(logits, y)` -> `(loss, grad)`",
)
def _ce_shapes(ctx: CheckContext) -> None:
    for logits, y in (SMALL, (torch.tensor([[0.3, -0.2]]), torch.tensor([0]))):
        (loss, grad), text = loss_and_grad(ctx, logits, y)
        for part, shape, what in (
            (loss, (), "the loss"),
            (grad, tuple(logits.shape), "the gradient"),
        ):
            if not isinstance(part, TransportedTensor) or tuple(part.shape) != shape:
                ctx.fail(
                    T("{what} has the wrong shape", what=what),
                    input=text,
                    expected=T("shape {shape}", shape=shape),
                    got=T("shape {shape}", shape=tuple(part.shape))
                    if isinstance(part, TransportedTensor)
                    else describe(part),
                    hint=SHAPES_HINT,
                )


@cross_entropy_grad.check(
    "raises ValueError for shapes that do not fit and labels outside [0, C)",
    1,
    hint="check first: logits.dim() == 2, y.dim() == 1, len(y) == len(logits) >= 1, and "
    "0 <= y < C (a label of C or -1 would index another class, or fail with IndexError).",
    contract="`ValueError` if the shapes do not fit or a label is outside `[0, C)`.",
)
def _ce_errors(ctx: CheckContext) -> None:
    logits = torch.zeros(3, 4)
    for bad_logits, y, why in (
        (torch.zeros(4), torch.tensor([1]), "for 1-D logits"),
        (logits, torch.tensor([0, 1]), "when y has fewer labels than logits has rows"),
        (logits, torch.tensor([[0], [1], [2]]), "for a 2-D y"),
        (torch.zeros(0, 4), torch.zeros(0, dtype=torch.int64), "for N = 0"),
        (logits, torch.tensor([0, 4, 1]), "for a label equal to C"),
        (logits, torch.tensor([0, -1, 1]), "for a negative label"),
    ):
        ctx.expect_raises(ValueError, bad_logits, y, why=why)


CE_DTYPE_HINT = (
    "return the logits' dtype for both: a one-hot made with torch.zeros(N, C) or "
    "F.one_hot(y) (int64) turns the result float32 or fails; use torch.zeros_like(logits) "
    "or .to(logits.dtype)."
)


@cross_entropy_grad.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=CE_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _ce_dtype(ctx: CheckContext) -> None:
    logits, y = SMALL
    for dtype in FLOAT_DTYPES:
        (loss, grad), text = loss_and_grad(ctx, logits.to(dtype), y)
        for part in (loss, grad):
            expect_tensor(part, logits.to(dtype), input=text, judging="dtype", hint=CE_DTYPE_HINT)


@cross_entropy_grad.check(
    "keeps the device (default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _ce_device(ctx: CheckContext) -> None:
    """The meta tier is skipped where the labels are checked (a meta tensor has no values)."""
    expect_device_portable(ctx, *SMALL, against="self")


@cross_entropy_grad.check(
    "does not modify its inputs",
    1,
    hint="logits -= logits.max(...) or logits.exp_() write into the caller's tensor: "
    "compute new tensors.",
    contract=INPUTS_UNCHANGED,
)
def _ce_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, *SMALL)


@cross_entropy_grad.check(
    "each row of the gradient sums to 0",
    1,
    hidden=True,
    hint="softmax's row sums to 1 and one_hot(y)'s row too: their difference sums to 0. "
    "Check the one-hot (one 1 per row, at the label).",
    contract="its gradient `(softmax(logits) - one_hot(y)) / N`",
)
def _ce_rows_sum_to_zero(ctx: CheckContext) -> None:
    logits, y = SMALL
    (_, grad), text = loss_and_grad(ctx, logits, y)
    values = as_tensor(grad)
    if values is None or values.dim() != 2:
        ctx.fail(
            "cannot judge the sums: the gradient is not a matrix",
            input=text,
            got=grad,
            hint="the gradient has the logits' shape (N, C): one row per example.",
        )
    sums = values.to(torch.float64).sum(dim=1)
    if not bool((sums.abs() <= 1e-12).all()):
        ctx.fail(
            "the rows of the gradient do not sum to 0",
            input=text,
            expected="sums of 0 (within 1e-12)",
            got=T("row sums {sums}", sums=describe(sums)),
        )


# ---------------------------------------------------------------------------------------
# huber_loss
# ---------------------------------------------------------------------------------------
huber_loss = assignment.exercise(
    "huber_loss",
    forbidden=AUTOGRAD
    + (
        "torch.nn.functional.huber_loss",
        "torch.nn.functional.smooth_l1_loss",
        "torch.nn.HuberLoss",
        "torch.nn.SmoothL1Loss",
        "torch._C._nn.huber_loss",
        "torch._C._nn.smooth_l1_loss",
    ),
)

HUBER_HINT = (
    "with r = y_hat - y: r² / 2 where |r| <= delta, delta * (|r| - delta / 2) elsewhere "
    "(torch.where chooses per element): one loss per element, no mean."
)
HALF_HINT = (
    "the notes' |r| - 1/2 is Huber's loss for delta = 1 only: in general the linear part is "
    "delta * (|r| - delta / 2), which meets r^2 / 2 at |r| = delta (both delta^2 / 2)."
)
ABS_HINT = "beyond delta the loss grows with |r|, on both sides: use torch.abs(r) there."


def huber_tolerance(dtype: torch.dtype) -> dict[str, float]:
    return {"rtol": 8 * eps(dtype), "atol": 8 * torch.finfo(dtype).tiny}


@st.composite
def residuals(draw: st.DrawFn) -> tuple[torch.Tensor, torch.Tensor, Any]:
    """(y_hat, y in float64, a lower dtype): any shape, residuals within [-6, 6]."""
    dtype = draw(st.sampled_from(OTHER_DTYPES))
    shape = draw(shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    y = draw(tensors(shape, torch.float64, -3.0, 3.0))
    r = draw(tensors(shape, torch.float64, -6.0, 6.0))
    return y + r, y, dtype


def huber_mistakes(y_hat: torch.Tensor, y: torch.Tensor, delta: float) -> list:
    r = (y_hat - y).to(torch.float64)
    inside = r.abs() <= delta
    quadratic = autograd_truth.huber_loss(r, torch.zeros_like(r), delta)  # right where inside
    return [
        (torch.where(inside, quadratic, delta * (r.abs() - 0.5)), phrase(HALF_HINT)),
        (torch.where(inside, quadratic, r.abs() - 0.5), phrase(HALF_HINT)),
        (torch.where(inside, quadratic, delta * (r - delta / 2)), phrase(ABS_HINT)),
    ]


def expect_huber(
    ctx: CheckContext, y_hat: torch.Tensor, y: torch.Tensor, delta: float | None, hint: str
) -> None:
    options = {} if delta is None else {"delta": delta}
    wanted = 1.0 if delta is None else delta
    expected = autograd_truth.huber_loss(y_hat.to(torch.float64), y.to(torch.float64), wanted).to(
        y_hat.dtype
    )
    got = ctx.call(y_hat, y, **options)
    expect_tensor(
        got,
        expected,
        input=ctx.input_text(y_hat, y, **options),
        check_dtype=False,
        hint=diagnosis(got, huber_mistakes(y_hat, y, wanted), hint) if wanted != 1 else hint,
        **huber_tolerance(y_hat.dtype),
    )


@huber_loss.check(
    "agrees with Huber's loss for delta = 1 (float64 and the inputs' dtype)",
    2,
    hint=HUBER_HINT,
    contract="with `r = y_hat - y`: `r² / 2` where `|r| <= delta`",
)
def _huber_agrees(ctx: CheckContext) -> None:
    @ctx.given(residuals(), max_examples=10)
    def _(case) -> None:
        y_hat, y, dtype = case
        for pair in zip(both_precisions(y_hat, dtype), both_precisions(y, dtype)):
            expect_huber(ctx, *pair, None, HUBER_HINT)


@huber_loss.check(
    "agrees for other deltas: delta * (|r| - delta / 2) beyond delta",
    2,
    hint=HALF_HINT,
    contract="else `delta * (|r| - delta / 2)`",
)
def _huber_deltas(ctx: CheckContext) -> None:
    @ctx.given(residuals(), st.sampled_from((0.5, 2.0, 0.1, 3.0)), max_examples=10)
    def _(case, delta) -> None:
        y_hat, y, dtype = case
        for pair in zip(both_precisions(y_hat, dtype), both_precisions(y, dtype)):
            expect_huber(ctx, *pair, delta, HUBER_HINT)


PAIR = (
    torch.tensor([[0.5, -3.0, 1.0], [2.5, 0.0, -0.25]], dtype=torch.float64),
    torch.tensor([[0.0, 0.0, 2.0], [-1.0, 0.0, 0.5]], dtype=torch.float64),
)


@huber_loss.check(
    "is differentiable: its gradient in y_hat is r clipped to [-delta, delta]",
    1,
    hint="compute with differentiable tensor operations on y_hat (torch.where, torch.abs); "
    "a result built with torch.tensor(...), .item() or .detach() has no gradient.",
    contract="`delta * (|r| - delta / 2)`; differentiable.",
)
def _huber_gradient(ctx: CheckContext) -> None:
    expect_gradients(ctx, *PAIR, seed=3)
    expect_gradients(ctx, *PAIR, seed=4, delta=2.0)


@huber_loss.check(
    "raises ValueError for inputs of different shapes (no broadcasting)",
    1,
    hint="check first: if y_hat.shape != y.shape: raise ValueError(...). Broadcasting a "
    "(N, 1) prediction against (N,) labels silently gives an (N, N) loss.",
    contract="`ValueError` if the shapes differ",
)
def _huber_shapes(ctx: CheckContext) -> None:
    for y_hat, y in (
        (torch.zeros(3, 1), torch.zeros(3)),
        (torch.zeros(3), torch.zeros(1)),
        (torch.zeros(2, 3), torch.zeros(3, 2)),
    ):
        ctx.expect_raises(ValueError, y_hat, y, why="for inputs of different shapes")


@huber_loss.check(
    "raises ValueError if delta <= 0",
    1,
    hint="check first: if delta <= 0: raise ValueError(...); with delta = 0 the loss would "
    "be 0 everywhere.",
    contract="or `delta <= 0`.",
)
def _huber_delta_errors(ctx: CheckContext) -> None:
    for delta in (0.0, -1.0):
        ctx.expect_raises(ValueError, *PAIR, delta=delta, why="for delta <= 0")


HUBER_DTYPE_HINT = (
    "return the inputs' dtype: torch.tensor(delta) is float32 (torch.where then promotes); "
    "use the Python number delta directly."
)


@huber_loss.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=HUBER_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _huber_dtype(ctx: CheckContext) -> None:
    for dtype in FLOAT_DTYPES:
        y_hat, y = (t.to(dtype) for t in PAIR)
        got = ctx.call(y_hat, y, delta=2.0)
        expect_tensor(
            got,
            y_hat,
            input=ctx.input_text(y_hat, y, delta=2.0),
            judging="dtype",
            hint=HUBER_DTYPE_HINT,
        )


@huber_loss.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=ANY_DEVICE
)
def _huber_device(ctx: CheckContext) -> None:
    expect_device_portable(ctx, *PAIR, against="self")
    expect_device_portable(ctx, *PAIR, delta=0.5, against="self")


@huber_loss.check(
    "does not modify its inputs",
    1,
    hint="y_hat -= y or r.abs_() on a view of an input write into the caller's tensors: "
    "compute r = y_hat - y as a new tensor.",
    contract=INPUTS_UNCHANGED,
)
def _huber_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, *PAIR)
