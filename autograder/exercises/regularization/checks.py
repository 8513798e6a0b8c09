"""Checks for ``regularization.py``: relu, l2_penalty, l1_penalty, accuracy, log_rmse.

Values are compared with the reference on generated inputs; gradients where the exercise
is differentiable.  ``l2_penalty`` is also graded by its effect: d2l 4.5's overfitting
model (20 examples, 200 features) trained with the student's penalty and ``lambd = 3``
must end with far smaller weights than without weight decay (the probe in this folder's
``probes.py`` makes the data and runs the training, so only the penalty is the
student's).  ``log_rmse`` runs on a linear net and house prices the check makes
(positive, around 1e4 to 4e5).  Nothing is random at grading time.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.exercises.regularization import probes
from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors
from autograder.grading.context import CheckContext, describe
from autograder.grading.contract import ANY_DEVICE, INPUTS_UNCHANGED, STAYS_ON_DEVICE
from autograder.grading.expect import expect_equal, expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    DEFAULT_DEVICE_HINT,
    META_TIMEOUT,
    cuda_available,
    expect_device_portable,
    expect_gradients,
    expect_inputs_unchanged,
    expect_runs_off_the_default_device,
)
from autograder.grading.registry import probe_name
from autograder.i18n import T

assignment = Assignment("regularization")

METRIC_PROBE = probe_name("regularization", "metric")
DECAY_PROBE = probe_name("regularization", "weight_decay")


@st.composite
def weights(draw: st.DrawFn, dtypes: tuple[torch.dtype, ...] = FLOAT_DTYPES) -> Any:
    """(w, contiguous): any shape (0-dim and empty included), any float dtype."""
    shape = draw(shapes(min_dims=0, max_dims=3, min_side=0, max_side=5))
    dtype = draw(st.sampled_from(dtypes))
    limit = 4.0 if dtype in (torch.float16, torch.bfloat16) else 10.0
    return draw(tensors(shape, dtype, -limit, limit)), draw(st.booleans())


def placed(w: torch.Tensor, contiguous: bool) -> Any:
    return w if contiguous or w.dim() == 0 else Placed(w, "cpu", contiguous=False)


def sum_tolerance(w: torch.Tensor) -> dict[str, float]:
    """A sum of ``n`` terms in ``w``'s dtype may be off by about ``n * eps`` relative."""
    eps = torch.finfo(w.dtype).eps
    return {"rtol": eps * (2 * max(w.numel(), 1) + 4), "atol": eps}


NO_ZEROS = torch.tensor([[1.5, -2.0, 0.25], [-0.5, 3.0, -4.0]])
WITH_ZEROS = torch.tensor([[1.5, 0.0, -2.0], [0.0, -0.5, 3.0]])

# ---------------------------------------------------------------------------------------
# relu
# ---------------------------------------------------------------------------------------
relu = assignment.exercise(
    "relu",
    forbidden=(
        "torch.relu",
        "torch.relu_",
        "torch.Tensor.relu",
        "torch.Tensor.relu_",
        "torch.nn.functional.relu",
        "torch.nn.functional.relu_",
        "torch.nn.functional.relu6",
        "torch.nn.ReLU",
        "torch.nn.ReLU6",
        "torch.nn.functional.threshold",
        "torch.nn.functional.threshold_",
        "torch.nn.Threshold",
    ),
)

RELU_HINT = (
    "compare X elementwise with zeros of its own shape, dtype and device (torch.zeros_like "
    "makes them) and keep the larger of each pair (torch.max of two tensors). torch.max(X, 0) "
    "is something else: the maximum along dimension 0, with its indices."
)


@relu.check(
    "agrees with max(x, 0) on generated inputs (shapes, dtypes, strides)",
    2,
    hint=RELU_HINT,
    contract="`relu(X)` -> `max(X, 0)` element by element, same dtype and device;",
)
def _relu_agrees(ctx: CheckContext) -> None:
    @ctx.given(weights(), max_examples=15)
    def _(case) -> None:
        x, contiguous = case
        expected = ctx.reference.relu(x)
        got = ctx.call(placed(x, contiguous))
        expect_tensor(got, expected, input=ctx.input_text(x), hint=RELU_HINT)


@relu.check(
    "the gradient is 1 where x > 0 and 0 where x < 0",
    2,
    hint="compute with differentiable tensor operations on X (torch.max, torch.where, "
    "X * (X > 0)); a result built with torch.tensor(...), .numpy() or .detach() has no "
    "gradient.",
    contract="the gradient is 1 where `X > 0` and 0 where `X < 0`.",
)
def _relu_gradient(ctx: CheckContext) -> None:
    expect_gradients(ctx, NO_ZEROS, seed=7)
    expect_gradients(ctx, NO_ZEROS.double().T, seed=8)


@relu.check(
    "keeps the device (meta, default-device trap, CUDA if present)",
    1,
    contract="`relu(X)` -> `max(X, 0)` element by element, same dtype and device;",
)
def _relu_device(ctx: CheckContext) -> None:
    expect_device_portable(ctx, NO_ZEROS)


@relu.check(
    "does not modify its input",
    1,
    hint="X[X < 0] = 0 and X.clamp_(min=0) write into the caller's tensor: build a new one.",
    contract=INPUTS_UNCHANGED,
)
def _relu_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, NO_ZEROS)


# ---------------------------------------------------------------------------------------
# l2_penalty and l1_penalty
# ---------------------------------------------------------------------------------------
L2_HINT = "half the sum of the squares of w's elements, a 0-dim tensor."
L1_HINT = "the sum of the absolute values of w's elements, a 0-dim tensor."


def register_penalty(
    name: str, formula: str, hint: str, gradient: str, gradient_hint: str, cited: tuple[str, str]
):
    """The checks both penalties share: values, gradient, device, no mutation; ``cited``:
    the contract's words the value and the gradient checks enforce."""
    exercise = assignment.exercise(name)

    @exercise.check(formula, 2, hint=hint, contract=cited[0])
    def _agrees(ctx: CheckContext) -> None:
        @ctx.given(weights(), max_examples=15)
        def _(case) -> None:
            w, contiguous = case
            expected = ctx.reference_function(w)
            got = ctx.call(placed(w, contiguous))
            expect_tensor(got, expected, input=ctx.input_text(w), hint=hint, **sum_tolerance(w))

    @exercise.check(gradient, 1, hint=gradient_hint, contract=cited[1])
    def _gradient(ctx: CheckContext) -> None:
        expect_gradients(ctx, WITH_ZEROS, seed=9)

    exercise.check(
        "keeps the device (meta, default-device trap, CUDA if present)",
        1,
        contract=STAYS_ON_DEVICE,
    )(lambda ctx: expect_device_portable(ctx, NO_ZEROS))
    exercise.check(
        "does not modify its input",
        1,
        hint="compute new tensors (w.pow(2), torch.abs(w)); w.pow_(2) or w.abs_() change "
        "the model's weights.",
        contract=INPUTS_UNCHANGED,
    )(lambda ctx: expect_inputs_unchanged(ctx, WITH_ZEROS))
    return exercise


l2_penalty = register_penalty(
    "l2_penalty",
    "agrees with sum(w**2) / 2, a 0-dim tensor (generated shapes and dtypes)",
    L2_HINT,
    "the gradient is w",
    "keep the penalty a tensor computed from w (no .item(), .data or float(...)): it is "
    "added to the loss, and its gradient w is what shrinks the weights.",
    ("`l2_penalty(w)` -> `sum(w ** 2) / 2`", "a 0-dim differentiable tensor. Also graded"),
)
l1_penalty = register_penalty(
    "l1_penalty",
    "agrees with sum(|w|), a 0-dim tensor (generated shapes and dtypes)",
    L1_HINT,
    "the gradient is sign(w), 0 where w == 0",
    "use torch.abs: its gradient is sign(w), 0 at 0, while sqrt(w**2) has the gradient "
    "0 / 0 = nan at 0; keep the result a tensor computed from w.",
    ("`l1_penalty(w)` -> `sum(|w|)`, a 0-dim", "a 0-dim differentiable tensor (gradient 0 at 0)."),
)

DECAY = {"lambdas": [0.0, 3.0], "num_epochs": 100, "lr": 0.003}


@l2_penalty.check(
    "weight decay with it shrinks the weights of d2l 4.5's overfitting model",
    2,
    hint="the penalty must be a differentiable tensor of w (half the sum of its squares): its "
    "gradient lambd * w is what pulls every weight towards 0.",
    contract=(
        "Also graded by its effect: weight decay with it shrinks the weights of d2l's overfitting "
        "model."
    ),
)
def _l2_weight_decay(ctx: CheckContext) -> None:
    """Not random: the probe makes the data and the initial weights with a generator
    seeded 0.  The reference's w ends with L2 norm 14.1 without weight decay and 0.39 with
    lambd = 3 (d2l 4.5's figures: 13 and 0.4); the check asks for a tenfold shrink."""
    text = T(
        "d2l 4.5's training (20 examples, 200 features, lr={lr}, {num_epochs} epochs) with "
        "lambd = 0 and lambd = 3, the loss squared_loss + lambd * l2_penalty(w)",
        lr=DECAY["lr"],
        num_epochs=DECAY["num_epochs"],
    )
    answer = ctx.probe(probe=DECAY_PROBE, options=DECAY, timeout=30.0)
    result = answer.get("result")
    norms = result.get("norms") if isinstance(result, dict) else None
    if (
        not isinstance(norms, list)
        or len(norms) != 2
        or not all(isinstance(n, float) and math.isfinite(n) for n in norms)
        or not norms[1] < norms[0] / 10
    ):
        ctx.fail(
            "weight decay did not shrink the weights",
            input=text,
            expected="the L2 norm of w with lambd = 3 at most a tenth of the one with lambd = 0",
            got=T("norms {norms}", norms=describe(norms)),
        )


# ---------------------------------------------------------------------------------------
# accuracy
# ---------------------------------------------------------------------------------------
accuracy = assignment.exercise("accuracy")

ACCURACY_HINT = (
    "if y_hat has more than one column, take the class of the largest score in each row "
    "(argmax along dimension 1); then count the predictions, cast to y's dtype, that equal y, "
    "and return the count as a float: the number of correct predictions, not the fraction."
)


@st.composite
def scores(draw: st.DrawFn) -> tuple[torch.Tensor, torch.Tensor]:
    """(y_hat, y): rows of distinct scores (no ties), int64 labels."""
    n, classes = draw(st.integers(0, 8)), draw(st.integers(2, 5))
    dtype = draw(st.sampled_from((torch.float32, torch.float64)))
    rows = [draw(st.permutations(range(classes))) for _ in range(n)]
    y_hat = torch.tensor(rows, dtype=dtype).reshape(n, classes) / classes
    y = torch.tensor(draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))
    return y_hat, y.to(torch.int64)


def expect_count(ctx: CheckContext, y_hat: torch.Tensor, y: torch.Tensor, hint: str | None) -> None:
    expected = ctx.reference.accuracy(y_hat, y)
    got = ctx.call(y_hat, y)
    number = as_number(got)  # a tensor or an int instead of a float: the float check's business
    expect_equal(
        got if number is None else number, expected, input=ctx.input_text(y_hat, y), hint=hint
    )


@accuracy.check(
    "counts the rows whose largest score is at the label (scores with several columns)",
    2,
    hint=ACCURACY_HINT,
    contract=(
        "the number of correct predictions as a Python float: the `argmax` of each row when "
        "`y_hat` has several columns"
    ),
)
def _accuracy_scores(ctx: CheckContext) -> None:
    @ctx.given(scores(), max_examples=15)
    def _(case) -> None:
        expect_count(ctx, *case, hint=ACCURACY_HINT)


@accuracy.check(
    "compares predicted labels (1-D y_hat) with y directly",
    1,
    hint="argmax only when y_hat has more than one column: a 1-D y_hat already holds the "
    "predicted labels (len(y_hat.shape) > 1 and y_hat.shape[1] > 1).",
    contract="else `y_hat` itself",
)
def _accuracy_labels(ctx: CheckContext) -> None:
    for y_hat, y in (
        (torch.tensor([1.0, 2.0, 0.0, 2.0]), torch.tensor([1, 2, 2, 2])),
        (torch.tensor([0, 1, 1]), torch.tensor([0, 1, 0])),
        (torch.tensor([3.0]), torch.tensor([3])),
    ):
        expect_count(
            ctx, y_hat, y, hint="compare the predictions, cast to y's dtype, with y and count."
        )


@accuracy.check(
    "casts 1-D predictions to y's dtype before comparing (2.2 against label 2 counts)",
    1,
    hint="compare y_hat.type(y.dtype) == y, as d2l does: float predictions are cast to the "
    "labels' integer dtype first (2.2 becomes 2, 0.9 becomes 0), then compared.",
    contract="compared with `y` in `y`'s dtype.",
)
def _accuracy_cast(ctx: CheckContext) -> None:
    """The contract's "compared with y in y's dtype": float predictions against int64
    labels count differently with and without the cast (here 3 against 1).  Judged only
    where whole-number predictions count right: miscounting those is the labels check's."""
    y = torch.tensor([0, 2, 2, 3])
    whole = torch.tensor([0.0, 2.0, 1.0, 3.0])
    if as_number(ctx.call(whole, y)) != ctx.reference.accuracy(whole, y):
        return
    expect_count(ctx, torch.tensor([0.9, 2.2, 1.5, 3.0]), y, hint=None)


SQUARE_SCORES = torch.tensor([[0.1, 0.9, 0.0], [0.8, 0.2, 0.0], [0.3, 0.3, 0.4]])


@accuracy.check(
    "returns a Python float",
    1,
    hint="return float(...) of the count: a tensor (even with one element) or an int is "
    "not what d2l's Accumulator adds up.",
    contract="the number of correct predictions as a Python float",
)
def _accuracy_float(ctx: CheckContext) -> None:
    # Square scores: an argmax along the wrong dim still gives one label per row, so the
    # type alone is judged here (how scores become labels is the scores check's).
    y_hat, y = SQUARE_SCORES, torch.tensor([1, 1, 1])
    got = ctx.call(y_hat, y)
    if type(got) is not float:
        ctx.fail(
            "accuracy should return a Python float",
            input=ctx.input_text(y_hat, y),
            expected=describe(ctx.reference.accuracy(y_hat, y)),
            got=got,
        )


@accuracy.check(
    "works where the default device is not the inputs' (and on CUDA if present)",
    1,
    contract=ANY_DEVICE,
)
def _accuracy_device(ctx: CheckContext) -> None:
    y_hat, y = SQUARE_SCORES, torch.tensor([1, 1, 2])  # square: see the float check
    expect_float_on_devices(ctx, (y_hat, y), ctx.reference.accuracy(y_hat, y))


@accuracy.check(
    "does not modify its inputs",
    1,
    hint="rebinding the name y_hat to the row-wise argmax is fine; writing into y_hat or y "
    "(y_hat[...] = ..., y_hat.argmax_ ...) is not.",
    contract=INPUTS_UNCHANGED,
)
def _accuracy_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, torch.tensor([[0.1, 0.9], [0.8, 0.2]]), torch.tensor([1, 0]))


def expect_float_on_devices(
    ctx: CheckContext, args: tuple[Any, ...], expected: float, probe: str | None = None
) -> None:
    """The same number under the default-device trap (CPU inputs, default device meta)
    and, where present, with the inputs on CUDA, as the function's own on the CPU (so a
    wrong value costs points in the value checks only; ``expected`` if it gave none)."""
    own = ctx.run(*args, probe=probe)
    wanted = as_number(own.value.get("result")) if own.ok and isinstance(own.value, dict) else None
    wanted = expected if wanted is None else wanted
    tiers: list[tuple[tuple[Any, ...], str | None]] = [(args, "meta")]
    if cuda_available():
        tiers.append((tuple(Placed(a, "cuda") for a in args), None))
    for arguments, default_device in tiers:
        text = ctx.input_text(*arguments)
        if default_device:
            text = T("{call} with default device {device}", call=text, device=default_device)
        outcome = ctx.run(
            *arguments, probe=probe, default_device=default_device, timeout=META_TIMEOUT
        )
        expect_runs_off_the_default_device(ctx, outcome, text)
        got = ctx.answer(outcome, arguments, {})["result"]
        number = as_number(got)
        same_nan = number is not None and math.isnan(number) and math.isnan(wanted)
        if number is None or not (same_nan or math.isclose(number, wanted, rel_tol=1e-4)):
            ctx.fail(
                "the result changes when the default device is not the input's device",
                input=text,
                expected=describe(wanted),
                got=got,
                hint=DEFAULT_DEVICE_HINT,
            )


# ---------------------------------------------------------------------------------------
# log_rmse
# ---------------------------------------------------------------------------------------
log_rmse = assignment.exercise("log_rmse")

LOG_RMSE_HINT = (
    "clipped = torch.clamp(net(features), 1, float('inf')); then "
    "torch.sqrt(torch.mean((torch.log(clipped) - torch.log(labels)) ** 2)).item()."
)


@st.composite
def houses(draw: st.DrawFn) -> tuple[torch.Tensor, ...]:
    """(weight, bias, features, labels): a linear net and house prices around 1e4 - 4e5."""
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 4))
    features = draw(tensors((n, d), torch.float32, -2.0, 2.0))
    weight = draw(tensors((1, d), torch.float32, -5e4, 5e4))
    bias = draw(tensors((1,), torch.float32, -1e5, 3e5))
    logs = draw(tensors((n, 1), torch.float64, math.log(1e4), math.log(4e5)))
    return weight, bias, features, logs.exp().to(torch.float32)


def house_text(weight: Any, bias: Any, features: Any, labels: Any) -> str:
    def shown(x: Any) -> str:
        return describe(x.tensor if isinstance(x, Placed) else x, 160)

    return T(
        "log_rmse(net=nn.Linear with weight {weight} and bias {bias}, features={features}, "
        "labels={labels})",
        weight=shown(weight),
        bias=shown(bias),
        features=shown(features),
        labels=shown(labels),
    )


def reference_metric(ctx: CheckContext, weight, bias, features, labels) -> float:
    return ctx.reference.log_rmse(probes.linear_net(weight, bias), features, labels)


def metric_answer(ctx: CheckContext, *args: Any, **kwargs: Any) -> tuple[dict, str]:
    return ctx.probe(*args, probe=METRIC_PROBE, **kwargs), house_text(*args)


def as_number(got: Any) -> float | None:
    """The value of a float, or of a one-element tensor (the float check's business)."""
    if isinstance(got, dict) and isinstance(got.get("tensor"), TransportedTensor):
        got = got["tensor"]
    if isinstance(got, TransportedTensor):
        values = got.values
        return float(values) if values is not None and values.numel() == 1 else None
    return float(got) if isinstance(got, (int, float)) and not isinstance(got, bool) else None


def expect_metric(ctx: CheckContext, args: tuple[torch.Tensor, ...], hint: str) -> None:
    wanted = reference_metric(ctx, *args)
    answer, text = metric_answer(ctx, *args)
    got = as_number(answer.get("result"))
    if got is None or not math.isclose(got, wanted, rel_tol=1e-4, abs_tol=1e-6):
        ctx.fail(
            "log_rmse gave the wrong value",
            input=text,
            expected=describe(wanted),
            got=describe(answer.get("result")),
            hint=hint,
        )


@log_rmse.check(
    "agrees with sqrt(mean((log(clamp(pred, 1)) - log(labels))**2)) on house prices",
    3,
    hint=LOG_RMSE_HINT,
    contract=(
        "`log_rmse(net, features, labels)` -> `sqrt(mean((log(clamp(net(features), 1)) - "
        "log(labels)) ** 2))`"
    ),
)
def _log_rmse_agrees(ctx: CheckContext) -> None:
    @ctx.given(houses(), max_examples=15)
    def _(case) -> None:
        expect_metric(ctx, case, hint=LOG_RMSE_HINT)


CHEAP = (
    torch.tensor([[1.0, -1.0]]),
    torch.tensor([-5.0]),
    torch.tensor([[1.0, 2.0], [3.0, 0.5], [0.5, 0.5]]),
    torch.tensor([[2.0], [3.0], [1.5]]),
)


@log_rmse.check(
    "counts predictions below 1 (negative ones too) as 1: no nan or inf",
    1,
    hidden=True,
    hint="clamp the predictions to [1, inf) before the logarithm: torch.clamp(pred, 1, "
    "float('inf')). log of a negative prediction is nan, log(0) is -inf.",
    contract="`sqrt(mean((log(clamp(net(features), 1)) - log(labels)) ** 2))`",
)
def _log_rmse_clamps(ctx: CheckContext) -> None:
    expect_metric(
        ctx, CHEAP, hint="clamp the predictions to [1, inf) before the logarithm (min=1, not 0)."
    )


@log_rmse.check(
    "returns a Python float",
    1,
    hint="turn the 0-dim result into a Python number (.item() or float(...)): a tensor is "
    "not a number to print or plot.",
    contract="as a Python float, without recording gradients;",
)
def _log_rmse_float(ctx: CheckContext) -> None:
    answer, text = metric_answer(ctx, *CHEAP)
    if type(answer.get("result")) is not float:
        got = answer.get("result")
        ctx.fail(
            "log_rmse should return a Python float",
            input=text,
            got=got.get("tensor") if isinstance(got, dict) else got,
        )


@log_rmse.check(
    "records no gradients: computed under torch.no_grad()",
    1,
    hint="evaluation only: wrap the computation in `with torch.no_grad():`, so no graph "
    "is built for a backward pass that never comes.",
    contract="as a Python float, without recording gradients;",
)
def _log_rmse_no_grad(ctx: CheckContext) -> None:
    answer, text = metric_answer(ctx, *CHEAP)
    modes = answer.get("grad_modes") or []
    if not modes or any(modes):
        ctx.fail(
            "the net ran with gradient recording on",
            input=text,
            expected="every forward pass under torch.no_grad()",
            got=T("gradient recording at each forward pass: {modes}", modes=modes),
        )
    if answer.get("changed"):
        ctx.fail(
            "log_rmse changed the net's parameters",
            input=text,
            hint="only evaluate the net: no optimizer step, no in-place change of its "
            "parameters (or of net(features), which may share them).",
        )


@log_rmse.check(
    "raises ValueError if a label is not positive",
    1,
    hint="check the labels first, and raise ValueError unless every one is greater than 0. The "
    "logarithm of a price of 0 or less is undefined.",
    contract="`ValueError` if a label is not positive.",
)
def _log_rmse_errors(ctx: CheckContext) -> None:
    weight, bias, features, _ = CHEAP
    for labels, why in (
        (torch.tensor([[2.0], [0.0], [1.5]]), "for a label of 0"),
        (torch.tensor([[2.0], [3.0], [-1.5]]), "for a negative label"),
    ):
        ctx.expect_raises(ValueError, weight, bias, features, labels, probe=METRIC_PROBE, why=why)
    # Positive labels at or below 1 are prices too: only a label of 0 or less is refused.
    labels = torch.tensor([[2.0], [0.5], [1.0]])
    outcome = ctx.run(weight, bias, features, labels, probe=METRIC_PROBE)
    if outcome.raised is not None:
        ctx.fail(
            "log_rmse refused positive labels (0.5 and 1.0)",
            input=house_text(weight, bias, features, labels),
            expected="a value: every label is positive",
            got=f"{outcome.raised.get('type')}: {outcome.raised.get('message', '')}",
            hint="raise ValueError only for a label of 0 or less (labels > 0 everywhere is "
            "fine, 0.5 included).",
        )


@log_rmse.check(
    "works where the default device is not the inputs' (and on CUDA if present)",
    1,
    hint=DEFAULT_DEVICE_HINT,
    contract=ANY_DEVICE,
)
def _log_rmse_device(ctx: CheckContext) -> None:
    expect_float_on_devices(ctx, CHEAP, reference_metric(ctx, *CHEAP), probe=METRIC_PROBE)
