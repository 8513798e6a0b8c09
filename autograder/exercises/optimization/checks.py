"""Checks for ``optimization.py``: sgd_momentum_step, step_lr, EarlyStopping, clip_grad_norm.

Everything is graded by its effect, as a training loop sees it (this folder's
``probes.py`` builds the leaf parameters, the velocities and the gradients in the runner
and drives the student's code; the judge runs the same probes on the reference, or in the
student kit on the oracles built on ``torch.optim.SGD``, ``StepLR``, ``ReduceLROnPlateau``
and ``nn.utils.clip_grad_norm_``):

- ``sgd_momentum_step`` over several steps whose learning rate changes from one step to the
  next (so ``v = momentum * v - lr * g; p += v``, which agrees with torch only while the
  rate is constant, is caught and named), with the seeds' and students' other forms of
  momentum recognised in the feedback;
- ``step_lr`` at generated epochs and at the boundaries of the ranges, where the seed's
  overlapping ranges and a scheduler stepped before training are one epoch off;
- ``EarlyStopping`` through generated sequences of metrics (plateaus, ties at exactly
  ``min_delta``, ``"max"`` mode, patience 0), the decisions compared call by call;
- ``clip_grad_norm``: the returned norm, the clipped gradients, one common factor.

The metrics are multiples of 1/4 (exact in floating point), so a tie at exactly
``min_delta`` is a tie.  Nothing is random at grading time: hypothesis is seeded per check.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import TransportedTensor
from autograder.exercises.optimization import probes
from autograder.exercises.strategies import shapes, tensors
from autograder.grading.context import CheckContext, describe, raised_classes
from autograder.grading.contract import STAYS_ON_DEVICE
from autograder.grading.expect import expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    DEFAULT_DEVICE_HINT,
    META_TIMEOUT,
    device_tiers,
    meta_cannot_run,
)
from autograder.grading.registry import probe_name
from autograder.i18n import T, phrase

assignment = Assignment("optimization")

MOMENTUM_PROBE = probe_name("optimization", "momentum_steps")
SCHEDULE_PROBE = probe_name("optimization", "schedule")
STOPPING_PROBE = probe_name("optimization", "stopping")
CLIP_PROBE = probe_name("optimization", "clipping")


def _values(got: Any) -> torch.Tensor | None:
    return got.values if isinstance(got, TransportedTensor) else None


def as_number(got: Any) -> float | None:
    """The value of a number, or of a one-element tensor (the float check's business)."""
    if isinstance(got, TransportedTensor):
        values = got.values
        return float(values) if values is not None and values.numel() == 1 else None
    return float(got) if isinstance(got, (int, float)) and not isinstance(got, bool) else None


def tolerance(dtype: torch.dtype) -> dict[str, float]:
    """A few steps in ``dtype``, summed in another order than the reference: some ulps."""
    return (
        {"rtol": 1e-5, "atol": 1e-5} if dtype == torch.float32 else {"rtol": 1e-10, "atol": 1e-12}
    )


def shown(value: Any, limit: int = 300) -> str:
    """Inputs as feedback shows them (a placed tensor by its values and device)."""
    return describe(value, limit)


def expect_value_error(ctx: CheckContext, text: str, why: str, *args: Any, **kwargs: Any) -> None:
    """Like ``ctx.expect_raises(ValueError, ...)``, with the call shown as ``text``."""
    wanted = ValueError.__name__
    outcome = ctx.run(*args, **kwargs)
    if outcome.raised is not None and wanted in raised_classes(outcome.raised):
        return
    if outcome.raised is not None:
        got = f"{outcome.raised.get('type')}: {outcome.raised.get('message', '')}"
    else:
        got = T("it returned normally")
    ctx.fail(
        T(
            "{function} should raise {exception} {why}",
            function=ctx.function,
            exception=wanted,
            why=phrase(why),
        ),
        input=text,
        expected=T("{exception} with a helpful message", exception=wanted),
        got=got,
    )


def same_values(got: list[Any], own: list[torch.Tensor | None]) -> bool:
    """Tensors reported by the runner hold the values of the submission's own plain run
    (to the rounding another device may do differently)."""
    return len(got) == len(own) and all(
        isinstance(g, TransportedTensor)
        and g.values is not None
        and o is not None
        and g.values.shape == o.shape
        and torch.allclose(g.values.to(o.dtype), o, rtol=1e-5, atol=1e-6, equal_nan=True)
        for g, o in zip(got, own)
    )


# ---------------------------------------------------------------------------------------
# sgd_momentum_step
# ---------------------------------------------------------------------------------------
sgd_momentum_step = assignment.exercise(
    "sgd_momentum_step",
    forbidden=(
        "torch.optim.SGD",
        "torch.optim.Adam",
        "torch.optim.AdamW",
        "torch.optim.Adagrad",
        "torch.optim.Adadelta",
        "torch.optim.Adamax",
        "torch.optim.Adafactor",
        "torch.optim.ASGD",
        "torch.optim.LBFGS",
        "torch.optim.NAdam",
        "torch.optim.RAdam",
        "torch.optim.RMSprop",
        "torch.optim.Rprop",
        "torch.optim.SparseAdam",
        "torch.optim.Optimizer",
        "torch.optim._functional.sgd",
        "torch.optim.sgd._single_tensor_sgd",
        "torch.optim.sgd._multi_tensor_sgd",
        "torch.optim.sgd._fused_sgd",
        "torch._fused_sgd_",
    ),
)

MOMENTUM_HINT = (
    "inside `with torch.no_grad():`, for each parameter whose grad is not None: scale the "
    "caller's velocity tensor by momentum and add the gradient plus weight_decay times "
    "the parameter, in place; then move the parameter, in place, by -lr times the new "
    "velocity."
)
NO_GRAD_HINT = (
    "an in-place change of a parameter (a leaf that requires grad) is refused while "
    "autograd records: do the update inside `with torch.no_grad():`."
)
# Other forms of momentum, as the feedback names them when the parameters follow one.
MOMENTUM_FORMS: dict[str, str] = {
    "lr_inside": phrase(
        "the parameters follow v = momentum * v - lr * g; p += v. That form keeps "
        "each step's learning rate inside the velocity, so it agrees with "
        "torch.optim.SGD only while the learning rate never changes; with a schedule "
        "the old velocity carries the old rate. Keep lr out of the velocity: the "
        "velocity sums the gradients, and lr multiplies only the parameter's step."
    ),
    "average": phrase(
        "the parameters follow v = momentum * v + (1 - momentum) * g: an average of "
        "the gradients (dampening), not torch.optim.SGD's momentum, whose velocity adds the whole "
        "gradient: v = momentum * v + g."
    ),
    "no_memory": phrase(
        "the parameters moved as plain SGD, p -= lr * g, from the second step on too: "
        "the velocity is not kept from one call to the next. Update the caller's "
        "velocity tensor in place; a new tensor bound to a local name leaves the "
        "caller's tensor as it was."
    ),
    "nesterov": phrase(
        "the parameters follow Nesterov's step p -= lr * (g + momentum * v); "
        "torch.optim.SGD (nesterov=False) steps by lr times the velocity itself."
    ),
    "ascent": phrase(
        "the step went up the gradient: subtract lr * v from the parameter, do not add it."
    ),
    "no_decay": phrase(
        "the parameters moved as if weight_decay were 0: add weight_decay * p to the "
        "gradient before it enters the velocity."
    ),
    "decay_outside": phrase(
        "the weight decay was added outside the velocity (p -= lr * (v + weight_decay "
        "* p)); torch.optim.SGD adds it to the gradient, so it enters the velocity "
        "too."
    ),
}


def momentum_form(
    form: str,
    values: list[torch.Tensor],
    grads: list[list[torch.Tensor]],
    lrs: list[float],
    momentum: float,
    weight_decay: float,
) -> list[list[torch.Tensor]]:
    """The parameters after each step under one of :data:`MOMENTUM_FORMS` (float64), to name
    the form a wrong submission follows."""
    params = [v.double().clone() for v in values]
    velocities = [torch.zeros_like(p) for p in params]
    trajectory = []
    for step_grads, lr in zip(grads, lrs):
        for i, grad in enumerate(step_grads):
            p, v = params[i], velocities[i]
            decay = 0.0 if form in ("no_decay", "decay_outside") else weight_decay
            g = grad.double() + decay * p
            if form == "lr_inside":
                v = momentum * v - lr * g
                p = p + v
            elif form == "average":
                v = momentum * v + (1 - momentum) * g
                p = p - lr * v
            elif form == "no_memory":
                p = p - lr * g
            elif form == "nesterov":
                v = momentum * v + g
                p = p - lr * (g + momentum * v)
            elif form == "ascent":
                v = momentum * v + g
                p = p + lr * v
            elif form == "decay_outside":
                v = momentum * v + g
                p = p - lr * (v + weight_decay * p)
            else:  # no_decay
                v = momentum * v + g
                p = p - lr * v
            params[i], velocities[i] = p, v
        trajectory.append([p.clone() for p in params])
    return trajectory


def name_the_form(
    answer: dict[str, Any],
    values: list[torch.Tensor],
    grads: list[list[Any]],
    lrs: list[float],
    momentum: float,
    weight_decay: float,
    forms: tuple[str, ...],
) -> str | None:
    """The explanation of the first form of ``forms`` the parameters followed, if any."""
    if any(g is None for step in grads for g in step):
        return None
    got = []
    for step in answer.get("steps") or []:
        row = [_values(p) for p in step.get("params") or []]
        if len(row) != len(values) or any(v is None for v in row):
            return None
        got.append([v.double() for v in row])
    if len(got) != len(lrs):
        return None
    for form in forms:
        wanted = momentum_form(form, values, grads, lrs, momentum, weight_decay)
        if all(
            g.shape == w.shape and torch.allclose(g, w, rtol=1e-4, atol=1e-5)
            for got_step, want_step in zip(got, wanted)
            for g, w in zip(got_step, want_step)
        ):
            return MOMENTUM_FORMS[form]
    return None


def momentum_text(
    values: list[Any],
    grads: list[list[Any]],
    lrs: list[float],
    momentum: float,
    weight_decay: float,
) -> T:
    return T(
        "{steps} calls of sgd_momentum_step(params, velocities, lr, momentum={momentum}, "
        "weight_decay={weight_decay}) with lr = {lrs} in turn; params {params} (leaves that "
        "require grad), velocities zeros at first, and before each call the gradients are "
        "set to {grads}",
        steps=len(lrs),
        momentum=momentum,
        weight_decay=weight_decay,
        lrs=lrs,
        params=shown(values),
        grads=shown(grads, 600),
    )


def momentum_run(
    ctx: CheckContext,
    values: list[Any],
    grads: list[list[Any]],
    lrs: list[float],
    momentum: float = 0.9,
    weight_decay: float = 0.0,
    **options: Any,
) -> dict[str, Any]:
    """The probe's report of the student's steps; fail if a call did not return."""
    outcome = ctx.run(
        values,
        grads,
        lrs,
        probe=MOMENTUM_PROBE,
        options={"momentum": momentum, "weight_decay": weight_decay, **options},
    )
    if not outcome.ok or not isinstance(outcome.value, dict):
        message = str((outcome.raised or {}).get("message", ""))
        ctx.fail(
            T(
                "{function} did not return a value: {reason}",
                function=ctx.function,
                reason=outcome.describe_failure(),
            ),
            input=momentum_text(values, grads, lrs, momentum, weight_decay),
            hint=NO_GRAD_HINT if "requires grad" in message else MOMENTUM_HINT,
        )
    return outcome.value


def momentum_reference(
    ctx: CheckContext,
    values: list[torch.Tensor],
    grads: list[list[Any]],
    lrs: list[float],
    momentum: float = 0.9,
    weight_decay: float = 0.0,
) -> dict[str, Any]:
    return probes.momentum_steps(
        ctx.reference.sgd_momentum_step, values, grads, lrs, momentum, weight_decay
    )


def expect_steps(
    ctx: CheckContext,
    values: list[torch.Tensor],
    grads: list[list[Any]],
    lrs: list[float],
    momentum: float,
    weight_decay: float,
    *,
    key: str,
    forms: tuple[str, ...] = (),
    hint: str = MOMENTUM_HINT,
) -> None:
    """After every step, the student's ``key`` ("params" or "velocities") must be the
    reference's; a wrong trajectory is named when it follows one of ``forms``."""
    wanted = momentum_reference(ctx, values, grads, lrs, momentum, weight_decay)
    answer = momentum_run(ctx, values, grads, lrs, momentum, weight_decay)

    def what(position: int, step: int) -> T:
        if key == "velocities":
            return T(
                "velocity {position} in the list after call {step}", position=position, step=step
            )
        return T("parameter {position} after call {step}", position=position, step=step)

    for step, (got_step, want_step) in enumerate(zip(answer.get("steps") or [], wanted["steps"])):
        got_row = got_step.get(key) or []
        for position, want in enumerate(want_step[key]):
            got = got_row[position] if position < len(got_row) else None
            values_got = _values(got)
            if (
                values_got is not None
                and values_got.shape == want.shape
                and values_got.dtype == want.dtype
                and torch.allclose(values_got, want, **tolerance(want.dtype))
            ):
                continue
            named = name_the_form(answer, values, grads, lrs, momentum, weight_decay, forms)
            expect_tensor(
                got,
                want,
                input=momentum_text(values, grads, lrs, momentum, weight_decay),
                what=what(position + 1, step + 1),
                hint=named or hint,
                **tolerance(want.dtype),
            )
    if len(answer.get("steps") or []) != len(lrs):
        ctx.fail(
            "the runner did not report every step",
            input=momentum_text(values, grads, lrs, momentum, weight_decay),
        )


LRS = (0.5, 0.2, 0.1, 0.05, 0.01)


@st.composite
def momentum_cases(draw: st.DrawFn) -> tuple[Any, ...]:
    """(values, grads, lrs, momentum): 1 to 3 parameters of one dtype, 2 to 4 steps, a
    different learning rate at every step (a schedule)."""
    dtype = draw(st.sampled_from((torch.float32, torch.float64)))
    sizes = draw(
        st.lists(shapes(min_dims=0, max_dims=2, min_side=1, max_side=3), min_size=1, max_size=3)
    )
    steps = draw(st.integers(2, 4))
    values = [draw(tensors(size, dtype, -4.0, 4.0)) for size in sizes]
    grads = [[draw(tensors(size, dtype, -4.0, 4.0)) for size in sizes] for _ in range(steps)]
    lrs = draw(st.lists(st.sampled_from(LRS), min_size=steps, max_size=steps, unique=True))
    momentum = draw(st.sampled_from((0.9, 0.5, 0.99)))
    return values, grads, lrs, momentum


@sgd_momentum_step.check(
    "the parameters after each of several steps are torch.optim.SGD's, with a learning "
    "rate that changes between steps",
    3,
    hint=MOMENTUM_HINT,
    contract=(
        "one step of `torch.optim.SGD` with momentum, graded over steps whose learning rate changes"
    ),
)
def _momentum_agrees(ctx: CheckContext) -> None:
    @ctx.given(momentum_cases(), max_examples=10)
    def _(case) -> None:
        values, grads, lrs, momentum = case
        expect_steps(
            ctx,
            values,
            grads,
            lrs,
            momentum,
            0.0,
            key="params",
            forms=("lr_inside", "average", "no_memory", "nesterov", "ascent"),
        )


CHANGING_LRS = [0.1, 0.5, 0.05]
STEPPED = [torch.tensor([[1.0, -2.0], [0.5, 3.0]]), torch.tensor([0.25])]
STEP_GRADS = [
    [torch.tensor([[0.5, -1.0], [2.0, 1.5]]), torch.tensor([4.0])],
    [torch.tensor([[1.0, 1.0], [-0.5, 0.5]]), torch.tensor([-2.0])],
    [torch.tensor([[-1.5, 0.25], [1.0, -1.0]]), torch.tensor([1.0])],
]


@sgd_momentum_step.check(
    "the velocities hold v = momentum * v + g after each step (lr stays out of them)",
    2,
    hint=(
        "the velocity sums the gradients, each older one weighted by one more factor of "
        "momentum; the learning rate multiplies the parameter's step, never the velocity."
    ),
    contract="the caller's velocity tensor `v` becomes `momentum * v + g`",
)
def _momentum_velocities(ctx: CheckContext) -> None:
    expect_steps(
        ctx,
        STEPPED,
        STEP_GRADS,
        CHANGING_LRS,
        0.9,
        0.0,
        key="velocities",
        hint=(
            "the velocity is momentum times the old velocity plus the whole gradient, "
            "weight decay included: no lr and no (1 - momentum) in it."
        ),
    )


@sgd_momentum_step.check(
    "weight_decay adds weight_decay * p to the gradient before the velocity",
    2,
    hint=(
        "the gradient that enters the velocity is p.grad plus weight_decay times p (the "
        "gradient of the L2 penalty weight_decay * ||p||^2 / 2); the velocity and the "
        "step then use it as they would the plain gradient."
    ),
    contract="with `g` its gradient plus `weight_decay` times the parameter",
)
def _momentum_weight_decay(ctx: CheckContext) -> None:
    """Judged against the submission's own steps: the same calls with weight_decay = 0 and
    weight_decay times the parameter (as it was before each call) added to each gradient
    must leave the same parameters and velocities.  So a wrong velocity or step, which both
    runs share, costs the other checks only.  A constant learning rate (the form
    v = momentum * v - lr * g is the changing rate's business)."""
    for values, grads, lrs, momentum, decay in (
        (STEPPED, STEP_GRADS, [0.1] * 3, 0.9, 0.1),
        (
            [v.double() for v in STEPPED],
            [[g.double() for g in step] for step in STEP_GRADS],
            [0.2] * 3,
            0.5,
            0.01,
        ),
    ):
        decayed = momentum_run(ctx, values, grads, lrs, momentum, decay)
        text = momentum_text(values, grads, lrs, momentum, decay)
        steps = decayed.get("steps") or []
        before = list(values)
        folded = []
        for step_grads, step in zip(grads, steps):
            folded.append([g + decay * p for g, p in zip(step_grads, before)])
            before = [_values(p) for p in step.get("params") or []]
            if len(before) != len(values) or any(
                p is None or p.shape != v.shape for p, v in zip(before, values)
            ):
                ctx.fail(
                    "the parameters did not come back as tensors of their shapes",
                    input=text,
                    got=describe(step.get("params")),
                )
        if len(steps) != len(lrs):
            ctx.fail("the runner did not report every step", input=text)
        plain = momentum_run(ctx, values, folded, lrs, momentum, 0.0).get("steps") or []
        for number, (got_step, want_step) in enumerate(zip(steps, plain), start=1):
            for key in ("params", "velocities"):
                got_row, want_row = got_step.get(key) or [], want_step.get(key) or []
                for position, (got, want) in enumerate(zip(got_row, want_row), start=1):
                    wanted = _values(want)
                    if wanted is None:
                        continue  # no tensor without decay either: the other checks' business
                    named = name_the_form(
                        decayed, values, grads, lrs, momentum, decay, ("no_decay", "decay_outside")
                    )
                    expect_tensor(
                        got,
                        wanted,
                        input=text,
                        what=T(
                            "{what} (compared with the same calls with weight_decay=0 and "
                            "weight_decay * p added to each gradient)",
                            what=T(
                                "parameter {position} after call {step}",
                                position=position,
                                step=number,
                            )
                            if key == "params"
                            else T(
                                "velocity {position} in the list after call {step}",
                                position=position,
                                step=number,
                            ),
                        ),
                        hint=named or WEIGHT_DECAY_HINT,
                        **tolerance(wanted.dtype),
                    )


WEIGHT_DECAY_HINT = (
    "weight decay enters the velocity: add weight_decay times p to p.grad first, then update "
    "the velocity and the parameter as without decay."
)


@sgd_momentum_step.check(
    "skips a parameter whose grad is None: its value and velocity stay as they are",
    1,
    hidden=True,
    hint="a parameter no gradient reached has p.grad None: skip it (if p.grad is None: "
    "continue), velocity included. torch.optim.SGD does not move it by its old velocity.",
    contract="A parameter whose `grad` is `None` is skipped, its velocity too.",
)
def _momentum_none_grad(ctx: CheckContext) -> None:
    """Both parameters step once; then the first one's gradient is None for two calls: it
    must stay where the first call left it, and so must its velocity (compared with this
    submission's own first call, so a wrong step costs points in the other checks only)."""
    grads = [STEP_GRADS[0], [None, STEP_GRADS[1][1]], [None, STEP_GRADS[2][1]]]
    answer = momentum_run(ctx, STEPPED, grads, CHANGING_LRS)
    text = momentum_text(STEPPED, grads, CHANGING_LRS, 0.9, 0.0)
    steps = answer.get("steps") or []
    for key in ("params", "velocities"):
        first = _values(((steps[0] if steps else {}).get(key) or [None])[0])
        for step in (1, 2):
            got = ((steps[step] if step < len(steps) else {}).get(key) or [None])[0]
            values = _values(got)
            if first is None or values is None or not torch.equal(values, first):
                what = (
                    T("parameter {position} after call {step}", position=1, step=step + 1)
                    if key == "params"
                    else T(
                        "velocity {position} in the list after call {step}",
                        position=1,
                        step=step + 1,
                    )
                )
                ctx.fail(
                    T("{what} changed although its gradient is None", what=what),
                    input=text,
                    expected=T("as after call 1: {value}", value=describe(first)),
                    got=got,
                )


@sgd_momentum_step.check(
    "the parameters stay the same leaf tensors that require grad",
    1,
    hint=(
        "change each parameter in place (an in-place subtraction) inside torch.no_grad(); "
        "assigning params[i] a new tensor puts it in the list, and the model still holds "
        "the old one."
    ),
    contract="The parameters stay the same leaf tensors",
)
def _momentum_same_leaves(ctx: CheckContext) -> None:
    answer = momentum_run(ctx, STEPPED, STEP_GRADS, CHANGING_LRS)
    text = momentum_text(STEPPED, STEP_GRADS, CHANGING_LRS, 0.9, 0.0)
    if answer.get("same_params") is not True:
        ctx.fail(
            "sgd_momentum_step replaced parameters in the list instead of updating them: "
            "the model still holds the old tensors",
            input=text,
        )
    if answer.get("leaves") is not True:
        ctx.fail(
            "after the calls a parameter is no longer a leaf tensor that requires grad",
            input=text,
            hint="keep each parameter a leaf that requires grad: change its values in place "
            "inside `with torch.no_grad():`; p.detach_() or p.requires_grad_(False) take it "
            "out of training.",
        )


@sgd_momentum_step.check(
    "updates the caller's velocity tensors in place",
    1,
    hint=(
        "update each velocity in place (with its mul_ and add_): the caller keeps its "
        "tensors from step to step (and a tuple cannot take new ones: velocities[i] = ... "
        "fails on a tuple)."
    ),
    contract="the caller's velocity tensor `v` becomes `momentum * v + g`, in place",
)
def _momentum_velocities_in_place(ctx: CheckContext) -> None:
    text = momentum_text(STEPPED, STEP_GRADS, CHANGING_LRS, 0.9, 0.0)
    answer = momentum_run(ctx, STEPPED, STEP_GRADS, CHANGING_LRS)
    if answer.get("same_velocities") is not True:
        ctx.fail(
            "the velocity list holds new tensors after the call: the caller's velocity "
            "tensors were not updated in place",
            input=text,
        )


@sgd_momentum_step.check(
    "records no autograd graph: the velocities never require grad",
    1,
    hint=(
        "compute the decayed gradient inside `with torch.no_grad():` too: with gradient "
        "recording on, weight_decay * p requires grad, and a velocity that adds it keeps "
        "a graph that grows with every step."
    ),
    contract="in place, without recording gradients",
)
def _momentum_no_graph(ctx: CheckContext) -> None:
    answer = momentum_run(ctx, STEPPED, STEP_GRADS, CHANGING_LRS, 0.9, 0.1)
    if answer.get("velocity_graph") is not False:
        ctx.fail(
            "a velocity requires grad after the calls: the update was recorded by autograd",
            input=momentum_text(STEPPED, STEP_GRADS, CHANGING_LRS, 0.9, 0.1),
            expected="velocities with requires_grad=False and no grad_fn",
        )


@sgd_momentum_step.check(
    "leaves the gradients as they are (clearing them is zero_grad's job)",
    1,
    hint="read p.grad, do not write into it: no p.grad.zero_(), no p.grad = None, and "
    "weight decay added to a new tensor (p.grad + weight_decay * p), not with p.grad.add_.",
    contract="their gradients are not cleared",
)
def _momentum_keeps_grads(ctx: CheckContext) -> None:
    answer = momentum_run(ctx, STEPPED, STEP_GRADS, CHANGING_LRS, 0.9, 0.1)
    text = momentum_text(STEPPED, STEP_GRADS, CHANGING_LRS, 0.9, 0.1)
    for step, (reported, given) in enumerate(zip(answer.get("steps") or [], STEP_GRADS)):
        for position, (got, want) in enumerate(zip(reported.get("grads") or [], given)):
            values = _values(got)
            if values is None or values.shape != want.shape or not torch.equal(values, want):
                ctx.fail(
                    T(
                        "the gradient of parameter {position} changed during call {step}",
                        position=position + 1,
                        step=step + 1,
                    ),
                    input=text,
                    expected=want,
                    got=got,
                )


@sgd_momentum_step.check(
    "raises ValueError when params and velocities differ in length",
    1,
    hint="check first: if len(params) != len(velocities): raise ValueError(...). zip stops "
    "at the shorter list and would leave parameters without a step.",
    contract="`ValueError` if the lengths differ.",
)
def _momentum_lengths(ctx: CheckContext) -> None:
    for count, why in (
        (1, "for fewer velocities than parameters"),
        (3, "for more velocities than parameters"),
    ):
        text = T(
            "sgd_momentum_step(params, velocities, 0.1) with {count} parameters {params} "
            "and {velocities} velocities",
            count=len(STEPPED),
            params=shown(STEPPED),
            velocities=count,
        )
        expect_value_error(
            ctx,
            text,
            why,
            STEPPED,
            STEP_GRADS[:1],
            [0.1],
            probe=MOMENTUM_PROBE,
            options={"velocity_count": count},
        )


@sgd_momentum_step.check(
    "keeps the parameters and velocities on their device (meta, default-device trap, CUDA "
    "if present)",
    1,
    hint=DEFAULT_DEVICE_HINT,
    contract=STAYS_ON_DEVICE,
)
def _momentum_device(ctx: CheckContext) -> None:
    own = momentum_run(ctx, STEPPED, STEP_GRADS, CHANGING_LRS, 0.9, 0.1)
    own_last = (own.get("steps") or [{}])[-1]
    own_after = [_values(t) for t in [*own_last.get("params", []), *own_last.get("velocities", [])]]
    for tier in device_tiers():
        wanted = tier.wanted
        values = [tier.place(v) for v in STEPPED]
        grads = [[tier.place(g) for g in step] for step in STEP_GRADS]
        text = tier.said(momentum_text(values, STEP_GRADS, CHANGING_LRS, 0.9, 0.1))
        outcome = ctx.run(
            values,
            grads,
            CHANGING_LRS,
            probe=MOMENTUM_PROBE,
            options={"momentum": 0.9, "weight_decay": 0.1},
            default_device=tier.default_device,
            timeout=META_TIMEOUT,
        )
        if wanted == "meta" and meta_cannot_run(outcome.raised):
            continue
        if not outcome.ok or not isinstance(outcome.value, dict):
            ctx.fail(
                T(
                    "sgd_momentum_step fails when the parameters are not on the default "
                    "device: {failure}",
                    failure=outcome.describe_failure(),
                ),
                input=text,
            )
        last = (outcome.value.get("steps") or [{}])[-1]
        tensors_after = [*(last.get("params") or []), *(last.get("velocities") or [])]
        if len(tensors_after) != 2 * len(STEPPED) or any(
            not isinstance(t, TransportedTensor) or t.device_type != wanted for t in tensors_after
        ):
            ctx.fail(
                "the parameters or velocities are not on their device after the calls",
                input=text,
                expected=T("tensors on {device}", device=wanted),
                got=describe([getattr(t, "device", t) for t in tensors_after]),
            )
        if wanted != "meta" and not same_values(tensors_after, own_after):
            ctx.fail(
                "the parameters or velocities differ from those the same calls give when the "
                "default device is their own: a tensor made without device= took part",
                input=text,
            )


# ---------------------------------------------------------------------------------------
# step_lr
# ---------------------------------------------------------------------------------------
step_lr = assignment.exercise(
    "step_lr",
    forbidden=(
        "torch.optim.lr_scheduler.StepLR",
        "torch.optim.lr_scheduler.MultiStepLR",
        "torch.optim.lr_scheduler.ExponentialLR",
        "torch.optim.lr_scheduler.LambdaLR",
        "torch.optim.lr_scheduler.MultiplicativeLR",
        "torch.optim.lr_scheduler.ConstantLR",
        "torch.optim.lr_scheduler.LinearLR",
        "torch.optim.lr_scheduler.PolynomialLR",
        "torch.optim.lr_scheduler.CosineAnnealingLR",
        "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts",
        "torch.optim.lr_scheduler.CyclicLR",
        "torch.optim.lr_scheduler.OneCycleLR",
        "torch.optim.lr_scheduler.SequentialLR",
        "torch.optim.lr_scheduler.ChainedScheduler",
        "torch.optim.lr_scheduler.ReduceLROnPlateau",
        "torch.optim.lr_scheduler.LRScheduler",
        "torch.optim.lr_scheduler._LRScheduler",
    ),
)

STEP_LR_HINT = (
    "the rate is multiplied by gamma once for every full step_size epochs: epochs 0 to "
    "step_size - 1 get base_lr, the next step_size epochs base_lr * gamma, and so on; "
    "return it as a Python float."
)

# Wrong schedules the feedback recognises: the exponent each one uses.
SCHEDULE_FORMS: dict[str, tuple[Callable[[int, int], float], str]] = {
    "early": (
        lambda epoch, size: (epoch + 1) // size,
        phrase(
            "the rate decays one epoch early, as with scheduler.step() called at the start of "
            "each epoch, before training: epoch e then trains with epoch e + 1's rate. Step the "
            "scheduler after the epoch; here, epoch // step_size."
        ),
    ),
    "late": (
        lambda epoch, size: max(epoch - 1, 0) // size,
        phrase(
            "the rate decays one epoch late: ranges such as 30 <= epoch <= 60 and 60 <= epoch "
            "<= 90 overlap at their ends, and the first range wins. Epoch step_size is the first "
            "epoch of the second range: epoch // step_size."
        ),
    ),
    "continuous": (
        lambda epoch, size: epoch / size,
        phrase(
            "the rate decays at every epoch (epoch / step_size is a true division): step decay "
            "holds it for step_size epochs, epoch // step_size."
        ),
    ),
    "every_epoch": (
        lambda epoch, size: float(epoch),
        phrase(
            "the rate is multiplied by gamma at every epoch (gamma ** epoch): step decay does so "
            "once every step_size epochs, gamma ** (epoch // step_size)."
        ),
    ),
}


def name_the_schedule(got: float, base_lr: float, epoch: int, size: int, gamma: float) -> str:
    """Explain a wrong rate by the schedule it follows, if it is one of :data:`SCHEDULE_FORMS`."""
    for exponent, explanation in SCHEDULE_FORMS.values():
        if math.isclose(got, base_lr * gamma ** exponent(epoch, size), rel_tol=1e-9):
            return explanation
    return STEP_LR_HINT


def schedule_text(base_lr: float, epochs: list[int], size: int, gamma: float) -> T:
    return T(
        "step_lr({base_lr}, epoch, {step_size}, gamma={gamma}) for epoch in {epochs}",
        base_lr=base_lr,
        step_size=size,
        gamma=gamma,
        epochs=epochs,
    )


def expect_schedule(
    ctx: CheckContext, base_lr: float, epochs: list[int], size: int, gamma: float
) -> None:
    """Every epoch's rate is the reference's (to 1e-9, relative: any order of products)."""
    answer = ctx.probe(base_lr, epochs, size, gamma, probe=SCHEDULE_PROBE)
    rates = answer.get("result") or []
    for position, epoch in enumerate(epochs):
        wanted = ctx.reference.step_lr(base_lr, epoch, size, gamma)
        got = rates[position] if position < len(rates) else None
        number = as_number(got)
        if number is not None and math.isclose(number, wanted, rel_tol=1e-9, abs_tol=1e-300):
            continue
        ctx.fail(
            T("the learning rate of epoch {epoch} is wrong", epoch=epoch),
            input=schedule_text(base_lr, epochs, size, gamma),
            expected=describe(wanted),
            got=describe(got),
            hint=STEP_LR_HINT
            if number is None
            else name_the_schedule(number, base_lr, epoch, size, gamma),
        )


@st.composite
def schedules(draw: st.DrawFn) -> tuple[float, list[int], int, float]:
    """(base_lr, epochs, step_size, gamma): a few epochs of one schedule."""
    base_lr = draw(st.sampled_from((0.1, 0.05, 1.0, 0.003)))
    size = draw(st.integers(1, 12))
    gamma = draw(st.sampled_from((0.1, 0.5, 0.9, 0.25)))
    epochs = draw(st.lists(st.integers(0, 60), min_size=1, max_size=6))
    return base_lr, epochs, size, gamma


@step_lr.check(
    "agrees with StepLR: base_lr * gamma ** (epoch // step_size) at generated epochs",
    3,
    hint=STEP_LR_HINT,
    contract=(
        "the learning rate of epoch `epoch` (from 0), `base_lr * gamma ** (epoch // step_size)`"
    ),
)
def _step_lr_agrees(ctx: CheckContext) -> None:
    @ctx.given(schedules(), max_examples=10)
    def _(case) -> None:
        expect_schedule(ctx, *case)


@step_lr.check(
    "decays exactly at multiples of step_size: epoch step_size - 1 keeps the rate, epoch "
    "step_size has the decayed one",
    2,
    hint=STEP_LR_HINT,
    contract="`base_lr * gamma ** (epoch // step_size)`",
)
def _step_lr_boundaries(ctx: CheckContext) -> None:
    for base_lr, size, gamma in ((0.05, 30, 0.1), (1.0, 3, 0.5), (0.1, 1, 0.5)):
        epochs = [0, size - 1, size, 2 * size - 1, 2 * size, 2 * size + 1]
        expect_schedule(ctx, base_lr, sorted(set(epochs)), size, gamma)


@step_lr.check(
    "returns a Python float (integer arguments too)",
    1,
    hint="return float(...): a learning rate is a plain number for optimizer.param_groups, "
    "not a tensor, and base_lr * gamma ** k is an int when all three are ints.",
    contract="`base_lr * gamma ** (epoch // step_size)`, as a Python float",
)
def _step_lr_float(ctx: CheckContext) -> None:
    for base_lr, epochs, size, gamma in ((0.1, [0, 7], 5, 0.5), (2, [0, 3], 1, 2)):
        answer = ctx.probe(base_lr, epochs, size, gamma, probe=SCHEDULE_PROBE)
        kinds = answer.get("kinds") or []
        if not kinds or any(kind != "float" for kind in kinds):
            ctx.fail(
                "step_lr should return a Python float",
                input=schedule_text(base_lr, epochs, size, gamma),
                got=T("values of type {kinds}", kinds=", ".join(str(k) for k in kinds)),
            )


@step_lr.check(
    "raises ValueError if step_size < 1 or epoch < 0",
    1,
    hint="check the arguments first: if step_size < 1 or epoch < 0: raise ValueError(...). "
    "step_size 0 would divide by zero, a negative epoch would raise the rate.",
    contract="`ValueError` if `step_size < 1` or `epoch < 0`.",
)
def _step_lr_errors(ctx: CheckContext) -> None:
    for args, why in (
        ((0.1, 5, 0), "for step_size 0"),
        ((0.1, 5, -2), "for a negative step_size"),
        ((0.1, -1, 3), "for a negative epoch"),
    ):
        ctx.expect_raises(ValueError, *args, why=why)


@step_lr.check(
    "a schedule over 100 epochs: 0.05, then 0.005 from epoch 30, 0.0005 from 60",
    1,
    hidden=True,
    hint=STEP_LR_HINT,
    contract="the learning rate of epoch `epoch` (from 0)",
)
def _step_lr_seed(ctx: CheckContext) -> None:
    expect_schedule(ctx, 0.05, list(range(100)), 30, 0.1)


# ---------------------------------------------------------------------------------------
# EarlyStopping
# ---------------------------------------------------------------------------------------
EarlyStopping = assignment.exercise("EarlyStopping")

STOPPING_HINT = (
    "count the calls in a row that do not improve (reset the count to 0 on an improving "
    "call) and return count >= max(patience, 1); a call improves only when it beats best by "
    "more than min_delta: metric < best - min_delta for 'min', metric > best + min_delta "
    "for 'max'."
)
# Metrics are multiples of 1/4 and moves of a quarter or a half: exact in floating point.
# The moves lean downwards, as a validation loss does while it still improves.
LEVELS = tuple(k / 4 for k in range(9))
MOVES = (0.0, -0.25, 0.25, -0.5, 0.5, -0.25)


@st.composite
def metric_runs(draw: st.DrawFn, min_size: int = 1, max_size: int = 12) -> list[float]:
    """A validation curve: a start and moves, with plateaus (a move of 0) and ties."""
    metrics = [draw(st.sampled_from(LEVELS))]
    moves = st.lists(st.sampled_from(MOVES), min_size=min_size - 1, max_size=max_size - 1)
    for move in draw(moves):
        metrics.append(metrics[-1] + move)
    return metrics


def stopping_text(metrics: list[float], patience: int, mode: str, min_delta: float) -> T:
    return T(
        "stopper = EarlyStopping({patience}, mode={mode}, min_delta={min_delta}), then "
        "stopper.step(metric) for each metric of {metrics} in turn",
        patience=patience,
        mode=repr(mode),
        min_delta=min_delta,
        metrics=metrics,
    )


def stopping_answers(
    ctx: CheckContext, metrics: list[float], patience: int, mode: str, min_delta: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the student's report, the reference's) for one sequence of metrics."""
    wanted = probes.stopping(
        ctx.reference.EarlyStopping, metrics, patience, mode=mode, min_delta=min_delta
    )
    outcome = ctx.run(
        metrics,
        patience,
        probe=STOPPING_PROBE,
        options={"mode": mode, "min_delta": min_delta},
    )
    if not outcome.ok or not isinstance(outcome.value, dict):
        ctx.fail(
            T(
                "{function} did not return a value: {reason}",
                function=ctx.function,
                reason=outcome.describe_failure(),
            ),
            input=stopping_text(metrics, patience, mode, min_delta),
        )
    return outcome.value, wanted


def explain_decision(
    wanted: dict[str, Any], index: int, metrics: list[float], patience: int, mode: str
) -> T:
    """Why call ``index`` must return what the reference returned (its bookkeeping)."""
    best_epoch = wanted["best_epoch"][index]
    if index == 0:
        return T("False: the first call always improves")
    best = wanted["best"][index - 1]
    if best_epoch == index:
        return T(
            "False: step({metric}) improves on best {best} (mode {mode}), and an improving "
            "call never stops",
            metric=metrics[index],
            best=best,
            mode=repr(mode),
        )
    streak = index - best_epoch
    return T(
        "{decision}: step({metric}) does not improve on best {best} (set by call "
        "{best_epoch}); calls in a row without improvement: {streak}, and patience "
        "{patience} stops at {needed}",
        decision=streak >= max(patience, 1),
        metric=metrics[index],
        best=best,
        best_epoch=best_epoch,
        streak=streak,
        patience=patience,
        needed=max(patience, 1),
    )


def expect_decisions(
    ctx: CheckContext,
    metrics: list[float],
    patience: int,
    *,
    until_first_stop: bool = True,
    hint: str = STOPPING_HINT,
) -> None:
    """``step``'s decisions in 'min' mode, call by call, are the reference's: up to the
    first stop (``until_first_stop``: what comes after a stop is another check's), or all."""
    answer, wanted = stopping_answers(ctx, metrics, patience, "min", 0.0)
    want = wanted["stops"]
    end = want.index(True) + 1 if until_first_stop and True in want else len(want)
    got = answer.get("stops") or []
    for index in range(end):
        decision = got[index] if index < len(got) else None
        if decision == want[index]:
            continue
        ctx.fail(
            T(
                "call {index}, step({metric}), returned {got}",
                index=index,
                metric=metrics[index],
                got=decision,
            ),
            input=stopping_text(metrics, patience, "min", 0.0),
            expected=explain_decision(wanted, index, metrics, patience, "min"),
            got=T("the decisions {got}", got=got[: index + 1]),
            hint=hint,
        )


@EarlyStopping.check(
    "stops at the max(patience, 1)-th call in a row without improvement (generated curves "
    "with plateaus)",
    3,
    hint=STOPPING_HINT,
    contract=(
        "`True` on a call that does not improve and makes `max(patience, 1)` such calls in a row"
    ),
)
def _stopping_decisions(ctx: CheckContext) -> None:
    """First a plateau (stop at the third equal loss) and a noisy descent whose
    improvements keep resetting the count (never stop), then generated curves."""
    expect_decisions(ctx, [1.0, 1.0, 1.0, 1.0, 0.5], 3)
    expect_decisions(ctx, [1.0, 1.25, 0.75, 1.0, 0.5, 0.75, 0.25, 0.5, 0.0], 2)

    @ctx.given(metric_runs(min_size=6, max_size=14), st.integers(1, 4), max_examples=10)
    def _(metrics, patience) -> None:
        expect_decisions(ctx, metrics, patience)


def improving_calls(report: dict[str, Any]) -> list[bool]:
    """Which calls improved, as a report shows it: those after which ``best`` or
    ``best_epoch`` is not what it was before the call."""
    states = list(zip(report.get("best") or [], report.get("best_epoch") or []))
    before = [(report.get("best_before"), None), *states]
    return [state != previous for previous, state in zip(before, states)]


def expect_improvements(
    ctx: CheckContext,
    metrics: list[float],
    mode: str,
    min_delta: float,
    hint: str,
    *,
    exact_epochs: bool = False,
) -> None:
    """Which calls improve, and ``best`` after each, are the reference's (whatever the
    submission decides about stopping, another check's business).  ``exact_epochs``: also
    ``best_epoch``'s values (else only the calls at which it changes)."""
    answer, wanted = stopping_answers(ctx, metrics, 3, mode, min_delta)
    got = list(zip(answer.get("best") or [], answer.get("best_epoch") or []))
    got_improving, want_improving = improving_calls(answer), improving_calls(wanted)
    for index, want in enumerate(zip(wanted["best"], wanted["best_epoch"])):
        if index < len(got) and got[index][0] == want[0]:
            if exact_epochs and got[index][1] == want[1] and type(got[index][1]) is int:
                continue
            if not exact_epochs and got_improving[index] == want_improving[index]:
                continue
        shown_got = got[index] if index < len(got) else (None, None)
        ctx.fail(
            T(
                "after call {index}, step({metric}), best and best_epoch are wrong",
                index=index,
                metric=metrics[index],
            ),
            input=stopping_text(metrics, 3, mode, min_delta),
            expected=T(
                "best {best}, best_epoch {epoch} ({verdict})",
                best=want[0],
                epoch=want[1],
                verdict=T("the call improves")
                if want_improving[index]
                else T("the call does not improve"),
            ),
            got=T("best {best}, best_epoch {epoch}", best=shown_got[0], epoch=shown_got[1]),
            hint=hint,
        )


BEST_HINT = (
    "on an improving call only (metric < best - min_delta for 'min'): self.best = metric "
    "and self.best_epoch = the call's index, 0 for the first call; a call that does not "
    "improve, a tie included, leaves both as they are."
)


@EarlyStopping.check(
    "best and best_epoch are the metric and the 0-based index of the last improving call",
    2,
    hint=BEST_HINT,
    contract="only an improving call sets `best` and `best_epoch` (the call's index from 0)",
)
def _stopping_best(ctx: CheckContext) -> None:
    @ctx.given(metric_runs(), max_examples=10)
    def _(metrics) -> None:
        expect_improvements(ctx, metrics, "min", 0.0, BEST_HINT, exact_epochs=True)


MAX_HINT = (
    "in 'max' mode higher is better (an accuracy): a call improves when metric > best + "
    "min_delta, and best is the highest metric so far."
)


@EarlyStopping.check(
    "'max' mode: higher is better (generated curves)",
    2,
    hint=MAX_HINT,
    contract='higher for `"max"`',
)
def _stopping_max(ctx: CheckContext) -> None:
    """Curves without ties: what a tie does is the best check's property."""

    @ctx.given(metric_runs(), max_examples=10)
    def _(metrics) -> None:
        expect_improvements(ctx, without_ties(metrics, "max"), "max", 0.0, MAX_HINT)


def without_ties(metrics: list[float], mode: str) -> list[float]:
    """The curve with each metric that ties the best so far made an eighth worse (exact in
    floating point); the best so far never changes, so no new tie appears."""
    best, curve = metrics[0], metrics[:1]
    for metric in metrics[1:]:
        if metric == best:
            metric = metric - 0.125 if mode == "max" else metric + 0.125
        curve.append(metric)
        best = max(best, metric) if mode == "max" else min(best, metric)
    return curve


MIN_DELTA_HINT = (
    "a call improves only when it is better than best by MORE than min_delta: metric < "
    "best - min_delta ('min'), metric > best + min_delta ('max'). Exactly min_delta better "
    "is not an improvement, and only an improving call moves best."
)


@EarlyStopping.check(
    "min_delta: a call improves only by beating best by more than min_delta (exactly "
    "min_delta is no improvement)",
    2,
    hint=MIN_DELTA_HINT,
    contract="A call improves when the metric beats `best` by more than `min_delta`",
)
def _stopping_min_delta(ctx: CheckContext) -> None:
    expect_improvements(ctx, [1.0, 0.75, 0.5, 0.25], "min", 0.25, MIN_DELTA_HINT)

    @ctx.given(metric_runs(), st.sampled_from((0.25, 0.5)), max_examples=10)
    def _(metrics, min_delta) -> None:
        expect_improvements(ctx, metrics, "min", min_delta, MIN_DELTA_HINT)


@EarlyStopping.check(
    "min_delta in 'max' mode: a call improves only above best + min_delta",
    1,
    hidden=True,
    hint=MIN_DELTA_HINT,
    contract='by more than `min_delta` (lower for `"min"`, higher for `"max"`',
)
def _stopping_max_delta(ctx: CheckContext) -> None:
    expect_improvements(ctx, [0.5, 0.75, 1.0, 1.25], "max", 0.25, MIN_DELTA_HINT)

    @ctx.given(metric_runs(), st.sampled_from((0.25, 0.5)), max_examples=10)
    def _(metrics, min_delta) -> None:
        expect_improvements(ctx, metrics, "max", min_delta, MIN_DELTA_HINT)


@EarlyStopping.check(
    "best is None before the first call, and the first call always improves (a metric of inf too)",
    1,
    hint="start with self.best = None and treat the first call as an improvement "
    "(if self.best is None or ...): a start of float('inf') makes a first loss of inf (a "
    "diverged epoch) no improvement.",
    contract="`best` is `None` before the first call.",
)
def _stopping_first_call(ctx: CheckContext) -> None:
    for metrics, mode in (([math.inf, 3.0], "min"), ([-math.inf, -3.0], "max")):
        answer, _ = stopping_answers(ctx, metrics, 1, mode, 0.0)
        text = stopping_text(metrics, 1, mode, 0.0)
        if answer.get("best_before") is not None:
            ctx.fail(
                "best should be None before the first call",
                input=text,
                got=describe(answer.get("best_before")),
            )
        got = [(answer.get(key) or [None])[0] for key in ("stops", "best")]
        if got != [False, metrics[0]]:
            ctx.fail(
                T("the first call, step({metric}), did not improve", metric=metrics[0]),
                input=text,
                expected=T("returns False, best {best}", best=metrics[0]),
                got=T("returns {stop}, best {best}", stop=got[0], best=got[1]),
            )


@EarlyStopping.check(
    "patience 0 stops at the first call without improvement, as patience 1 does",
    1,
    hint="stop when count >= max(patience, 1), and only on a call that does not improve: "
    "with patience 0, count >= 0 holds on an improving call too.",
    contract="makes `max(patience, 1)` such calls in a row",
)
def _stopping_patience_zero(ctx: CheckContext) -> None:
    expect_decisions(ctx, [1.0, 1.5, 0.5, 0.5, 0.25, 2.0], 0, until_first_stop=False)


@EarlyStopping.check(
    "keeps returning True while no call improves (Keras's and Lightning's convention)",
    1,
    hint="do not reset the count when you return True: only an improving call resets it, "
    "so every later call without improvement returns True as well.",
    contract="`True` again on every later call until one improves.",
)
def _stopping_keeps_stopping(ctx: CheckContext) -> None:
    """Judged on the submission's own first stop (when it comes is the first check's
    business): from there to the next improving call, every call returns True."""
    metrics, patience = [1.0, 1.25, 1.0, 1.5, 2.0, 0.5, 0.75, 0.5, 1.0, 1.0], 2
    answer, wanted = stopping_answers(ctx, metrics, patience, "min", 0.0)
    got = answer.get("stops") or []
    stopped = False
    for index, best_epoch in enumerate(wanted["best_epoch"]):
        stopped = stopped and best_epoch != index
        decision = got[index] if index < len(got) else None
        if stopped and decision is not True:
            ctx.fail(
                T(
                    "call {index}, step({metric}), returned {got} after an earlier call "
                    "said stop, and no call improved since",
                    index=index,
                    metric=metrics[index],
                    got=decision,
                ),
                input=stopping_text(metrics, patience, "min", 0.0),
                expected=describe(True),
                got=T("the decisions {got}", got=got[: index + 1]),
            )
        stopped = stopped or decision is True


@EarlyStopping.check(
    "step returns a Python bool",
    1,
    hint="return True or False on every call (return count >= max(patience, 1)); a "
    "function that ends without return gives None.",
    contract="`step(metric)`, called once per epoch, returns a Python `bool`",
)
def _stopping_bool(ctx: CheckContext) -> None:
    metrics = [1.0, 0.5, 0.75, 0.75, 0.25]
    answer, _ = stopping_answers(ctx, metrics, 2, "min", 0.0)
    kinds = answer.get("kinds") or []
    if not kinds or any(kind != "bool" for kind in kinds):
        ctx.fail(
            "step should return a Python bool on every call",
            input=stopping_text(metrics, 2, "min", 0.0),
            got=T("values of type {kinds}", kinds=", ".join(str(k) for k in kinds)),
        )


@EarlyStopping.check(
    "raises ValueError for patience < 0, min_delta < 0 or a mode other than 'min' and 'max'",
    1,
    hint="check the arguments in __init__: patience < 0, min_delta < 0 or mode not in "
    "('min', 'max') raise ValueError(...).",
    contract="`ValueError` if `patience < 0`, `min_delta < 0` or `mode` is neither.",
)
def _stopping_errors(ctx: CheckContext) -> None:
    for patience, options, why in (
        (-1, {"mode": "min", "min_delta": 0.0}, "for patience -1"),
        (2, {"mode": "min", "min_delta": -0.1}, "for min_delta -0.1"),
        (2, {"mode": "lowest", "min_delta": 0.0}, "for mode 'lowest'"),
    ):
        text = T(
            "EarlyStopping({patience}, mode={mode}, min_delta={min_delta})",
            patience=patience,
            mode=repr(options["mode"]),
            min_delta=options["min_delta"],
        )
        expect_value_error(ctx, text, why, [1.0], patience, probe=STOPPING_PROBE, options=options)


# ---------------------------------------------------------------------------------------
# clip_grad_norm
# ---------------------------------------------------------------------------------------
clip_grad_norm = assignment.exercise(
    "clip_grad_norm",
    forbidden=(
        "torch.nn.utils.clip_grad_norm_",
        "torch.nn.utils.clip_grad_norm",
        "torch.nn.utils.clip_grad_value_",
        "torch.nn.utils.get_total_norm",
        "torch.nn.utils.clip_grads_with_norm_",
        "torch.nn.utils.clip_grad._clip_grads_with_norm_",
        "torch.nn.utils.clip_grad._get_total_norm",
    ),
)

CLIP_HINT = (
    "collect the gradients that are not None, once; the norm is the square root of the "
    "sum of every gradient's squares; where it exceeds max_norm, multiply every gradient "
    "in place by max_norm / (norm + 1e-6); return the norm (before clipping) as a float."
)


def clip_text(values: list[Any], grads: list[Any], max_norm: float, container: str) -> T:
    return T(
        "clip_grad_norm(params, max_norm={max_norm}) with params a {container} of "
        "parameters {values} whose gradients are {grads}",
        max_norm=max_norm,
        container=container,
        values=shown(values, 200),
        grads=shown(grads, 400),
    )


def clip_answers(
    ctx: CheckContext,
    values: list[Any],
    grads: list[Any],
    max_norm: float,
    container: str = "list",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the student's report, the reference's) for one call."""
    wanted = probes.clipping(ctx.reference.clip_grad_norm, values, grads, max_norm, container)
    answer = ctx.probe(values, grads, max_norm, probe=CLIP_PROBE, options={"container": container})
    return answer, wanted


@st.composite
def clip_cases(draw: st.DrawFn, ratios: tuple[float, ...] = (0.05, 0.3, 0.7)) -> tuple:
    """(values, grads, max_norm): 1 to 3 parameters of one dtype, the first with two values
    at least, max_norm a fraction of the gradients' global norm (so they are clipped)."""
    dtype = draw(st.sampled_from((torch.float32, torch.float64)))
    sizes = [draw(shapes(min_dims=1, max_dims=2, min_side=2, max_side=4))]
    sizes += draw(
        st.lists(shapes(min_dims=0, max_dims=2, min_side=1, max_side=4), min_size=0, max_size=2)
    )
    grads = [draw(tensors(size, dtype, -10.0, 10.0)) for size in sizes]
    norm = math.sqrt(sum(float((g.double() ** 2).sum()) for g in grads))
    if norm < 0.5:  # shrunk to zeros: a norm to clip all the same
        grads[0] = grads[0] + 1
        norm = math.sqrt(sum(float((g.double() ** 2).sum()) for g in grads))
    values = [torch.ones(size, dtype=dtype) for size in sizes]
    return values, grads, draw(st.sampled_from(ratios)) * norm


def number_tolerance(grads: list[Any]) -> float:
    dtypes = {g.dtype for g in grads if isinstance(g, torch.Tensor)}
    return 1e-5 if torch.float64 not in dtypes else 1e-10


@clip_grad_norm.check(
    "returns the global L2 norm of all gradients, before clipping",
    2,
    hint="norm = torch.sqrt(sum(torch.sum(g ** 2) for g in grads)): one norm over every "
    "gradient together (not a norm per tensor), taken before the gradients are scaled.",
    contract="the global L2 norm of all gradients before clipping",
)
def _clip_norm(ctx: CheckContext) -> None:
    @ctx.given(clip_cases(), max_examples=10)
    def _(case) -> None:
        values, grads, max_norm = case
        answer, wanted = clip_answers(ctx, values, grads, max_norm)
        got = as_number(answer.get("result"))
        want = wanted["result"]
        if got is not None and math.isclose(got, want, rel_tol=number_tolerance(grads)):
            return
        after = got is not None and math.isclose(got, max_norm, rel_tol=1e-4)
        ctx.fail(
            "clip_grad_norm returned the wrong norm",
            input=clip_text(values, grads, max_norm, "list"),
            expected=describe(want),
            got=describe(answer.get("result")),
            hint="return the norm measured before clipping (after clipping it is "
            "max_norm): it tells whether the gradients exploded."
            if after
            else None,
        )


def expect_grads(
    ctx: CheckContext,
    values: list[Any],
    grads: list[Any],
    max_norm: float,
    container: str = "list",
    hint: str = CLIP_HINT,
) -> None:
    """Every gradient after the call is the reference's (None stays None)."""
    answer, wanted = clip_answers(ctx, values, grads, max_norm, container)
    text = clip_text(values, grads, max_norm, container)
    got_grads = answer.get("grads") or []
    for position, want in enumerate(wanted["grads"]):
        got = got_grads[position] if position < len(got_grads) else "<missing>"
        if want is None:
            if got is not None:
                ctx.fail(
                    T(
                        "parameter {position} had no gradient and has one now",
                        position=position + 1,
                    ),
                    input=text,
                    expected=describe(None),
                    got=got,
                    hint="skip parameters whose grad is None: they have nothing to clip.",
                )
            continue
        values_got = _values(got)
        if (
            values_got is not None
            and values_got.shape == want.shape
            and values_got.dtype == want.dtype
            and torch.allclose(values_got, want, **tolerance(want.dtype))
        ):
            continue
        clamped = (
            values_got is not None
            and values_got.shape == want.shape
            and torch.allclose(
                values_got.double(), grads[position].double().clamp(-max_norm, max_norm)
            )
        )
        expect_tensor(
            got,
            want,
            input=text,
            what=T("the gradient of parameter {position} after the call", position=position + 1),
            hint="each value was clamped to [-max_norm, max_norm] (clip_grad_value_'s "
            "rule): that bounds the values, not the norm of the whole gradient, and turns the "
            "step wherever values differ in size. Multiply every gradient by one factor, "
            "max_norm / (norm + 1e-6), with norm the global norm of all of them."
            if clamped
            else hint,
            **tolerance(want.dtype),
        )


@clip_grad_norm.check(
    "scales every gradient by max_norm / (norm + 1e-6) when the norm exceeds max_norm",
    3,
    hint=CLIP_HINT,
    contract="every gradient is multiplied in place by `max_norm / (norm + 1e-6)`",
)
def _clip_scales(ctx: CheckContext) -> None:
    @ctx.given(clip_cases(), max_examples=10)
    def _(case) -> None:
        expect_grads(ctx, *case)


DIRECTION_VALUES = [torch.zeros(2, 2), torch.zeros(1)]
DIRECTION_GRADS = [torch.tensor([[3.0, -40.0], [0.5, 12.0]]), torch.tensor([-2.0])]


@clip_grad_norm.check(
    "keeps the direction: all gradients are scaled by one common factor",
    1,
    hint="one factor for every value of every gradient, max_norm / (norm + 1e-6) with the "
    "global norm: clamping each value, or clipping each tensor to max_norm by its own norm, "
    "turns the step in another direction.",
    contract="which keeps the direction",
)
def _clip_direction(ctx: CheckContext) -> None:
    answer, _ = clip_answers(ctx, DIRECTION_VALUES, DIRECTION_GRADS, 5.0)
    text = clip_text(DIRECTION_VALUES, DIRECTION_GRADS, 5.0, "list")
    after = [_values(g) for g in answer.get("grads") or []]
    if len(after) != len(DIRECTION_GRADS) or any(
        a is None or a.shape != b.shape for a, b in zip(after, DIRECTION_GRADS)
    ):
        ctx.fail("the gradients after the call could not be read", input=text, got=describe(after))
    factors = torch.cat(
        [(a.double() / b.double()).reshape(-1) for a, b in zip(after, DIRECTION_GRADS)]
    )
    if not torch.allclose(factors, factors[0].expand_as(factors), rtol=1e-4) or not (
        0 < float(factors[0]) < 1
    ):
        ctx.fail(
            "the gradients were not scaled by one common factor: the direction changed",
            input=text,
            expected="every gradient value multiplied by the same factor, below 1",
            got=T("the factors {factors}", factors=[round(float(f), 4) for f in factors]),
        )


@clip_grad_norm.check(
    "leaves the gradients unchanged when their norm is at most max_norm",
    1,
    hint="scale only when norm > max_norm: a gradient already short enough keeps its "
    "length (max_norm / norm > 1 would lengthen it).",
    contract="where it exceeds `max_norm`, and only there",
)
def _clip_leaves_small(ctx: CheckContext) -> None:
    for grads, max_norm in (
        ([torch.tensor([3.0, 4.0])], 10.0),
        ([torch.tensor([3.0, 4.0])], 5.0),
        (
            [
                torch.tensor([[1e-3, -2e-3]], dtype=torch.float64),
                torch.tensor([0.0], dtype=torch.float64),
            ],
            1.0,
        ),
    ):
        values = [torch.zeros_like(g) for g in grads]
        answer, _ = clip_answers(ctx, values, grads, max_norm)
        for position, (got, before) in enumerate(zip(answer.get("grads") or [None], grads)):
            values_got = _values(got)
            if (
                values_got is None
                or values_got.shape != before.shape
                or not torch.allclose(values_got, before, rtol=1e-6, atol=0.0)
            ):
                ctx.fail(
                    T(
                        "the gradient of parameter {position} changed although the norm "
                        "is at most max_norm",
                        position=position + 1,
                    ),
                    input=clip_text(values, grads, max_norm, "list"),
                    expected=before,
                    got=got,
                )


NONE_VALUES = [torch.zeros(2), torch.zeros(3), torch.zeros(1)]


@clip_grad_norm.check(
    "skips parameters whose grad is None",
    1,
    hint=(
        "leave out every parameter whose grad is None: a parameter no gradient reached (a "
        "frozen layer) has nothing to clip."
    ),
    contract="a `grad` of `None` is skipped",
)
def _clip_none(ctx: CheckContext) -> None:
    """Judged on the missing gradient only: the others' values are the other checks'."""
    grads = [torch.tensor([6.0, -8.0]), None, torch.tensor([10.0])]
    answer, _ = clip_answers(ctx, NONE_VALUES, grads, 2.0)
    after = answer.get("grads") or []
    if len(after) != len(grads) or after[1] is not None:
        ctx.fail(
            T("parameter {position} had no gradient and has one now", position=2),
            input=clip_text(NONE_VALUES, grads, 2.0, "list"),
            expected=describe(None),
            got=describe(after[1] if len(after) > 1 else after),
        )


@clip_grad_norm.check(
    "returns 0.0 when no parameter has a gradient",
    1,
    hidden=True,
    hint="with no gradient at all there is nothing to measure: return 0.0 (sum() of "
    "nothing is the int 0, and torch.sqrt(0) fails).",
    contract="`0.0` without gradients",
)
def _clip_no_grads(ctx: CheckContext) -> None:
    grads = [None, None, None]
    answer, _ = clip_answers(ctx, NONE_VALUES, grads, 1.0)
    got = as_number(answer.get("result"))
    if got != 0.0:
        ctx.fail(
            "clip_grad_norm should return 0.0 when no parameter has a gradient",
            input=clip_text(NONE_VALUES, grads, 1.0, "list"),
            expected="0.0",
            got=describe(answer.get("result")),
        )


@clip_grad_norm.check(
    "reads params once: works with a generator such as net.parameters()",
    1,
    hint="net.parameters() is a generator: it can be read only once. Make a list first "
    "(params = list(params), or the list of gradients) and use it for the norm and the "
    "scaling.",
    contract="`params` may be a generator, read once.",
)
def _clip_generator(ctx: CheckContext) -> None:
    """Compared with this submission's own call on a list, so a wrong clip costs points in
    the other checks only."""
    text = clip_text(DIRECTION_VALUES, DIRECTION_GRADS, 5.0, "generator")
    from_list, _ = clip_answers(ctx, DIRECTION_VALUES, DIRECTION_GRADS, 5.0)
    answer = ctx.probe(
        DIRECTION_VALUES, DIRECTION_GRADS, 5.0, probe=CLIP_PROBE, options={"container": "generator"}
    )
    own = [_values(g) for g in from_list.get("grads") or []]
    if not same_values(answer.get("grads") or [], own):
        ctx.fail(
            "with a generator the gradients are not clipped as with a list",
            input=text,
            expected=T("as from a list: {grads}", grads=describe(own)),
            got=describe(answer.get("grads")),
        )
    norms = as_number(answer.get("result")), as_number(from_list.get("result"))
    if norms[0] is None or norms[1] is None or not math.isclose(*norms, rel_tol=1e-9):
        ctx.fail(
            "with a generator the returned norm is not the one returned for a list",
            input=text,
            expected=describe(from_list.get("result")),
            got=describe(answer.get("result")),
        )


@clip_grad_norm.check(
    "multiplies the gradients in place (the same .grad tensors)",
    1,
    hint="p.grad.mul_(factor) (or p.grad *= factor) changes the gradient in place, as "
    "clip_grad_norm_ does; p.grad = p.grad * factor makes a new tensor.",
    contract="every gradient is multiplied in place",
)
def _clip_in_place(ctx: CheckContext) -> None:
    answer, _ = clip_answers(ctx, DIRECTION_VALUES, DIRECTION_GRADS, 5.0)
    if answer.get("in_place") != [True] * len(DIRECTION_GRADS):
        ctx.fail(
            "a gradient is a new tensor after the call: it was not scaled in place",
            input=clip_text(DIRECTION_VALUES, DIRECTION_GRADS, 5.0, "list"),
        )


@clip_grad_norm.check(
    "returns a Python float",
    1,
    hint="return float(norm) (or norm.item()): a number to print or log, not a tensor.",
    contract="the global L2 norm of all gradients before clipping, as a Python float",
)
def _clip_float(ctx: CheckContext) -> None:
    answer, _ = clip_answers(ctx, DIRECTION_VALUES, DIRECTION_GRADS, 5.0)
    if answer.get("kind") != "float":
        ctx.fail(
            "clip_grad_norm should return a Python float",
            input=clip_text(DIRECTION_VALUES, DIRECTION_GRADS, 5.0, "list"),
            got=T("a value of type {kind}", kind=answer.get("kind")),
        )


@clip_grad_norm.check(
    "raises ValueError if max_norm <= 0",
    1,
    hint="check first: if max_norm <= 0: raise ValueError(...). No gradient can be "
    "scaled to a norm of 0 or less.",
    contract="`ValueError` if `max_norm <= 0`.",
)
def _clip_errors(ctx: CheckContext) -> None:
    for max_norm, why in ((0.0, "for max_norm 0"), (-1.0, "for a negative max_norm")):
        text = clip_text(DIRECTION_VALUES, DIRECTION_GRADS, max_norm, "list")
        expect_value_error(
            ctx, text, why, DIRECTION_VALUES, DIRECTION_GRADS, max_norm, probe=CLIP_PROBE
        )


@clip_grad_norm.check(
    "keeps the gradients on their device (meta, default-device trap, CUDA if present)",
    1,
    hint=DEFAULT_DEVICE_HINT,
    contract=STAYS_ON_DEVICE,
)
def _clip_device(ctx: CheckContext) -> None:
    own_answer, _ = clip_answers(ctx, DIRECTION_VALUES, DIRECTION_GRADS, 5.0)
    own = [_values(g) for g in own_answer.get("grads") or []]
    for tier in device_tiers():
        wanted = tier.wanted
        values = [tier.place(v) for v in DIRECTION_VALUES]
        grads = [tier.place(g) for g in DIRECTION_GRADS]
        text = tier.said(clip_text(values, DIRECTION_GRADS, 5.0, "list"))
        outcome = ctx.run(
            values,
            grads,
            5.0,
            probe=CLIP_PROBE,
            default_device=tier.default_device,
            timeout=META_TIMEOUT,
        )
        if wanted == "meta" and meta_cannot_run(outcome.raised):
            continue
        if not outcome.ok or not isinstance(outcome.value, dict):
            ctx.fail(
                T(
                    "clip_grad_norm fails when the gradients are not on the default device: "
                    "{failure}",
                    failure=outcome.describe_failure(),
                ),
                input=text,
            )
        after = outcome.value.get("grads") or []
        if len(after) != len(DIRECTION_GRADS) or any(
            not isinstance(t, TransportedTensor) or t.device_type != wanted for t in after
        ):
            ctx.fail(
                "the gradients are not on their device after the call",
                input=text,
                expected=T("tensors on {device}", device=wanted),
                got=describe([getattr(t, "device", t) for t in after]),
            )
        if wanted != "meta" and not same_values(after, own):
            ctx.fail(
                "the gradients differ from those the same call gives when the default "
                "device is their own: a tensor made without device= took part",
                input=text,
            )
