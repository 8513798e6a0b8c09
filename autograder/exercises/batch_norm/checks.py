"""Checks for ``batch_norm.py``: batch_norm, BatchNorm.

``batch_norm`` is compared with the ground truth (the reference; in the kit
``F.batch_norm``) on generated inputs: 2-D and 4-D, training and evaluation, float32 and
float64, generated ``momentum`` and ``eps``.  The values are multiples of 1/8, exact in
every dtype, so a channel's variance is 0 or at least (1/8)**2 / 27 and float32's rounding
stays far inside the tolerance (1e-2, relative and absolute, for float32 results: wide
enough for any order of summation and for ``E[x**2] - E[x]**2`` at these magnitudes, which
only the stability check judges; float64 results are held to torch's float64 tolerance,
so every formula mistake shows there).  Where the result matches a known wrong formula
(dividing by the variance, the unbiased variance in the normalisation, statistics over the
wrong dims of an image batch, batch statistics in evaluation, the biased variance in
``new_var``), the feedback says so.

``BatchNorm`` is graded by its behaviour, in the runner (this folder's ``probes.py``): the
probe builds the student's layer, loads fixed ``gamma`` and ``beta``, runs it for several
steps in training and evaluation mode, backpropagates, moves it with ``.to()`` and reports
outputs, gradients and running statistics.  The expected values come from
``nn.BatchNorm1d/2d`` run on the same steps here, in the judge, so the kit needs no
reference.  Nothing is random at grading time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from hypothesis import strategies as st
from torch import nn

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.exercises.batch_norm import probes
from autograder.exercises.strategies import tensors
from autograder.grading.context import CheckContext, CheckFailed, describe, raised_classes
from autograder.grading.expect import expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    META_TIMEOUT,
    cuda_available,
    expect_device_portable,
    expect_inputs_unchanged,
    meta_cannot_run,
)
from autograder.grading.registry import probe_name
from autograder.i18n import T, join

assignment = Assignment("batch_norm")

GRADIENTS_PROBE = probe_name("batch_norm", "gradients")
LAYER_PROBE = probe_name("batch_norm", "layer_task")
CALL_TIMEOUT = 30.0

FORBIDDEN = (
    "torch.nn.functional.batch_norm",
    "torch.batch_norm",
    "torch.native_batch_norm",
    "torch.nn.BatchNorm1d",
    "torch.nn.BatchNorm2d",
    "torch.nn.BatchNorm3d",
    "torch.nn.functional.instance_norm",
    "torch.instance_norm",
    "torch.nn.functional.layer_norm",
    "torch.layer_norm",
    "torch.nn.functional.group_norm",
    "torch.group_norm",
)

# Multiples of 1/8: exact in float32 and float64.
GRID = 8


def fixed(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """Inputs the checks make: seeded, so every grading sees the same."""
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def tolerance(dtype: torch.dtype | None) -> dict[str, float]:
    """float32 loosely (see the module's docstring), float64 as torch's own tolerance;
    ``None``: float32 values held to what a correct float32 computation on the grid gives,
    to recognise a known mistake (a near miss is not explained)."""
    if dtype == torch.float64:
        return {"rtol": 1e-7, "atol": 1e-7}
    if dtype is None:
        return {"rtol": 1e-4, "atol": 1e-4}
    return {"rtol": 1e-2, "atol": 1e-2}


def within(got: Any, expected: torch.Tensor, dtype: torch.dtype | None) -> bool:
    """``got`` is a tensor of ``expected``'s shape, its values within ``dtype``'s tolerance."""
    values = got.values if isinstance(got, TransportedTensor) else got
    if not isinstance(values, torch.Tensor) or tuple(values.shape) != tuple(expected.shape):
        return False
    values, expected = values.double(), expected.double()
    return bool(torch.isclose(values, expected, equal_nan=True, **tolerance(dtype)).all())


def explain(
    ctx: CheckContext,
    got: Any,
    expected: torch.Tensor,
    dtype: torch.dtype,
    known: list[tuple[str, str, torch.Tensor]],
    text: Any,
) -> None:
    """Where ``got`` is wrong but matches a known mistake (message, hint, what it gives),
    fail with that mistake's explanation."""
    if not isinstance(got, TransportedTensor) or within(got, expected, dtype):
        return
    for message, hint, wrong in known:
        if within(got, wrong, torch.float64 if dtype == torch.float64 else None):
            ctx.fail(message, input=text, expected=expected, got=got, hint=hint)


# ---------------------------------------------------------------------------------------
# batch_norm
# ---------------------------------------------------------------------------------------
batch_norm = assignment.exercise("batch_norm", forbidden=FORBIDDEN)

FORMULA = "Y = gamma * (X - mean) / sqrt(var + eps) + beta"
NORMALISE_HINT = (
    "per feature: the batch mean and the biased variance (the mean squared deviation from the "
    "mean, divided by m) over the batch dimension, then the contract's formula for Y, with "
    "the (C,) tensors reshaped to (1, C) or (1, C, 1, 1) so they broadcast over the right "
    "dimension."
)
IMAGE_HINT = (
    "for X of shape (N, C, H, W) there is one mean and one variance per channel, over the "
    "batch and every position: X.mean(dim=(0, 2, 3)), and the (C,) statistics reshaped to "
    "(1, C, 1, 1)."
)


@st.composite
def grid(
    draw: st.DrawFn, shape: tuple[int, ...], low: float, high: float, dtype: torch.dtype
) -> torch.Tensor:
    """A tensor of multiples of 1/8 in ``[low, high]``."""
    whole = draw(tensors(shape, torch.int64, low * GRID, high * GRID))
    return whole.to(dtype) / GRID


@st.composite
def cases(draw: st.DrawFn, rank: int, training: bool) -> dict[str, Any]:
    """One call of batch_norm: ``X`` of ``rank`` 2 or 4 (at least two values per channel in
    training), ``(C,)`` statistics, float32 or float64, ``momentum`` and ``eps`` given or
    left to their defaults, ``X`` contiguous or not."""
    channels = draw(st.integers(1, 4))
    if rank == 2:
        shape: tuple[int, ...] = (draw(st.integers(2 if training else 0, 6)), channels)
    else:
        n, h, w = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
        shape = (n, channels, h, max(w, 2) if training and n * h * w < 2 else w)
    dtype = draw(st.sampled_from((torch.float32, torch.float64)))
    case = {
        "X": draw(grid(shape, -4, 4, dtype)),
        "gamma": draw(grid((channels,), -2, 2, dtype)),
        "beta": draw(grid((channels,), -2, 2, dtype)),
        "running_mean": draw(grid((channels,), -2, 2, dtype)),
        "running_var": draw(grid((channels,), 1 / GRID, 4, dtype)),
        "training": training,
        "options": {},
        "contiguous": draw(st.booleans()),
    }
    if draw(st.booleans()):
        case["options"] = {
            "momentum": draw(st.sampled_from((0.1, 0.25, 0.5, 0.9))),
            "eps": draw(st.sampled_from((1e-5, 1e-3, 0.25))),
        }
    return case


ARGUMENTS = ("X", "gamma", "beta", "running_mean", "running_var", "training")


def arguments(case: dict[str, Any]) -> list[Any]:
    """The positional arguments, ``X`` placed non-contiguous where the case says so."""
    args = [case[name] for name in ARGUMENTS]
    if not case.get("contiguous", True) and case["X"].numel():
        args[0] = Placed(case["X"], "cpu", contiguous=False)
    return args


def reference(ctx: CheckContext, case: dict[str, Any]) -> tuple[torch.Tensor, ...]:
    return ctx.reference.batch_norm(*(case[name] for name in ARGUMENTS), **case["options"])


def outcome_part(ctx: CheckContext, got: Any, index: int, text: Any) -> Any:
    """Element ``index`` of the returned ``(Y, new_mean, new_var)``; fail if it is no triple."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        ctx.fail(
            "batch_norm should return a tuple (Y, new_mean, new_var)",
            input=text,
            got=describe(got),
        )
    return got[index]


def statistics(X: torch.Tensor, dims: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """The mean and the biased variance over ``dims``, kept broadcastable (float64)."""
    X = X.double()
    mean = X.mean(dim=dims, keepdim=True)
    return mean, ((X - mean) ** 2).mean(dim=dims, keepdim=True)


def channel_dims(X: torch.Tensor) -> tuple[int, ...]:
    return (0,) if X.dim() == 2 else (0, 2, 3)


def broadcastable(t: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    return t.double().reshape((1, -1) + (1,) * (X.dim() - 2))


def mistakes(case: dict[str, Any]) -> list[tuple[str, str, torch.Tensor]]:
    """Known wrong ways to normalise ``case``'s ``X``: (message, hint, the ``Y`` they give)."""
    X, training = case["X"], case["training"]
    eps = case["options"].get("eps", 1e-5)
    gamma, beta = broadcastable(case["gamma"], X), broadcastable(case["beta"], X)

    def scaled(mean: torch.Tensor, divisor: torch.Tensor) -> torch.Tensor:
        return gamma * (X.double() - mean) / divisor + beta

    if training:
        mean, var = statistics(X, channel_dims(X))
    else:
        mean, var = broadcastable(case["running_mean"], X), broadcastable(case["running_var"], X)
    found = [
        (
            T("Y is divided by the variance, not by the standard deviation sqrt(var + eps)"),
            T(
                "normalise with torch.sqrt(var + eps): dividing by the variance scales every "
                "feature wrongly (only a variance of exactly 1 hides it)."
            ),
            scaled(mean, var + eps),
        ),
        (
            T("eps is added outside the square root: (X - mean) / (sqrt(var) + eps)"),
            T("the formula is (X - mean) / sqrt(var + eps): eps goes under the root."),
            scaled(mean, torch.sqrt(var) + eps),
        ),
    ]
    count = X.numel() // max(X.shape[1], 1)
    if training:
        found.append(
            (
                T(
                    "Y is normalised with the unbiased variance (divided by m - 1), not the "
                    "biased one (divided by m)"
                ),
                T(
                    "X.var(dim) divides by m - 1 by default: normalise with "
                    "((X - mean) ** 2).mean(dim) (or X.var(dim, unbiased=False)); the unbiased "
                    "variance belongs in new_var only."
                ),
                scaled(mean, torch.sqrt(var * count / max(count - 1, 1) + eps)),
            )
        )
    if training and X.dim() == 4:
        for dims, message in (
            ((0,), T("the statistics are per position (over dim 0 only), not per channel")),
            ((2, 3), T("the statistics are per example (over dims (2, 3)), not per channel")),
            ((0, 1, 2, 3), T("one mean and variance for the whole batch, not per channel")),
            ((0, 1), T("the statistics are over dims (0, 1), not (0, 2, 3)")),
        ):
            wrong_mean, wrong_var = statistics(X, dims)
            found.append((message, IMAGE_HINT, scaled(wrong_mean, torch.sqrt(wrong_var + eps))))
    if not training and count:
        batch_mean, batch_var = statistics(X, channel_dims(X))
        found.append(
            (
                T(
                    "in evaluation, Y is normalised with the batch's statistics instead of the "
                    "running ones"
                ),
                T(
                    "if not training: use running_mean and running_var (the averages learnt in "
                    "training): a test batch may hold a single example."
                ),
                scaled(batch_mean, torch.sqrt(batch_var + eps)),
            )
        )
    if not training and X.dim() == 4 and case["running_mean"].shape[0] == X.shape[3]:
        # (C,) statistics not reshaped: they broadcast along W instead of C.
        flat = (
            case["gamma"].double()
            * (X.double() - case["running_mean"].double())
            / torch.sqrt(case["running_var"].double() + eps)
            + case["beta"].double()
        )
        found.append(
            (
                T(
                    "the (C,) statistics broadcast along the last dimension (W), not along the "
                    "channels"
                ),
                IMAGE_HINT,
                flat,
            )
        )
    return found


def expect_output(ctx: CheckContext, case: dict[str, Any], hint: str) -> None:
    """Y agrees with the reference; where it matches a known mistake, say which."""
    expected = reference(ctx, case)[0]
    args = arguments(case)
    text = ctx.input_text(*args, **case["options"])
    got = outcome_part(ctx, ctx.call(*args, **case["options"]), 0, text)
    dtype = case["X"].dtype
    explain(ctx, got, expected, dtype, mistakes(case), text)
    expect_tensor(got, expected, input=text, what="Y", hint=hint, **tolerance(dtype))


@batch_norm.check(
    "training on (N, C): Y agrees with batch normalisation over the batch (generated shapes, "
    "dtypes, momentum, eps)",
    2,
    hint=NORMALISE_HINT,
    contract="statistics per feature over dim 0 for `X` `(N, C)`",
)
def _training_features(ctx: CheckContext) -> None:
    @ctx.given(cases(2, True), max_examples=15)
    def _(case) -> None:
        expect_output(ctx, case, NORMALISE_HINT)


@batch_norm.check(
    "training on (N, C, H, W): one mean and variance per channel, over dims (0, 2, 3)",
    2,
    hint=IMAGE_HINT,
    contract="per channel over dims `(0, 2, 3)` for `(N, C, H, W)`",
)
def _training_images(ctx: CheckContext) -> None:
    @ctx.given(cases(4, True), max_examples=15)
    def _(case) -> None:
        expect_output(ctx, case, IMAGE_HINT)


@batch_norm.check(
    "evaluation: Y is normalised with running_mean and running_var (2-D and 4-D)",
    2,
    hint="in evaluation the running statistics take the place of the batch's, reshaped to "
    "(1, C) or (1, C, 1, 1); the batch's own statistics are for training only.",
    contract="in evaluation, the running statistics normalise",
)
def _evaluation(ctx: CheckContext) -> None:
    @ctx.given(st.sampled_from((2, 4)).flatmap(lambda rank: cases(rank, False)), max_examples=15)
    def _(case) -> None:
        expect_output(ctx, case, T("normalise with the running statistics in evaluation."))


def expect_statistic(
    ctx: CheckContext,
    case: dict[str, Any],
    index: int,
    known: Callable[[dict[str, Any]], list[tuple[str, str, torch.Tensor]]],
) -> None:
    """``new_mean`` (``index`` 1) or ``new_var`` (2) agrees with the reference."""
    expected = reference(ctx, case)[index]
    args = arguments(case)
    text = ctx.input_text(*args, **case["options"])
    got = outcome_part(ctx, ctx.call(*args, **case["options"]), index, text)
    what = "new_mean" if index == 1 else "new_var"
    dtype = case["X"].dtype
    explain(ctx, got, expected, dtype, known(case), text)
    if (
        isinstance(got, TransportedTensor)
        and len(got.shape) != 1
        and got.values is not None
        and got.values.numel() == expected.numel()
    ):
        ctx.fail(
            T("{what} has shape {shape}, not (C,)", what=what, shape=tuple(got.shape)),
            input=text,
            expected=expected,
            got=got,
            hint="return the running statistics with the shape they came in, (C,): compute "
            "the batch statistics without keepdim, or reshape them.",
        )
    expect_tensor(
        got,
        expected,
        input=text,
        what=what,
        hint="see the formula in the check's name.",
        **tolerance(dtype),
    )


def batch_update(case: dict[str, Any]) -> tuple[float, torch.Tensor, torch.Tensor]:
    """momentum, and the batch mean and unbiased variance per channel (float64)."""
    X = case["X"]
    mean, var = statistics(X, channel_dims(X))
    count = X.numel() // X.shape[1]
    return case["options"].get("momentum", 0.1), mean.flatten(), var.flatten() * count / (count - 1)


SWAPPED = T(
    "momentum weighs the old running statistic: new = momentum * running + (1 - momentum) "
    "* batch is Keras's convention, not torch's"
)
SWAPPED_HINT = T(
    "torch's convention: new = (1 - momentum) * running + momentum * batch, so momentum = "
    "0.1 moves the running statistic a tenth of the way to the batch's."
)


def mean_mistakes(case: dict[str, Any]) -> list[tuple[str, str, torch.Tensor]]:
    momentum, mean, _ = batch_update(case)
    running = case["running_mean"].double()
    return [(SWAPPED, SWAPPED_HINT, momentum * running + (1 - momentum) * mean)]


def var_mistakes(case: dict[str, Any]) -> list[tuple[str, str, torch.Tensor]]:
    momentum, _, unbiased = batch_update(case)
    count = case["X"].numel() // case["X"].shape[1]
    biased = unbiased * (count - 1) / count
    running = case["running_var"].double()
    return [
        (
            T(
                "new_var is updated with the biased batch variance (divided by m), not the "
                "unbiased one (divided by m - 1)"
            ),
            T(
                "torch's running_var takes the unbiased variance: var * m / (m - 1), with m = "
                "N * H * W the number of values per channel; the normalisation itself uses the "
                "biased one."
            ),
            (1 - momentum) * running + momentum * biased,
        ),
        (SWAPPED, SWAPPED_HINT, momentum * running + (1 - momentum) * unbiased),
    ]


@batch_norm.check(
    "training: new_mean = (1 - momentum) * running_mean + momentum * batch mean",
    1,
    hint="the new running mean moves a fraction momentum of the way from running_mean to "
    "the (C,) batch mean (the contract's formula); return it with running_mean's shape (C,).",
    contract="`new = (1 - momentum) * running + momentum * batch`",
)
def _new_mean(ctx: CheckContext) -> None:
    @ctx.given(st.sampled_from((2, 4)).flatmap(lambda rank: cases(rank, True)), max_examples=10)
    def _(case) -> None:
        expect_statistic(ctx, case, 1, mean_mistakes)


@batch_norm.check(
    "training: new_var takes the unbiased batch variance (divided by m - 1)",
    1,
    hint="new_var = (1 - momentum) * running_var + momentum * var * m / (m - 1), with m = "
    "N * H * W values per channel: torch's running_var is unbiased.",
    contract="with the unbiased variance for `new_var`",
)
def _new_var(ctx: CheckContext) -> None:
    @ctx.given(st.sampled_from((2, 4)).flatmap(lambda rank: cases(rank, True)), max_examples=10)
    def _(case) -> None:
        expect_statistic(ctx, case, 2, var_mistakes)


@batch_norm.check(
    "evaluation: returns running_mean and running_var unchanged",
    1,
    hint="in evaluation nothing is learnt: return running_mean and running_var as they "
    "came (or copies).",
    contract="the running statistics normalise and come back unchanged",
)
def _evaluation_statistics(ctx: CheckContext) -> None:
    """On (N, C) input only: whether evaluation on 4-D input broadcasts the statistics to
    (1, C, 1, 1) is the evaluation output's property, judged by its own check."""
    for rank in (2,):
        case = FIXED[rank] | {"training": False}
        args = arguments(case)
        got = ctx.call(*args)
        for index, name in ((1, "running_mean"), (2, "running_var")):
            part = outcome_part(ctx, got, index, ctx.input_text(*args))
            expect_tensor(
                part,
                case[name],
                input=ctx.input_text(*args),
                what="new_mean" if index == 1 else "new_var",
                rtol=0,
                atol=0,
            )


FIXED = {
    2: {
        "X": fixed((5, 3), 1) * 2 + 1,
        "gamma": fixed((3,), 2),
        "beta": fixed((3,), 3),
        "running_mean": fixed((3,), 4),
        "running_var": fixed((3,), 5).abs() + 0.5,
        "training": True,
        "options": {},
    },
    4: {
        "X": fixed((2, 3, 3, 2), 6) * 2 - 1,
        "gamma": fixed((3,), 7),
        "beta": fixed((3,), 8),
        "running_mean": fixed((3,), 9),
        "running_var": fixed((3,), 10).abs() + 0.5,
        "training": True,
        "options": {},
    },
}
GRADIENT_HINT = (
    "compute Y from X, gamma and beta with differentiable tensor operations: the batch "
    "mean and variance are functions of X too, so do not .detach() them (only the returned "
    "running statistics are detached)."
)


@batch_norm.check(
    "Y is differentiable: the gradients in X, gamma and beta agree with autograd through "
    "batch normalisation",
    2,
    hint=GRADIENT_HINT,
    contract="differentiable in `X`, `gamma` and `beta`",
)
def _gradients(ctx: CheckContext) -> None:
    for rank, training in ((2, True), (4, True)):
        case = {k: v.double() if isinstance(v, torch.Tensor) else v for k, v in FIXED[rank].items()}
        case["training"] = training
        leaves = [case[name].clone().requires_grad_(True) for name in ("X", "gamma", "beta")]
        Y = ctx.reference.batch_norm(*leaves, case["running_mean"], case["running_var"], training)[
            0
        ]
        grad_output = fixed(tuple(Y.shape), 11).double()
        expected = torch.autograd.grad(Y, leaves, grad_output)
        args = [case[name] for name in ARGUMENTS]
        text = ctx.input_text(*args)
        answer = ctx.probe(*args, grad_output, probe=GRADIENTS_PROBE)
        grads = answer.get("grads")
        if grads is None:
            ctx.fail(
                "Y is not connected to the autograd graph",
                input=text,
                expected="Y with requires_grad=True when X, gamma and beta require grad",
                got=describe(answer.get("result")),
                hint=GRADIENT_HINT,
            )
        for name, want, got in zip(("X", "gamma", "beta"), expected, grads):
            if got is None:
                ctx.fail(T("no gradient reaches {name}", name=name), input=text, hint=GRADIENT_HINT)
            expect_tensor(
                got,
                want,
                input=text,
                what=T("the gradient in {name}", name=name),
                hint=GRADIENT_HINT,
                rtol=1e-6,
                atol=1e-8,
            )


@batch_norm.check(
    "the returned running statistics carry no gradient (no graph kept)",
    1,
    hint="compute new_mean and new_var under torch.no_grad() (or .detach() them): running "
    "statistics that keep the graph keep every batch's graph alive, and a backward pass "
    "through them fails or leaks memory.",
    contract="The statistics carry no gradient",
)
def _no_graph(ctx: CheckContext) -> None:
    for rank in (2, 4):
        case = dict(FIXED[rank])
        args = [case[name] for name in ARGUMENTS]
        args[:3] = [t.clone().requires_grad_(True) for t in args[:3]]
        text = T("{call} with X, gamma and beta requiring grad", call=ctx.input_text(*args))
        got = ctx.call(*args)
        for index, name in ((1, "new_mean"), (2, "new_var")):
            part = outcome_part(ctx, got, index, text)
            if isinstance(part, TransportedTensor) and (part.requires_grad or part.has_grad_fn):
                ctx.fail(
                    T("{name} carries autograd history (requires_grad=True)", name=name),
                    input=text,
                    expected="a tensor without gradient",
                    got=part,
                )


# A large common offset: float32 values near 1e4 with unit spread, 16 examples of 3 features.
OFFSET_X = (1e4 + fixed((16, 3), 12)).float()


@batch_norm.check(
    "accurate with a large common offset: float32 values near 1e4 with unit spread give "
    "what float64 gives",
    1,
    hint="compute the variance as the mean of the squared deviations, ((X - mean) ** 2)"
    ".mean(dim): E[x**2] - E[x]**2 subtracts two numbers near 1e8, and float32 keeps only "
    "about 7 digits of them, so a variance near 1 is lost (it can even come out negative).",
    contract="float32 input with a large common offset (near 1e4) stays accurate",
)
def _stable(ctx: CheckContext) -> None:
    """Deterministic data, judged against the function's own float64 result on the same
    values (the reference's if it gives none), so that only the float32 accuracy is judged
    here.  Measured: torch's float32 ``F.batch_norm`` is off by 2e-3 in ``Y`` and the
    two-pass formula by 6e-4; a sequential float32 sum of 16 values near 1e4 errs by at
    most 15 * 2**-24 * 16 * 1.1e4 = 0.16, a mean off by 0.01 and ``Y`` by about as much
    (unit spread), so the tolerances (0.05 in ``Y``, 5% in ``new_var``) leave room for any
    correct order of summation, while ``E[x**2] - E[x]**2`` misses by whole units."""
    channels = OFFSET_X.shape[1]
    ones, zeros = torch.ones(channels), torch.zeros(channels)
    args = [OFFSET_X, ones, zeros, zeros, ones, True]
    wide = [a.double() if isinstance(a, torch.Tensor) else a for a in args]
    text = ctx.input_text(*args)
    expected = [t.float() for t in own_triple(ctx, wide) or ctx.reference.batch_norm(*wide)]
    got = ctx.call(*args)
    for index, what, rtol, atol in ((0, "Y", 0, 0.05), (2, "new_var", 0.05, 0)):
        expect_tensor(
            outcome_part(ctx, got, index, text),
            expected[index],
            input=text,
            what=T("{what} in float32 (compared with its own float64 result)", what=what),
            rtol=rtol,
            atol=atol,
        )


def own_triple(ctx: CheckContext, args: list[Any]) -> tuple[torch.Tensor, ...] | None:
    """The student's ``(Y, new_mean, new_var)`` for ``args``, if it returns three tensors."""
    outcome = ctx.run(*args)
    result = outcome.value.get("result") if outcome.ok and isinstance(outcome.value, dict) else None
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        return None
    values = [t.values if isinstance(t, TransportedTensor) else None for t in result]
    return None if any(v is None for v in values) else tuple(values)


def expect_value_error(ctx: CheckContext, case: dict[str, Any], why: str) -> None:
    ctx.expect_raises(ValueError, *[case[name] for name in ARGUMENTS], why=why)


@batch_norm.check(
    "raises ValueError if X is neither 2-D nor 4-D (3-D included)",
    1,
    hint="check X.dim() in (2, 4) first: the course notes feed (N, C, L) batches to "
    "BatchNorm1d; this function takes (N, C) or (N, C, H, W) only.",
    contract="`ValueError` if `X` is neither 2-D nor 4-D",
)
def _rank_errors(ctx: CheckContext) -> None:
    base = FIXED[2]
    for X, why in (
        (fixed((3,), 13), "for a 1-D X"),
        (fixed((4, 3, 5), 14), "for a 3-D X (N, C, L)"),
        (fixed((2, 3, 2, 2, 2), 15), "for a 5-D X"),
    ):
        expect_value_error(ctx, base | {"X": X}, why)


@batch_norm.check(
    "raises ValueError if gamma, beta or a running statistic is not of shape (C,)",
    1,
    hint="compare each of gamma, beta, running_mean and running_var with (X.shape[1],) "
    "and raise ValueError with a message naming it.",
    contract="a shape does not fit",
)
def _shape_errors(ctx: CheckContext) -> None:
    for rank, name, value, why in (
        (2, "gamma", torch.ones(4), "for gamma of 4 values and X of 3 features"),
        (2, "beta", torch.zeros(2), "for beta of 2 values and X of 3 features"),
        (4, "running_mean", torch.zeros(1, 3, 1, 1), "for running_mean of shape (1, 3, 1, 1)"),
        (4, "running_var", torch.ones(2), "for running_var of 2 values and X of 3 channels"),
    ):
        for training in (True, False):
            expect_value_error(ctx, FIXED[rank] | {name: value, "training": training}, why)


@batch_norm.check(
    "raises ValueError in training with a single value per channel (N * H * W == 1)",
    1,
    hint="in training, m = N * H * W values per channel must be at least 2: the variance "
    "of one value is 0 and the unbiased one 0 / 0 (torch raises ValueError too).",
    contract="or training sees one value per channel",
)
def _single_value_error(ctx: CheckContext) -> None:
    for rank, X in ((2, fixed((1, 3), 16)), (4, fixed((1, 3, 1, 1), 17))):
        expect_value_error(ctx, FIXED[rank] | {"X": X}, "for one value per channel in training")


@batch_norm.check(
    "evaluation accepts a single example (N * H * W == 1)",
    1,
    hidden=True,
    hint="the single-value rule is for training only: in evaluation the running statistics "
    "normalise any batch, one example included.",
    contract="in evaluation, the running statistics normalise",
)
def _single_example_evaluation(ctx: CheckContext) -> None:
    for rank, X in ((2, fixed((1, 3), 18)), (4, fixed((1, 3, 1, 1), 19))):
        case = FIXED[rank] | {"X": X, "training": False}
        expect_output(ctx, case, T("normalise with the running statistics in evaluation."))


@batch_norm.check(
    "keeps the device (meta, default-device trap, CUDA if present)",
    1,
    contract="A function works for tensors on any device",
)
def _device(ctx: CheckContext) -> None:
    """Judged on the calls that return on CPU inputs: a call that fails there fails the
    value checks, not this one (at least one must return)."""
    judged = 0
    for rank in (2, 4):
        for training in (True, False):
            args = [(FIXED[rank] | {"training": training})[n] for n in ARGUMENTS]
            if not ctx.run(*args).ok:
                continue
            expect_device_portable(ctx, *args, against="self")
            judged += 1
    if not judged:
        ctx.fail(
            "cannot judge the device: batch_norm fails on CPU inputs too (see the other checks)"
        )


@batch_norm.check(
    "does not modify its inputs (running_mean and running_var included)",
    1,
    hint="return new tensors for the running statistics: running_mean.mul_(...) or "
    "running_mean[:] = ... write into the caller's tensors (the layer stores the new ones).",
    contract="no input is modified",
)
def _no_mutation(ctx: CheckContext) -> None:
    for rank in (2, 4):
        case = FIXED[rank]
        expect_inputs_unchanged(ctx, *[case[n] for n in ARGUMENTS])


# ---------------------------------------------------------------------------------------
# BatchNorm
# ---------------------------------------------------------------------------------------
BatchNorm = assignment.exercise("BatchNorm", forbidden=FORBIDDEN, lends=("batch_norm",))

C = 3
STATE = {"gamma": fixed((C,), 21) + 1, "beta": fixed((C,), 22)}
TORCH_NAMES = {"gamma": "weight", "beta": "bias"}
LAYER_HINT = (
    "in forward: Y, mean, var = batch_norm(X, self.gamma, self.beta, self.running_mean, "
    "self.running_var, self.training), then in training store mean and var in the buffers."
)


def batches(rank: int, count: int, seed: int) -> list[torch.Tensor]:
    """``count`` batches of features (8, C) or images (2, C, 3, 3), each with its own
    offset and spread, so the running statistics move."""
    shape = (8, C) if rank == 2 else (2, C, 3, 3)
    return [fixed(shape, seed + k) * (1 + k) + 2 * k - 1 for k in range(count)]


def layer_text(rank: int, steps: list[dict[str, Any]]) -> str:
    modes = join(
        [T("{mode} on {shape}", mode=step["mode"], shape=tuple(step["X"].shape)) for step in steps]
    )
    return T(
        "BatchNorm({c}, num_dims={rank}) with fixed gamma and beta, steps: {modes}",
        c=C,
        rank=rank,
        modes=modes,
    )


def torch_layer(rank: int) -> nn.Module:
    """``nn.BatchNorm1d/2d(C)`` with the checks' ``gamma`` and ``beta``."""
    layer = nn.BatchNorm1d(C) if rank == 2 else nn.BatchNorm2d(C)
    with torch.no_grad():
        layer.weight.copy_(STATE["gamma"])
        layer.bias.copy_(STATE["beta"])
    return layer


def expected_steps(rank: int, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    layer = torch_layer(rank)
    return probes.run_steps(layer, steps, layer, TORCH_NAMES)


def ask(ctx: CheckContext, ctor: list[Any], task: str, text: str, **options: Any) -> dict:
    """Run one probe task on a layer built from ``ctor``; fail unless it is an nn.Module."""
    try:
        outcome = ctx.run(
            ctor, task, probe=LAYER_PROBE, options=options, timeout=CALL_TIMEOUT, shown=text
        )
    except CheckFailed as failure:
        failure.input = text  # the layer and its steps, not the probe's arguments
        raise
    if not outcome.ok:
        ctx.fail(
            T("the layer did not return: {reason}", reason=outcome.describe_failure()),
            input=text,
        )
    answer = ctx.answer(outcome, (ctor, task), {}, shown=text)
    if answer.get("is_module") is False:
        ctx.fail(
            "BatchNorm(...) did not make an nn.Module",
            input=text,
            got=answer.get("result"),
            hint="subclass nn.Module (class BatchNorm(nn.Module):) and call "
            "super().__init__() first in __init__.",
        )
    return answer


def run_layer(ctx: CheckContext, rank: int, steps: list[dict[str, Any]]) -> tuple[list, list, str]:
    """The student's steps and torch's, and the text that describes them."""
    text = layer_text(rank, steps)
    answer = ask(ctx, [C, rank], "steps", text, steps=steps, state=STATE)
    if answer.get("unset"):
        ctx.fail(
            T("could not load the parameters {names}", names=answer["unset"]),
            input=text,
            hint="name the parameters gamma and beta, both of shape (num_features,).",
        )
    got = answer.get("result")
    if not isinstance(got, list) or len(got) != len(steps):
        ctx.fail("the probe's report could not be read", input=text)
    return got, expected_steps(rank, steps), text


def expect_outputs(
    ctx: CheckContext, rank: int, steps: list[dict[str, Any]], hint: str, only: str | None = None
) -> None:
    """The layer's output at every step (of mode ``only``, if given) is torch's."""
    got, expected, text = run_layer(ctx, rank, steps)
    for number, (step, mine, theirs) in enumerate(zip(steps, got, expected), start=1):
        if only is not None and step["mode"] != only:
            continue
        output = mine.get("output") if isinstance(mine, dict) else None
        values = output.values if isinstance(output, TransportedTensor) else None
        if step["mode"] == "eval" and values is not None and values.shape == theirs["output"].shape:
            batch_normalised = batch_normalised_output(step["X"])
            if not torch.allclose(values, theirs["output"], rtol=1e-4, atol=1e-4) and (
                torch.allclose(values, batch_normalised, rtol=1e-4, atol=1e-4)
            ):
                ctx.fail(
                    T(
                        "step {number} (eval): the output is normalised with the batch's "
                        "statistics, not the running ones",
                        number=number,
                    ),
                    input=text,
                    expected=theirs["output"],
                    got=output,
                    hint="pass self.training to batch_norm (net.eval() sets it to False), so "
                    "that evaluation uses running_mean and running_var.",
                )
        expect_tensor(
            output,
            theirs["output"],
            input=text,
            what=T("the output of step {number} ({mode})", number=number, mode=step["mode"]),
            rtol=1e-4,
            atol=1e-4,
            hint=hint,
        )


def batch_normalised_output(X: torch.Tensor) -> torch.Tensor:
    """What a layer that uses batch statistics in evaluation too would give."""
    mean, var = statistics(X, channel_dims(X))
    gamma, beta = broadcastable(STATE["gamma"], X), broadcastable(STATE["beta"], X)
    return (gamma * (X.double() - mean) / torch.sqrt(var + 1e-5) + beta).float()


TRAIN_2D = [{"mode": "train", "X": X} for X in batches(2, 3, 30)]
TRAIN_4D = [{"mode": "train", "X": X} for X in batches(4, 2, 40)]
EVAL_2D = [*TRAIN_2D[:2], {"mode": "eval", "X": batches(2, 1, 50)[0]}]
EVAL_ONE = [*TRAIN_2D[:2], {"mode": "eval", "X": fixed((1, C), 51)}]
EVAL_4D = [*TRAIN_4D, {"mode": "eval", "X": batches(4, 1, 52)[0]}]
# Training, evaluation (nothing learnt), training again.
RUNNING_2D = [*TRAIN_2D[:2], {"mode": "eval", "X": batches(2, 1, 53)[0]}, TRAIN_2D[2]]


@BatchNorm.check(
    "gamma (ones) and beta (zeros) are nn.Parameters of shape (num_features,)",
    1,
    hint="gamma and beta are nn.Parameters of shape (num_features,), gamma all ones and beta "
    "all zeros: the scale starts at 1 and the shift at 0, so the fresh layer only "
    "standardises.",
    contract="parameters `gamma` (ones) and `beta` (zeros)",
)
def _parameters(ctx: CheckContext) -> None:
    text = T("BatchNorm({c}, num_dims=2)", c=C)
    result = ask(ctx, [C, 2], "structure", text).get("result") or {}
    parameters = result.get("parameters") or {}
    for name, start in (("gamma", torch.ones(C)), ("beta", torch.zeros(C))):
        value = parameters.get(name)
        if not isinstance(value, TransportedTensor):
            ctx.fail(
                T("{name} is not an nn.Parameter of the layer", name=name),
                input=text,
                expected=T("parameters gamma and beta"),
                got=describe(sorted(parameters)),
            )
        expect_tensor(value, start, input=text, what=name, rtol=0, atol=0)


@BatchNorm.check(
    "running_mean (zeros) and running_var (ones) are registered buffers, in state_dict",
    1,
    hint="running_mean (zeros) and running_var (ones) are buffers, registered with the "
    "module: a buffer is saved in state_dict() and moved by .to(); a plain tensor attribute "
    "is neither, and an nn.Parameter would be trained.",
    contract=(
        "buffers `running_mean` (zeros) and `running_var` (ones), registered so that they "
        "are in `state_dict()`"
    ),
)
def _buffers(ctx: CheckContext) -> None:
    text = T("BatchNorm({c}, num_dims=4)", c=C)
    result = ask(ctx, [C, 4], "structure", text).get("result") or {}
    buffers = result.get("buffers") or {}
    keys = result.get("state_dict") or []
    for name, start in (("running_mean", torch.zeros(C)), ("running_var", torch.ones(C))):
        if name in (result.get("parameters") or {}):
            ctx.fail(
                T("{name} is an nn.Parameter: the optimizer would train it", name=name),
                input=text,
            )
        if name not in buffers or name not in keys:
            ctx.fail(
                T("{name} is not a registered buffer (not in state_dict)", name=name),
                input=text,
                expected=T("buffers running_mean and running_var"),
                got=T("state_dict keys {keys}", keys=describe(keys)),
            )
        expect_tensor(buffers[name], start, input=text, what=name, rtol=0, atol=0)


@BatchNorm.check(
    "training on (N, C): each step's output matches nn.BatchNorm1d's (3 steps)",
    2,
    hint=LAYER_HINT,
    contract=(
        "`forward(X)` uses `self.training` and in training updates the buffers, as "
        "`nn.BatchNorm1d` (`num_dims` 2)"
    ),
)
def _layer_training(ctx: CheckContext) -> None:
    expect_outputs(ctx, 2, TRAIN_2D, LAYER_HINT)


def expect_running(ctx: CheckContext, rank: int, steps: list[dict[str, Any]]) -> None:
    """After every step, the running statistics are torch's."""
    got, expected, text = run_layer(ctx, rank, steps)
    for number, (step, mine, theirs) in enumerate(zip(steps, got, expected), start=1):
        for name in probes.STATISTICS:
            value = (mine.get(name) or {}).get("value") if isinstance(mine, dict) else None
            want = theirs[name]["value"]
            values = value.values if isinstance(value, TransportedTensor) else None
            what = T(
                "{name} after step {number} ({mode})", name=name, number=number, mode=step["mode"]
            )
            if values is not None and values.shape == want.shape and name == "running_var":
                biased = biased_running_var(steps[:number])
                if not torch.allclose(values, want, rtol=1e-4, atol=1e-5) and torch.allclose(
                    values, biased, rtol=1e-4, atol=1e-5
                ):
                    ctx.fail(
                        T(
                            "{what} follows the biased batch variance, not the unbiased one",
                            what=what,
                        ),
                        input=text,
                        expected=want,
                        got=value,
                        hint="torch's running_var averages the unbiased variance (divided by "
                        "m - 1); batch_norm's new_var gives it.",
                    )
            expect_tensor(
                value,
                want,
                input=text,
                what=what,
                rtol=1e-4,
                atol=1e-5,
                hint="in training, store batch_norm's new_mean and new_var in the buffers "
                "(self.running_mean.copy_(new_mean), or assign them); in evaluation leave "
                "them as they are.",
            )


def biased_running_var(steps: list[dict[str, Any]]) -> torch.Tensor:
    var = torch.ones(C, dtype=torch.float64)
    for step in steps:
        if step["mode"] == "train":
            var = 0.9 * var + 0.1 * statistics(step["X"], channel_dims(step["X"]))[1].flatten()
    return var.float()


@BatchNorm.check(
    "training: running_mean and running_var follow nn.BatchNorm1d's after each step",
    2,
    hint="in training, store batch_norm's new_mean and new_var in the buffers; torch's "
    "running_var averages the unbiased batch variance.",
    contract="in training updates the buffers, as `nn.BatchNorm1d` (`num_dims` 2)",
)
def _layer_running(ctx: CheckContext) -> None:
    expect_running(ctx, 2, RUNNING_2D)


@BatchNorm.check(
    "on (N, C, H, W) with num_dims = 4: each training step's output matches nn.BatchNorm2d's "
    "(per-channel statistics)",
    2,
    hint=IMAGE_HINT,
    contract="or `nn.BatchNorm2d` (`num_dims` 4) does",
)
def _layer_images(ctx: CheckContext) -> None:
    expect_outputs(ctx, 4, TRAIN_4D, IMAGE_HINT)


@BatchNorm.check(
    "on (N, C, H, W): running_mean and running_var follow nn.BatchNorm2d's",
    1,
    hidden=True,
    hint=IMAGE_HINT,
    contract=(
        "in training updates the buffers, as `nn.BatchNorm1d` (`num_dims` 2) or "
        "`nn.BatchNorm2d` (`num_dims` 4) does"
    ),
)
def _layer_images_running(ctx: CheckContext) -> None:
    expect_running(ctx, 4, EVAL_4D)


@BatchNorm.check(
    "evaluation (after net.eval()): the output uses the running statistics, as "
    "nn.BatchNorm1d/2d's (a single example included)",
    2,
    hint="pass self.training to batch_norm: after net.eval() it is False and the layer "
    "normalises with running_mean and running_var.",
    contract="the layer with `nn.BatchNorm1d/2d` over several steps in training and evaluation",
)
def _layer_evaluation(ctx: CheckContext) -> None:
    expect_outputs(ctx, 2, EVAL_2D, LAYER_HINT, only="eval")
    expect_outputs(ctx, 4, EVAL_4D, IMAGE_HINT, only="eval")
    expect_outputs(ctx, 2, EVAL_ONE, LAYER_HINT, only="eval")


@BatchNorm.check(
    "gradients reach X, gamma and beta as through nn.BatchNorm1d/2d",
    1,
    hint="compute the output from self.gamma and self.beta themselves (no .data, no "
    "torch.tensor(...) copies) and from the batch statistics of X, not detached.",
    contract="The function is compared with `F.batch_norm`, the layer with `nn.BatchNorm1d/2d`",
)
def _layer_gradients(ctx: CheckContext) -> None:
    for rank in (2, 4):
        steps = [{"mode": "train", "X": batches(rank, 1, 60 + rank)[0], "backward": True}]
        got, expected, text = run_layer(ctx, rank, steps)
        grads = got[0].get("grads") if isinstance(got[0], dict) else None
        if not isinstance(grads, dict):
            ctx.fail(
                "the output is not connected to the autograd graph",
                input=T("{call}, then backward", call=text),
            )
        for name in ("X", "gamma", "beta"):
            expect_tensor(
                grads.get(name),
                expected[0]["grads"][name],
                input=T("{call}, then backward", call=text),
                what=T("the gradient in {name}", name=name),
                rtol=1e-4,
                atol=1e-5,
            )


@BatchNorm.check(
    "the running statistics keep no graph (training steps on X that requires grad)",
    1,
    hint="update the buffers under torch.no_grad() (or store detached tensors): a running "
    "statistic computed from X with its graph keeps every batch's graph alive, and a "
    "backward pass in evaluation then fails.",
    contract="The statistics carry no gradient",
)
def _layer_no_graph(ctx: CheckContext) -> None:
    steps = [{"mode": "train", "X": X, "backward": True} for X in batches(2, 2, 70)]
    got, _, text = run_layer(ctx, 2, steps)
    for number, report in enumerate(got, start=1):
        for name in probes.STATISTICS:
            flags = report.get(name) or {} if isinstance(report, dict) else {}
            if flags.get("requires_grad") or flags.get("has_grad_fn"):
                ctx.fail(
                    T(
                        "{name} carries autograd history after step {number}",
                        name=name,
                        number=number,
                    ),
                    input=text,
                    expected="a buffer without gradient",
                    got=flags.get("value"),
                )


@BatchNorm.check(
    "the buffers move with .to(): float64, meta (and CUDA if present)",
    1,
    hint="register running_mean and running_var as buffers (self.register_buffer): "
    "layer.to(device) and layer.double() move and convert parameters and buffers, never a "
    "plain tensor attribute.",
    contract="registered so that they are in `state_dict()` and move with `.to()`",
)
def _layer_moves(ctx: CheckContext) -> None:
    targets: list[Any] = [torch.float64, "meta"] + (["cuda"] if cuda_available() else [])
    steps = [{"mode": "train", "X": batches(4, 1, 80)[0]}]
    for target in targets:
        text = T(
            "BatchNorm({c}, num_dims=4).to({target}), then a training step on X of shape {shape}",
            c=C,
            target=target,
            shape=tuple(steps[0]["X"].shape),
        )
        outcome = ctx.run(
            [C, 4],
            "move",
            probe=LAYER_PROBE,
            options={"steps": steps, "to": target},
            timeout=META_TIMEOUT,
            shown=text,
        )
        if target == "meta" and meta_cannot_run(outcome.raised):
            continue
        answer = ctx.answer(outcome, ([C, 4], "move"), {}, shown=text)
        wanted_dtype = torch.float64 if target == torch.float64 else torch.float32
        wanted_device = target if isinstance(target, str) else "cpu"
        reported = [*(answer.get("attributes") or {}).items()]
        report = (answer.get("result") or [{}])[0]
        reported += [("output", report.get("output") if isinstance(report, dict) else None)]
        for name, value in reported:
            if (
                not isinstance(value, TransportedTensor)
                or value.dtype != wanted_dtype
                or value.device_type != wanted_device
            ):
                ctx.fail(
                    T("{name} did not move", name=name),
                    input=text,
                    expected=T("{dtype} on {device}", dtype=wanted_dtype, device=wanted_device),
                    got=value,
                )


@BatchNorm.check(
    "raises ValueError if num_dims is not 2 or 4, or X.dim() is not num_dims",
    1,
    hint="in __init__: if num_dims not in (2, 4): raise ValueError; in forward: if X.dim() "
    "!= self.num_dims: raise ValueError. The course notes apply BatchNorm1d to a 4-D image "
    "batch: a layer made for (N, C) must refuse it.",
    contract="`ValueError` if `num_dims` is not 2 or 4, or `X.dim() != num_dims`",
)
def _layer_errors(ctx: CheckContext) -> None:
    for num_dims in (3, 1):
        text = T("BatchNorm({c}, num_dims={num_dims})", c=C, num_dims=num_dims)
        expect_layer_raises(ctx, [C, num_dims], "structure", text, {})
    for rank, X in (
        (2, batches(4, 1, 90)[0]),
        (2, fixed((4, C, 5), 91)),
        (4, batches(2, 1, 92)[0]),
    ):
        steps = [{"mode": "train", "X": X}]
        why = T(
            "BatchNorm({c}, num_dims={rank}) in training mode, on X of shape {shape}",
            c=C,
            rank=rank,
            shape=tuple(X.shape),
        )
        expect_layer_raises(ctx, [C, rank], "steps", why, {"steps": steps})


def expect_layer_raises(
    ctx: CheckContext, ctor: list[Any], task: str, text: str, options: dict[str, Any]
) -> None:
    """Building the layer from ``ctor`` (and doing ``task``) raises ValueError."""
    outcome = ctx.run(
        ctor, task, probe=LAYER_PROBE, options=options, timeout=CALL_TIMEOUT, shown=text
    )
    if outcome.raised is not None and "ValueError" in raised_classes(outcome.raised):
        return
    if outcome.raised is not None:
        got = f"{outcome.raised.get('type')}: {outcome.raised.get('message', '')}"
    else:
        got = T("it returned {value}", value=describe(answer_result(outcome), 200))
    ctx.fail(
        "BatchNorm should raise ValueError",
        input=text,
        expected="ValueError with a helpful message",
        got=got,
    )


def answer_result(outcome: Any) -> Any:
    value = outcome.value
    return value.get("result") if isinstance(value, dict) else value
