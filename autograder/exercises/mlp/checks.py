"""Checks for ``mlp.py``: dropout_layer, fan_in_and_fan_out, xavier_uniform_, xavier_normal_.

Dropout and the initialisers are random, so their values cannot be compared with the
reference's.  Their checks test properties that every correct solution has (each output
element is 0 or ``x / (1 - p)``, every Xavier value lies in ``[-a, a]``) exactly, and
distributional properties (keep rate, independence, mean, variance) with the confidence
bounds of :mod:`autograder.grading.stats`: a correct solution fails one of them with
probability at most ``1e-11``, and this module tests 28 of them, so a correct submission
loses points to chance with probability at most ``28e-11 < 1e-9``.  The seeds are fixed,
so grading is deterministic; the bound is over which (equally valid) random numbers a
correct solution happens to draw.  ``tests/test_mlp.py`` runs these statistics on the
reference over many seeds.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.exercises.strategies import FLOAT_DTYPES, shapes
from autograder.grading.context import CheckContext, describe
from autograder.grading.contract import KEEPS_DTYPE, STAYS_ON_DEVICE
from autograder.grading.expect import expect_equal, expect_tensor, expect_unchanged
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    DEFAULT_DEVICE_HINT,
    cuda_available,
    expect_global_generator_kept,
    meta_cannot_run,
)
from autograder.grading.registry import probe_name
from autograder.grading.stats import (
    chi_square_interval,
    gaussian_mean_radius,
    hoeffding_radius,
)
from autograder.i18n import T, join, phrase

assignment = Assignment("mlp")

GENERATOR_PROBE = probe_name("mlp", "dropout_generator")
INIT_PROBE = probe_name("mlp", "init_in_place")


def _values(got: Any) -> torch.Tensor | None:
    return got.values if isinstance(got, TransportedTensor) else None


# ---------------------------------------------------------------------------------------
# Statistics (pure functions of the outputs; tests/test_mlp.py runs them over many seeds)
# ---------------------------------------------------------------------------------------
def dropout_value_problem(x: torch.Tensor, out: torch.Tensor, p: float) -> str | None:
    """Why ``out`` is not a dropout of ``x`` (each element 0 or ``x / (1 - p)``), or None."""
    if out.shape != x.shape:
        return T(
            "the result has shape {got}, X has shape {wanted}",
            got=tuple(out.shape),
            wanted=tuple(x.shape),
        )
    got = out.double()
    wanted = x.double() / (1 - p) if p < 1 else torch.zeros_like(got)
    eps = torch.finfo(x.dtype).eps
    close = (got - wanted).abs() <= 4 * eps * wanted.abs() + torch.finfo(x.dtype).tiny
    good = (got == 0) | close
    if bool(good.all()):
        return None
    index = tuple(int(i) for i in (~good).nonzero()[0])
    allowed = (
        "0" if p >= 1 else T("0 or x / (1 - p) = {value}", value=f"{float(wanted[index]):.6g}")
    )
    return T(
        "element {index} is {value} for x = {x} and p = {p}; it may only be {allowed}",
        index=list(index),
        value=f"{float(got[index]):.6g}",
        x=f"{float(x.double()[index]):.6g}",
        p=p,
        allowed=allowed,
    )


def randn_keep_rate(p: float) -> float:
    """The keep rate of the seed's bug ``torch.randn(X.shape) > p``: ``P(N(0, 1) > p)``."""
    return 0.5 * math.erfc(p / math.sqrt(2))


def keep_rate_problem(kept: torch.Tensor, p: float) -> str | None:
    """Why the fraction of kept elements is not ``1 - p`` (Hoeffding bound), or None."""
    n = kept.numel()
    rate = float(kept.double().mean())
    radius = hoeffding_radius(n)
    if abs(rate - (1 - p)) <= radius:
        return None
    text = T(
        "with dropout = {p}, {rate} of the {n} elements were kept; each element should "
        "survive with probability 1 - p = {wanted} (a correct solution keeps between {low} "
        "and {high}).",
        p=p,
        rate=f"{rate:.1%}",
        n=n,
        wanted=f"{1 - p:.0%}",
        low=f"{1 - p - radius:.1%}",
        high=f"{1 - p + radius:.1%}",
    )
    if abs(rate - randn_keep_rate(p)) <= radius:
        text = T(
            "{problem} {randn_rate} is exactly the keep rate of torch.randn(X.shape) > {p}: "
            "torch.randn draws from the normal distribution N(0, 1), which is not between 0 "
            "and 1. Use torch.rand, uniform on [0, 1): then rand > p with probability "
            "exactly 1 - p.",
            problem=text,
            randn_rate=f"{randn_keep_rate(p):.1%}",
            p=p,
        )
    return text


def independence_problems(kept: torch.Tensor) -> list[str]:
    """Do neighbouring rows (and columns) of a 2-D mask agree as often as chance says?

    If every element is kept independently with probability ``q``, the two elements of
    a pair agree (both kept or both dropped) with probability ``f(q) = q**2 + (1 - q)**2``.
    Disjoint pairs (rows 0-1, 2-3, ...) are independent of each other, so by Hoeffding
    their agreement rate is within ``t_pairs`` of ``f(q)``.  ``q`` is estimated by the
    kept fraction ``r`` of all ``n`` elements, within ``t_n`` of ``q`` (Hoeffding again);
    since ``|f'| <= 2`` on ``[0, 1]``, the agreement rate is within ``t_pairs + 2 t_n``
    of ``f(r)`` unless one of these three statistics (the rate, the row pairs, the column
    pairs) is off: probability at most ``3e-11``.  Using the observed rate rather than
    ``1 - p`` keeps a wrong keep rate (the keep-rate check's business) from failing this
    check.  One mask shared by all rows makes every row pair agree; one coin per row
    makes every column pair agree.
    """
    rate = float(kept.double().mean())
    chance = rate**2 + (1 - rate) ** 2
    problems = []
    for axis in (0, 1):
        pairs = kept.transpose(0, axis)
        count = pairs.shape[0] // 2 * 2
        agree = (pairs[0:count:2] == pairs[1:count:2]).double()
        together = float(agree.mean())
        radius = hoeffding_radius(agree.numel()) + 2 * hoeffding_radius(kept.numel())
        if abs(together - chance) > radius:
            values = {
                "together": f"{together:.1%}",
                "rate": f"{rate:.0%}",
                "chance": f"{chance:.0%}",
                "radius": f"{radius:.1%}",
            }
            problems.append(
                T(
                    "neighbouring rows were kept or dropped together in {together} of "
                    "positions; with {rate} of the elements kept independently, it "
                    "happens in {chance} (+-{radius})",
                    **values,
                )
                if axis == 0
                else T(
                    "neighbouring columns were kept or dropped together in {together} of "
                    "positions; with {rate} of the elements kept independently, it "
                    "happens in {chance} (+-{radius})",
                    **values,
                )
            )
    return problems


def uniform_problems(values: torch.Tensor, a: float) -> list[str]:
    """Mean and mean square of ``values`` against ``U(-a, a)`` (Hoeffding bounds).

    ``U(-a, a)`` has mean 0 (values in an interval of width ``2a``) and mean square
    ``a**2 / 3`` (squares in ``[0, a**2]``).
    """
    v = values.double().flatten()
    n = v.numel()
    mean, square = float(v.mean()), float((v * v).mean())
    problems = []
    if abs(mean) > hoeffding_radius(n, 2 * a):
        problems.append(
            T(
                "the values' mean is {mean}; U(-a, a) has mean 0 (a correct solution's "
                "mean is within +-{radius} here)",
                mean=f"{mean:.4g}",
                radius=f"{hoeffding_radius(n, 2 * a):.2g}",
            )
        )
    if abs(square - a * a / 3) > hoeffding_radius(n, a * a):
        problems.append(
            T(
                "the values' variance is {square}; U(-a, a) with a = {a} has "
                "variance a**2 / 3 = {variance}",
                square=f"{square:.4g}",
                a=f"{a:.4g}",
                variance=f"{a * a / 3:.4g}",
            )
        )
    return problems


NORMAL_BEYOND_ONE_STD = math.erfc(1 / math.sqrt(2))  # P(|Z| > 1) = 0.3173


def normal_problems(values: torch.Tensor, std: float, *, shape: bool = False) -> list[str]:
    """Mean and mean square against ``N(0, std**2)``; optionally the tail fraction.

    The mean of ``n`` draws is ``N(0, std**2 / n)`` (Gaussian tail bound); the mean square
    over ``std**2`` is a chi-square over ``n`` (Laurent-Massart bounds); the fraction of
    values beyond one ``std`` is a mean of indicators with mean ``0.3173`` (Hoeffding).
    """
    v = values.double().flatten()
    n = v.numel()
    mean, square = float(v.mean()), float((v * v).mean())
    low, high = chi_square_interval(n)
    problems = []
    if abs(mean) > gaussian_mean_radius(n, std):
        problems.append(
            T(
                "the values' mean is {mean}; N(0, std**2) has mean 0 (a correct "
                "solution's mean is within +-{radius} here)",
                mean=f"{mean:.4g}",
                radius=f"{gaussian_mean_radius(n, std):.2g}",
            )
        )
    if not low <= square / std**2 <= high:
        problems.append(
            T(
                "the values' standard deviation is {got}; it should be std = {std}",
                got=f"{math.sqrt(square):.4g}",
                std=f"{std:.4g}",
            )
        )
    if shape:
        beyond = float((v.abs() > std).double().mean())
        if abs(beyond - NORMAL_BEYOND_ONE_STD) > hoeffding_radius(n):
            problems.append(
                T(
                    "{beyond} of the values lie more than one std from 0; for a normal "
                    "distribution it is {normal} (a uniform distribution with the same "
                    "variance gives 42.3%)",
                    beyond=f"{beyond:.1%}",
                    normal=f"{NORMAL_BEYOND_ONE_STD:.1%}",
                )
            )
    return problems


# ---------------------------------------------------------------------------------------
# dropout_layer
# ---------------------------------------------------------------------------------------
dropout_layer = assignment.exercise(
    "dropout_layer",
    forbidden=(
        "torch.nn.functional.dropout",
        "torch.nn.functional.dropout1d",
        "torch.nn.functional.dropout2d",
        "torch.nn.functional.dropout3d",
        "torch.nn.functional.alpha_dropout",
        "torch.nn.functional.feature_alpha_dropout",
        "torch.nn.Dropout",
        "torch.nn.Dropout1d",
        "torch.nn.Dropout2d",
        "torch.nn.Dropout3d",
        "torch.nn.AlphaDropout",
        "torch.dropout",
        "torch.Tensor.dropout",
        "torch.native_dropout",
        "torch.alpha_dropout",
        "torch.feature_dropout",
    ),
)

DROPOUT_HINT = (
    "draw mask = torch.rand(X.shape, device=X.device) > dropout (True with probability "
    "1 - dropout) and return mask * X / (1 - dropout): every element is either dropped "
    "(0) or kept and scaled by 1 / (1 - dropout)."
)
DTYPE_HINT = (
    "keep X's dtype: a float32 mask (.float()) times a float16 or bfloat16 X gives a "
    "float32 result. Convert the mask with .to(X.dtype)."
)
SHAPE_HINT = (
    "return a tensor of X's shape: a mask drawn with torch.rand(X.shape) has it, and so "
    "has mask * X / (1 - dropout)."
)


def expect_dropout(ctx: CheckContext, got: Any, x: torch.Tensor, p: float, **shown) -> None:
    """``got`` is a dropout of ``x``: a tensor of x's shape and dtype, each element valid."""
    text = ctx.input_text(x, p, **shown)
    if not isinstance(got, TransportedTensor):
        ctx.fail("dropout_layer should return a tensor", input=text, got=got, hint=DROPOUT_HINT)
    if got.dtype != x.dtype:
        ctx.fail(
            "the result has the wrong dtype",
            input=text,
            expected=str(x.dtype),
            got=str(got.dtype),
            hint=DTYPE_HINT,
        )
    if got.values is None:
        return
    problem = dropout_value_problem(x, got.values, p)
    if problem is not None:
        ctx.fail(
            T("not a dropout of X: {problem}", problem=problem),
            input=text,
            got=got,
            hint="do not divide by 1 - dropout when dropout == 1 (it is 0: return zeros)."
            if p == 1
            else DROPOUT_HINT,
        )


PROBABILITIES = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.8, 1.0]) | st.floats(0.0, 0.95)


@dropout_layer.check(
    "every element is 0 or x / (1 - p); shape and dtype kept (generated inputs)",
    2,
    hint=DROPOUT_HINT,
    contract=(
        "`X` with every element zeroed independently with probability `dropout` and the survivors "
        "scaled by `1 / (1 - dropout)`"
    ),
)
def _dropout_values(ctx: CheckContext) -> None:
    @ctx.given(
        shapes(min_dims=0, max_dims=4, min_side=0, max_side=6),
        st.sampled_from(FLOAT_DTYPES),
        PROBABILITIES,
        max_examples=20,
    )
    def _(shape, dtype, p) -> None:
        x = torch.linspace(-4.0, 4.0, max(math.prod(shape), 1))[: math.prod(shape)]
        x = x.reshape(shape).to(dtype)
        expect_dropout(ctx, ctx.call(x, p), x, p)


SMALL = torch.tensor([[1.0, -2.0, 0.5, 3.0], [-0.25, 4.0, 0.0, -7.5]])


@dropout_layer.check(
    "dropout = 0 keeps X exactly and dropout = 1 gives zeros exactly",
    1,
    hint="dropout is the probability of DROPPING an element: dropout == 0 drops nothing "
    "(return X's values), dropout == 1 drops everything (return torch.zeros_like(X), "
    "without dividing by 1 - 1 = 0).",
    contract="`dropout == 0` gives `X`'s values and `dropout == 1` zeros.",
)
def _dropout_extremes(ctx: CheckContext) -> None:
    for dtype in (torch.float32, torch.float64):
        x = SMALL.to(dtype)
        for p in (0.0, 1.0, 0, 1):
            got = ctx.call(x, p)
            wanted = x if p == 0 else torch.zeros_like(x)
            values = _values(got)
            if values is not None and got.dtype != x.dtype:
                # The message and hint of the failure's kind: not a value mistake.
                ctx.fail(
                    T("dropout = {p}: the result should have X's dtype", p=p),
                    input=ctx.input_text(x, p),
                    expected=str(x.dtype),
                    got=str(got.dtype),
                    hint=EXTREMES_DTYPE_HINT,
                )
            if values is not None and values.shape != x.shape:
                ctx.fail(
                    T("dropout = {p}: the result should have X's shape", p=p),
                    input=ctx.input_text(x, p),
                    expected=T("shape {shape}", shape=tuple(x.shape)),
                    got=T("shape {shape}", shape=tuple(values.shape)),
                    hint=SHAPE_HINT,
                )
            if values is None or not torch.equal(values, wanted):
                ctx.fail(
                    T("dropout = {p} should give X itself", p=p)
                    if p == 0
                    else T("dropout = {p} should give all zeros", p=p),
                    input=ctx.input_text(x, p),
                    expected=wanted,
                    got=got,
                )


EXTREMES_DTYPE_HINT = (
    "keep X's dtype: torch.zeros(X.shape) and torch.tensor(...) make float32 tensors; "
    "torch.zeros_like(X) (or X * 0) keeps X's dtype and device."
)


def big_input() -> torch.Tensor:
    """20000 non-zero values, so that an element is kept exactly when it is non-zero."""
    return torch.linspace(1.0, 2.0, 20000).reshape(100, 200)


@dropout_layer.check(
    "keeps each element with probability 1 - p (statistical bound)",
    3,
    hint="use torch.rand (uniform on [0, 1)) and keep an element when its number is "
    "> dropout: that happens with probability 1 - dropout.",
    contract="`X` with every element zeroed independently with probability `dropout`",
)
def _dropout_keep_rate(ctx: CheckContext) -> None:
    """The kept fraction of 20000 elements lies within 1 - p +- 0.0255 (3 statistics).

    A correct solution keeps each of the n = 20000 elements independently with
    probability 1 - p.  Hoeffding: P(|rate - (1 - p)| >= t) <= 2 exp(-2 n t**2); with
    t = sqrt(ln(2 / 1e-11) / (2 n)) = sqrt(26.02 / 40000) = 0.0255 that is 1e-11 per
    probability tested, 3e-11 for p = 0.5, 0.2, 0.9.  The seed's bug (torch.randn) keeps
    30.9%, 42.1% and 18.4% instead of 50%, 80% and 10%, and keeping with probability p
    instead of 1 - p keeps 20% instead of 80%: all far outside.
    """
    x = big_input()
    for seed, p in ((11, 0.5), (12, 0.2), (13, 0.9)):
        got = ctx.call(x, p, seed=seed)
        values = _values(got)
        if values is None or values.shape != x.shape:
            ctx.fail(
                "dropout_layer should return a tensor of X's shape",
                input=ctx.input_text(x, p),
                got=got,
                hint=SHAPE_HINT,
            )
        problem = keep_rate_problem(values != 0, p)
        if problem is not None:
            ctx.fail(
                T("the keep rate is wrong: {problem}", problem=problem), input=ctx.input_text(x, p)
            )


@dropout_layer.check(
    "drops elements independently (not one mask for every row or column)",
    1,
    hidden=True,
    hint="draw one random number per element: torch.rand(X.shape, device=X.device), not "
    "torch.rand(X.shape[-1]) (the same mask for every row) or one number per row.",
    contract="`X` with every element zeroed independently with probability `dropout`",
)
def _dropout_independent(ctx: CheckContext) -> None:
    """Disjoint neighbour pairs agree as often as independent coins do (3 statistics).

    10000 row pairs and 10000 column pairs of a 100 x 200 output at p = 0.5.  Under
    independence each pair agrees with probability q**2 + (1 - q)**2 (1/2 at q = 1/2),
    independently of the other pairs: Hoeffding with n = 10000 gives t_pairs =
    sqrt(26.02 / 20000) = 0.036.  q is estimated from the 20000 elements (t_n = 0.0255),
    which moves q**2 + (1 - q)**2 by at most 2 t_n = 0.051: the agreement must lie within
    0.087 of chance.  False failure: 3 statistics at 1e-11 each (see independence_problems).
    """
    x = big_input()
    got = ctx.call(x, 0.5, seed=21)
    values = _values(got)
    if values is None or values.shape != x.shape:
        ctx.fail(
            "dropout_layer should return a tensor of X's shape",
            input=ctx.input_text(x, 0.5),
            got=got,
            hint=SHAPE_HINT,
        )
    problems = independence_problems(values != 0)
    if problems:
        ctx.fail(
            T(
                "elements are not dropped independently: {problems}",
                problems=join(problems, "; "),
            ),
            input=ctx.input_text(x, 0.5),
        )


@dropout_layer.check(
    "uses torch's global generator: reproducible under torch.manual_seed, never reseeds it",
    1,
    hint="draw the mask with torch.rand (torch's global generator, which torch.manual_seed "
    "controls), not numpy or random or a torch.Generator of your own, and never call "
    "torch.manual_seed inside the function: that makes every later random number of the "
    "program predictable.",
    contract=(
        "Random numbers come from torch's global generator (so `torch.manual_seed` repeats a "
        "result), which the function never reseeds;"
    ),
)
def _dropout_generator(ctx: CheckContext) -> None:
    """Deterministic, except that two correct masks of 64 elements at p = 0.5 coincide
    with probability 2**-64 (negligible)."""
    x = torch.linspace(1.0, 2.0, 64).reshape(8, 8)
    text = ctx.input_text(x, 0.5)
    answer = ctx.probe(x, 0.5, probe=GENERATOR_PROBE)

    def same(a: Any, b: Any) -> bool:
        va, vb = _values(a), _values(b)
        return va is not None and vb is not None and va.shape == vb.shape and torch.equal(va, vb)

    first, second = answer.get("same_seed", [None, None])
    if not same(first, second):
        ctx.fail(
            "two calls after the same torch.manual_seed(1) gave different results: the "
            "function is not reproducible with torch.manual_seed",
            input=text,
            got=T("{first} and then {second}", first=describe(first), second=describe(second)),
        )
    expect_global_generator_kept(ctx, answer, same, text)
    if same(first, answer.get("other_seed")):
        ctx.fail(
            "torch.manual_seed(1) and torch.manual_seed(2) gave the same mask: the mask "
            "does not depend on torch's global generator",
            input=text,
        )
    a, b = answer.get("in_a_row", [None, None])
    if same(a, b):
        ctx.fail(
            "two calls in a row gave the same mask: every call must draw a new mask.",
            input=text,
        )


@dropout_layer.check(
    "raises ValueError for dropout outside [0, 1]",
    1,
    hint="check the argument first: if not 0 <= dropout <= 1: raise ValueError(...). "
    "A bare `assert 0 <= dropout <= 1` raises AssertionError instead, and Python "
    "skips asserts altogether under python -O.",
    contract="`ValueError` unless `0 <= dropout <= 1`.",
)
def _dropout_errors(ctx: CheckContext) -> None:
    for p in (-0.1, 1.5, 2, -1):
        ctx.expect_raises(ValueError, SMALL, p, why="when dropout is not a probability")


@dropout_layer.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _dropout_dtype(ctx: CheckContext) -> None:
    """The dtype only: the values are the other checks' business."""
    for dtype in FLOAT_DTYPES:
        x = SMALL.to(dtype)
        for p in (0.5, 0.0, 1.0):
            got = ctx.call(x, p)
            expect_tensor(got, x, input=ctx.input_text(x, p), judging="dtype", hint=DTYPE_HINT)


@dropout_layer.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _dropout_device(ctx: CheckContext) -> None:
    x = SMALL.to(torch.float64)
    for p in (0.5, 1.0):
        outcome = ctx.run(x, p, default_device="meta")
        text = ctx.input_text(x, p)
        if not outcome.ok:
            ctx.fail(
                T(
                    "dropout_layer fails when the default device is not X's device: {failure}",
                    failure=outcome.describe_failure(),
                ),
                input=text,
                hint=DEFAULT_DEVICE_HINT,
            )
        got = outcome.value["result"] if isinstance(outcome.value, dict) else None
        if not isinstance(got, TransportedTensor) or got.device_type != "cpu":
            ctx.fail(
                "the result is not on X's device",
                input=text,
                expected="a tensor on cpu",
                got=got,
                hint=DEFAULT_DEVICE_HINT,
            )
        for device in ["meta"] + (["cuda"] if cuda_available() else []):
            placed = Placed(x, device)
            outcome = ctx.run(placed, p)
            if device == "meta" and meta_cannot_run(outcome.raised):
                continue  # an operation meta cannot run: the trap above judged the device
            got = ctx.answer(outcome, (placed, p), {})["result"]
            if not isinstance(got, TransportedTensor) or got.device_type != device:
                ctx.fail(
                    "the result is not on X's device",
                    input=ctx.input_text(placed, p),
                    expected=T("a tensor on {device}", device=device),
                    got=got,
                    hint=DEFAULT_DEVICE_HINT,
                )


@dropout_layer.check(
    "does not modify its input",
    1,
    hint="X *= mask or X[mask] = 0 write into the caller's tensor: compute a new tensor "
    "(mask * X / (1 - dropout)).",
    contract="`X` is not modified.",
)
def _dropout_no_mutation(ctx: CheckContext) -> None:
    x = SMALL.clone()
    for p in (0.5, 1.0):
        answer = ctx.probe(x, p, options={"return_args": True})
        expect_unchanged(
            [x, p], answer.get("args_after"), input=ctx.input_text(x, p), function=ctx.function
        )


# ---------------------------------------------------------------------------------------
# fan_in_and_fan_out
# ---------------------------------------------------------------------------------------
INIT_FORBIDDEN = (
    "torch.nn.init.xavier_uniform_",
    "torch.nn.init.xavier_normal_",
    "torch.nn.init._calculate_fan_in_and_fan_out",
    "torch.nn.init._calculate_correct_fan",
    "torch.nn.init.kaiming_uniform_",
    "torch.nn.init.kaiming_normal_",
    "torch.nn.init.xavier_uniform",
    "torch.nn.init.xavier_normal",
)
fan_in_and_fan_out = assignment.exercise("fan_in_and_fan_out", forbidden=INIT_FORBIDDEN)

FAN_HINT = (
    "a weight has shape (out, in, *kernel): fan_in = in * prod(kernel) and fan_out = out * "
    "prod(kernel), where prod of no kernel dimensions is 1 (a linear layer's (out, in))."
)


def expect_fans(ctx: CheckContext, shape: tuple[int, ...], hint: str = FAN_HINT) -> None:
    weight = torch.zeros(shape)
    expected = ctx.reference.fan_in_and_fan_out(weight)
    got = ctx.call(weight)
    text = T("fan_in_and_fan_out(a weight of shape {shape})", shape=tuple(shape))
    if (
        isinstance(got, (tuple, list))
        and len(got) == 2
        and tuple(got) == expected[::-1]
        and expected[0] != expected[1]
    ):
        hint = T(
            "fan_in and fan_out are swapped: a weight is (out, in, ...), so fan_in "
            "comes from size(1) and fan_out from size(0); {hint}",
            hint=phrase(hint),
        )
    # The numbers only: whether they come as a tuple of ints is the type check's property.
    numbers = tuple(got) if isinstance(got, (tuple, list)) else got
    expect_equal(numbers, expected, input=text, hint=hint)


@fan_in_and_fan_out.check(
    "linear weights (out, in): fan_in = in, fan_out = out",
    2,
    hint=FAN_HINT,
    contract=(
        "for a weight of shape `(out, in, *kernel)`, `fan_in = in * prod(kernel)` and `fan_out = "
        "out * prod(kernel)`."
    ),
)
def _fans_linear(ctx: CheckContext) -> None:
    for shape in ((3, 5), (5, 3), (1, 1), (256, 784), (0, 4), (4, 0)):
        expect_fans(ctx, shape)


@fan_in_and_fan_out.check(
    "convolution weights (out, in, *kernel): both fans include the receptive field",
    2,
    hint=FAN_HINT,
    contract=(
        "for a weight of shape `(out, in, *kernel)`, `fan_in = in * prod(kernel)` and `fan_out = "
        "out * prod(kernel)`."
    ),
)
def _fans_conv(ctx: CheckContext) -> None:
    for shape in ((16, 3, 5, 5), (8, 4, 3), (2, 3, 2, 3, 4), (6, 6, 1, 7), (0, 3, 2, 2)):
        expect_fans(ctx, shape)

    @ctx.given(shapes(min_dims=3, max_dims=5, min_side=0, max_side=5), max_examples=10)
    def _(shape) -> None:
        expect_fans(ctx, shape)


@fan_in_and_fan_out.check(
    "raises ValueError for fewer than 2 dimensions",
    1,
    hint="a bias or a scalar has no fan in and fan out: if tensor.dim() < 2, raise "
    "ValueError (not assert, and not an IndexError from tensor.size(1)).",
    contract="`ValueError` below two dimensions.",
)
def _fans_errors(ctx: CheckContext) -> None:
    for weight in (torch.zeros(5), torch.tensor(1.0), torch.zeros(0)):
        ctx.expect_raises(ValueError, weight, why="for a tensor with fewer than 2 dimensions")


@fan_in_and_fan_out.check(
    "returns a tuple of two Python ints",
    1,
    hint="return (fan_in, fan_out) built from tensor.shape, whose entries are ints; "
    "torch.prod / torch.tensor make tensors, math.prod and * keep ints.",
    contract="`(fan_in, fan_out)`, a tuple of two Python ints",
)
def _fans_type(ctx: CheckContext) -> None:
    for shape in ((4, 3), (4, 3, 2, 2)):
        got = ctx.call(torch.zeros(shape))
        if not (isinstance(got, tuple) and len(got) == 2 and all(type(v) is int for v in got)):
            ctx.fail(
                "fan_in_and_fan_out should return a tuple of two Python ints",
                input=T("fan_in_and_fan_out(a weight of shape {shape})", shape=shape),
                expected=ctx.reference.fan_in_and_fan_out(torch.zeros(shape)),
                got=got,
            )


@fan_in_and_fan_out.check(
    "uses only the shape: works on meta tensors and with another default device",
    1,
    hint="only tensor.shape (and tensor.dim()) are needed; a meta tensor has no values, "
    "so .item(), .tolist() or tensors built from the shape fail on it.",
    contract="computed from the shape alone",
)
def _fans_meta(ctx: CheckContext) -> None:
    """Compared with the function's own answer on a CPU tensor, so that wrong fans cost
    points in the fan checks only."""
    shape = (16, 3, 5, 5)
    weight = torch.zeros(shape)
    own = ctx.call(weight)
    for default_device, argument in ((None, Placed(weight, "meta")), ("meta", weight)):
        if default_device is None:
            text = T("fan_in_and_fan_out(a weight of shape {shape}), a meta tensor", shape=shape)
        else:
            text = T(
                "fan_in_and_fan_out(a weight of shape {shape}), with default device meta",
                shape=shape,
            )
        outcome = ctx.run(argument, default_device=default_device)
        if not outcome.ok:
            failure = outcome.describe_failure()
            ctx.fail(
                T("it fails a meta tensor: {failure}", failure=failure)
                if default_device is None
                else T("it fails with default device meta: {failure}", failure=failure),
                input=text,
            )
        got = outcome.value["result"] if isinstance(outcome.value, dict) else None
        expect_equal(got, own, input=text, what="the answer (unlike on a CPU tensor)")


# ---------------------------------------------------------------------------------------
# xavier_uniform_ and xavier_normal_
# ---------------------------------------------------------------------------------------
IN_PLACE_HINT = (
    "fill the tensor you were given, in place (its own uniform_ / normal_ methods, under "
    "torch.no_grad()), and return that same tensor: a new tensor, or tensor.data = ..., "
    "leaves nn.Linear's weight (and everyone holding it) untouched."
)
NO_GRAD_HINT = (
    "model weights are nn.Parameters that require grad, and autograd refuses in-place "
    'changes to them ("a leaf Variable that requires grad is being used in an in-place '
    'operation"): fill the tensor inside `with torch.no_grad():`.'
)
WEIGHT_SHAPES = ((200, 100), (64, 32, 3, 3))


def initialise(
    ctx: CheckContext,
    shape: tuple[int, ...],
    *,
    dtype: torch.dtype = torch.float32,
    gain: float | None = None,
    device: str | None = None,
    parameter: bool = False,
    seed: int = 0,
    default_device: str | None = None,
) -> tuple[dict, str]:
    """Run the initialiser on a zero tensor inside the runner; return the probe's report."""
    tensor = torch.zeros(shape, dtype=dtype)
    kwargs = {} if gain is None else {"gain": gain}
    values = {
        "function": ctx.function,
        "shape": tuple(shape),
        "dtype": dtype,
        "arguments": "".join(f", {k}={v}" for k, v in kwargs.items()),
    }
    if parameter and device is None:
        text = T("{function}(an nn.Parameter of shape {shape}, {dtype}{arguments})", **values)
    elif parameter:
        text = T(
            "{function}(an nn.Parameter of shape {shape}, {dtype} on {device}{arguments})",
            device=device,
            **values,
        )
    elif device is None:
        text = T("{function}(a tensor of shape {shape}, {dtype}{arguments})", **values)
    else:
        text = T(
            "{function}(a tensor of shape {shape}, {dtype} on {device}{arguments})",
            device=device,
            **values,
        )
    if default_device is not None:
        text = T("{call} with default device {device}", call=text, device=default_device)
    answer = ctx.probe(
        Placed(tensor, device) if device else tensor,
        probe=INIT_PROBE,
        options={"parameter": parameter},
        seed=seed,
        default_device=default_device,
        **kwargs,
    )
    return answer, text


def filled_values(ctx: CheckContext, answer: dict, text: str) -> TransportedTensor:
    """The tensor after the call, which must have been filled in place and returned."""
    values = answer.get("values")
    if not isinstance(values, TransportedTensor):
        ctx.fail("the runner did not report the tensor", input=text)
    if answer.get("same_object") is not True:
        result = answer.get("result")
        unchanged = values.values is not None and bool((values.values == 0).all())
        ctx.fail(
            T(
                "{function} returned a different object from the tensor it was given "
                "and left that tensor unfilled",
                function=ctx.function,
            )
            if unchanged
            else T(
                "{function} returned a different object from the tensor it was given",
                function=ctx.function,
            ),
            input=text,
            expected="the same tensor, filled in place (result is tensor)",
            got=T("a new tensor: {value}", value=describe(result))
            if isinstance(result, TransportedTensor)
            else describe(result),
            hint=IN_PLACE_HINT,
        )
    if answer.get("same_storage") is not True:
        ctx.fail(
            "the tensor's memory was replaced (tensor.data = ...) instead of filled in place",
            input=text,
            hint=IN_PLACE_HINT,
        )
    if values.values is not None and bool((values.values == 0).all()):
        ctx.fail(
            "the tensor was not filled (it is still all zeros)", input=text, hint=IN_PLACE_HINT
        )
    return values


def drawn_values(ctx: CheckContext, answer: dict, text: str) -> TransportedTensor:
    """What the initialiser drew: the filled tensor, or else the tensor it returned.

    Lenient on purpose: filling in place is the business of its own checks, so a
    function that returns a new tensor still earns the points of the distribution checks.
    """
    values, result = answer.get("values"), answer.get("result")
    new = isinstance(result, TransportedTensor) and answer.get("same_object") is not True
    if isinstance(values, TransportedTensor) and values.values is None:
        return result if new else values  # meta: only the device can be judged
    if isinstance(values, TransportedTensor) and not bool((values.values == 0).all()):
        return values
    if new and result.shape == tuple(values.shape):
        return result
    ctx.fail(
        T(
            "{function} neither filled the tensor nor returned one of its shape",
            function=ctx.function,
        ),
        input=text,
        got=result,
        hint=IN_PLACE_HINT,
    )


def uniform_bound(shape: tuple[int, ...], gain: float = 1.0) -> float:
    fan_in, fan_out = _reference_fans(shape)
    return gain * math.sqrt(6.0 / (fan_in + fan_out))


def normal_std(shape: tuple[int, ...], gain: float = 1.0) -> float:
    fan_in, fan_out = _reference_fans(shape)
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


def _reference_fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """torch's own fans (the reference's ``fan_in_and_fan_out`` agrees, tested)."""
    return torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape, device="meta"))


UNIFORM_HINT = (
    "fill from U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (the tensor's own "
    "uniform_, bounds -a and a), fans from fan_in_and_fan_out(tensor) (a convolution "
    "weight's fans include the kernel size). sqrt(2 / (fan_in + fan_out)) is the standard "
    "deviation (xavier_normal_'s), not the bound: U(-a, a) has variance a**2 / 3."
)
NORMAL_HINT = (
    "fill from N(0, std**2) with std = gain * sqrt(2 / (fan_in + fan_out)): "
    "tensor.normal_(0, std). normal_'s arguments are (mean, std), and std is the square "
    "root of the variance 2 / (fan_in + fan_out)."
)
NORMAL_SHAPE_HINT = (
    "draw from the normal distribution (tensor.normal_(0, std)), not from a uniform "
    "distribution with the same variance."
)
GAIN_HINT = "multiply the bound (uniform) or the standard deviation (normal) by gain."


class Law:
    """What one initialiser should draw, and how its values are judged."""

    def __init__(self, uniform: bool) -> None:
        self.uniform = uniform

    def scale(self, shape: tuple[int, ...], gain: float = 1.0) -> float:
        return uniform_bound(shape, gain) if self.uniform else normal_std(shape, gain)

    def expect_plausible(
        self, ctx: CheckContext, values: torch.Tensor, scale: float, text: str, dtype
    ) -> None:
        """Deterministic: uniform values lie in [-a, a] (up to one rounding of ``a``);
        normal ones are finite and within 10 std, which 20000 correct draws break with
        probability 20000 * P(|Z| > 10) < 1e-18 (not counted among the statistics)."""
        worst = float(values.double().abs().max()) if values.numel() else 0.0
        if self.uniform and not worst <= scale * (1 + 2 * torch.finfo(dtype).eps):
            ctx.fail(
                T(
                    "a value of magnitude {worst} lies outside [-a, a] with a = gain * "
                    "sqrt(6 / (fan_in + fan_out)) = {scale}",
                    worst=f"{worst:.4g}",
                    scale=f"{scale:.4g}",
                ),
                input=text,
                hint=UNIFORM_HINT,
            )
        if not self.uniform and not worst <= 10 * scale:
            ctx.fail(
                T(
                    "a value of magnitude {worst} is far outside N(0, std**2) with std = {scale}",
                    worst=f"{worst:.4g}",
                    scale=f"{scale:.4g}",
                ),
                input=text,
                hint=NORMAL_HINT,
            )

    def problems(self, values: torch.Tensor, scale: float, shape: bool = False) -> list[str]:
        if self.uniform:
            return uniform_problems(values, scale)
        return normal_problems(values, scale, shape=shape)


def expect_distribution(
    ctx: CheckContext,
    law: Law,
    shape: tuple[int, ...],
    *,
    seed: int,
    gain: float | None = None,
    hint: str,
    tail: bool = False,
) -> None:
    """Draw once into a zero tensor of ``shape``; judge the values and their statistics."""
    answer, text = initialise(ctx, shape, gain=gain, seed=seed)
    values = drawn_values(ctx, answer, text).values
    scale = law.scale(shape, 1.0 if gain is None else gain)
    law.expect_plausible(ctx, values, scale, text, torch.float32)
    problems = law.problems(values, scale, shape=tail)
    if problems:
        ctx.fail(
            T(
                "the values do not follow the distribution: {problems}",
                problems=join(problems, "; "),
            ),
            input=text,
            hint=hint,
        )


def expect_in_place(ctx: CheckContext) -> None:
    answer, text = initialise(ctx, (20, 30))
    filled_values(ctx, answer, text)


def expect_parameter(ctx: CheckContext) -> None:
    answer, text = initialise(ctx, (20, 30), parameter=True)
    filled_values(ctx, answer, text)
    if answer.get("requires_grad") is not True or answer.get("is_leaf") is not True:
        ctx.fail(
            "after the call the parameter no longer requires grad, or is no longer a leaf "
            "of the autograd graph",
            input=text,
            hint=NO_GRAD_HINT,
        )


def expect_dtypes(ctx: CheckContext, law: Law) -> None:
    shape = (40, 30)
    for dtype in FLOAT_DTYPES:
        answer, text = initialise(ctx, shape, dtype=dtype, seed=5)
        values = drawn_values(ctx, answer, text)
        if values.dtype != dtype:
            ctx.fail(
                "the tensor's dtype changed",
                input=text,
                expected=str(dtype),
                got=str(values.dtype),
                hint="fill the tensor in place (tensor.uniform_ / tensor.normal_): that "
                "keeps its dtype; tensor.data = torch.rand(...) replaces it with float32.",
            )


def expect_devices(ctx: CheckContext, law: Law) -> None:
    """The tensor stays on its device, whatever the default device: the device alone is
    judged (the values are the distribution checks')."""
    shape = (40, 30)
    tiers = [("cpu", None, "meta"), ("meta", "meta", None)]
    tiers += [("cuda", "cuda", None)] if cuda_available() else []
    for seed, (wanted, device, default_device) in enumerate(tiers, start=6):
        answer, text = initialise(
            ctx, shape, device=device, default_device=default_device, seed=seed
        )
        values = drawn_values(ctx, answer, text)
        if values.device_type != wanted:
            ctx.fail(
                "the tensor left its device",
                input=text,
                expected=T("a tensor on {device}", device=wanted),
                got=T("a tensor on {device}", device=values.device),
                hint=DEFAULT_DEVICE_HINT,
            )


UNIFORM_STATISTICS = """Mean and mean square of 20000 and 18432 draws: 4 statistics, 1e-11 each.

Values of U(-a, a) lie in an interval of width 2a, so by Hoeffding the mean of n of them
is within 2a * sqrt(ln(2 / 1e-11) / (2n)) = 0.051a (n = 20000) of 0 except with
probability 1e-11; squares lie in [0, a**2], so the mean square is within
a**2 * sqrt(26.02 / (2n)) = 0.0255 a**2 of a**2 / 3 (7.7% of it).  Using
sqrt(2 / (fan_in + fan_out)) as the bound gives a third of the variance.  Every value must
also lie in [-a, a] (deterministic).  The gain check repeats this for gains 2 and 0.5
(4 more statistics).
"""

NORMAL_STATISTICS = """Mean and mean square of 20000 and 18432 draws: 4 statistics, 1e-11 each.

The mean of n draws of N(0, std**2) is N(0, std**2 / n), and P(|Z| >= z) <=
2 exp(-z**2 / 2): |mean| <= std * sqrt(2 ln(2 / 1e-11) / n) = 0.051 std (n = 20000) except
with probability 1e-11.  n * mean square / std**2 is chi-square with n degrees of freedom;
Laurent and Massart's bounds with x = ln(2 / 1e-11) = 26.02 put mean square / std**2 in
[1 - 2 sqrt(x / n), 1 + 2 sqrt(x / n) + 2x / n] = [0.928, 1.075] except with probability
1e-11.  He's std sqrt(2 / fan_in) is 1.7 times too large here, using the variance as the std
20 times too small.  The gain check repeats this for gains 2 and 0.5 (4 more statistics).
"""


def register_initialiser(
    name: str, law: Law, moments: str, hint: str, arithmetic: str, cited: tuple[str, str]
) -> Any:
    """The checks both Xavier initialisers share (``moments``: the name of the check of the
    values' distribution, ``arithmetic``: the statistics' bounds, ``cited``: the contract's
    words on filling in place and on the distribution)."""
    # Built on fan_in_and_fan_out: a mistake there costs points there only.
    exercise = assignment.exercise(name, forbidden=INIT_FORBIDDEN, lends=("fan_in_and_fan_out",))
    exercise.check(
        "fills the tensor in place and returns that same tensor",
        2,
        hint=IN_PLACE_HINT,
        contract=cited[0],
    )(expect_in_place)
    exercise.check(
        "works on an nn.Parameter that requires grad",
        1,
        hint=NO_GRAD_HINT,
        contract="works on parameters that require gradients.",
    )(expect_parameter)

    @exercise.check(moments, 3, hint=hint, contract=cited[1])
    def _moments(ctx: CheckContext) -> None:
        for seed, shape in enumerate(WEIGHT_SHAPES, start=41):
            expect_distribution(ctx, law, shape, seed=seed, hint=hint)

    _moments.__doc__ = arithmetic

    @exercise.check("honours gain", 1, hint=GAIN_HINT, contract=cited[1])
    def _gain(ctx: CheckContext) -> None:
        for seed, gain in ((51, 2.0), (52, 0.5)):
            expect_distribution(ctx, law, WEIGHT_SHAPES[0], seed=seed, gain=gain, hint=GAIN_HINT)

    exercise.check(
        "keeps the dtype (float16, bfloat16, float32, float64)", 1, contract=KEEPS_DTYPE
    )(lambda ctx: expect_dtypes(ctx, law))
    exercise.check(
        "keeps the device (meta, default-device trap, CUDA if present)",
        1,
        hint=DEFAULT_DEVICE_HINT,
        contract=STAYS_ON_DEVICE,
    )(lambda ctx: expect_devices(ctx, law))
    return exercise


xavier_uniform_ = register_initialiser(
    "xavier_uniform_",
    Law(uniform=True),
    "values in [-a, a], a = gain * sqrt(6 / (fan_in + fan_out)), with U(-a, a)'s mean and "
    "variance (linear and convolution weights, statistical bound)",
    UNIFORM_HINT,
    UNIFORM_STATISTICS,
    (
        "`xavier_uniform_(tensor, gain=1.0)` -> the same tensor, filled in place",
        "filled in place from `U(-a, a)` with `a = gain * sqrt(6 / (fan_in + fan_out))`",
    ),
)

xavier_normal_ = register_initialiser(
    "xavier_normal_",
    Law(uniform=False),
    "mean 0 and standard deviation gain * sqrt(2 / (fan_in + fan_out)) (linear and convolution "
    "weights, statistical bound)",
    NORMAL_HINT,
    NORMAL_STATISTICS,
    (
        "`xavier_normal_(tensor, gain=1.0)` -> the same,",
        "from a normal distribution with mean 0 and standard deviation "
        "`gain * sqrt(2 / (fan_in + fan_out))`.",
    ),
)


@xavier_normal_.check(
    "is normal, not uniform: about 31.7% of the values lie beyond one std",
    1,
    hint=NORMAL_SHAPE_HINT,
    contract="from a normal distribution with mean 0",
)
def _normal_shape(ctx: CheckContext) -> None:
    """Fraction beyond one std of 20000 and 18432 draws (6 statistics, 1e-11 each).

    Each draw lies beyond one std with probability 0.3173; Hoeffding with n = 18432 gives
    a radius of sqrt(26.02 / 36864) = 0.027.  A uniform distribution with the right
    variance puts 42.3% there.  (Mean and mean square are tested again: 4 more.)
    """
    for seed, shape in enumerate(WEIGHT_SHAPES, start=71):
        expect_distribution(
            ctx, Law(uniform=False), shape, seed=seed, hint=NORMAL_SHAPE_HINT, tail=True
        )
