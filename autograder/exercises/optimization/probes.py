"""Probes for ``optimization.py``: leaf parameters with gradients, velocities the caller
keeps, several steps in a row, and the ``EarlyStopping`` class driven through a sequence.

Parameters, generators and objects cannot cross the pipe, so each probe builds them in the
runner from plain data, drives the student's code as a training loop would, and reports
plain data only.  The judge runs the same probes on the reference (or the kit's oracle) to
get the expected values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.engine.answers import (
    BOOL,
    NAME,
    TENSOR,
    Exactly,
    Kind,
    ListOf,
    Maybe,
    OneOf,
    Report,
)


def _leaves(values: list[torch.Tensor]) -> list[torch.Tensor]:
    return [value.detach().clone().requires_grad_(True) for value in values]


def _plain(value: Any) -> Any:
    """What may cross the pipe of a returned value: numbers, strings, None, detached
    tensors; anything else is named by its type."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    return f"<{_type_name(value)}>"


def _type_name(value: Any) -> str:
    """``bool``, ``float``, ``int`` for Python's own types; others with their module
    (``numpy.bool``, ``torch.Tensor``), which the pipe would flatten into plain values."""
    kind = type(value)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def momentum_steps(
    function: Callable[..., Any],
    values: list[torch.Tensor],
    grads: list[list[torch.Tensor | None]],
    lrs: list[float],
    momentum: float = 0.9,
    weight_decay: float = 0.0,
    velocity_count: int | None = None,
) -> dict[str, Any]:
    """A training loop's view of ``sgd_momentum_step``: leaf parameters built from
    ``values`` and zero velocities made once; before step ``k`` every parameter's ``.grad``
    is set to ``grads[k]`` (None stays None), then the function is called with
    ``lrs[k]``.  ``velocity_count`` makes that many velocities instead (a length mismatch).
    The gradients go to the parameters the caller made (the model's), and the lists are
    passed again as the function left them.

    Reported after every step: the parameters the caller holds, the velocities the
    caller's list holds (what the next step gets), and the gradients.  At the end: whether
    the caller's parameters and velocity tensors are still in the lists, whether the
    parameters are still leaves that require grad, and whether a velocity carries an
    autograd graph.
    """
    params = _leaves(values)
    count = len(values) if velocity_count is None else velocity_count
    velocities = [torch.zeros_like(values[i % len(values)]) for i in range(count)]
    held_params, held_velocities = list(params), list(velocities)
    steps, result = [], None
    for step_grads, lr in zip(grads, lrs):
        for param, grad in zip(held_params, step_grads):
            param.grad = None if grad is None else grad.clone()
        result = function(params, velocities, lr, momentum, weight_decay)
        steps.append(
            {
                "params": [p.detach().clone() for p in held_params],
                "velocities": [_plain(v) for v in velocities],
                "grads": [None if p.grad is None else p.grad.detach().clone() for p in held_params],
            }
        )
    return {
        "result": _plain(result),
        "steps": steps,
        "same_params": len(params) == len(held_params)
        and all(a is b for a, b in zip(params, held_params)),
        "leaves": all(p.is_leaf and p.requires_grad for p in held_params),
        "same_velocities": len(velocities) == len(held_velocities)
        and all(a is b for a, b in zip(velocities, held_velocities)),
        "velocity_graph": any(
            isinstance(v, torch.Tensor) and (v.requires_grad or v.grad_fn is not None)
            for v in [*velocities, *held_velocities]
        ),
    }


def stopping(
    function: Callable[..., Any],
    metrics: list[float],
    patience: int,
    mode: str = "min",
    min_delta: float = 0.0,
) -> dict[str, Any]:
    """``EarlyStopping(patience, mode=mode, min_delta=min_delta)``, then ``step(m)`` for
    every metric in turn, as once per epoch.

    Reported: ``best`` before the first call, and after every call what ``step`` returned
    (``stops``: its truth value; ``kinds``: its type's name), ``best`` and ``best_epoch``.
    """
    stopper = function(patience, mode=mode, min_delta=min_delta)
    answer: dict[str, Any] = {
        "result": None,
        "best_before": _plain(getattr(stopper, "best", "<no attribute best>")),
        "stops": [],
        "kinds": [],
        "best": [],
        "best_epoch": [],
    }
    for metric in metrics:
        returned = stopper.step(metric)
        answer["stops"].append(bool(returned))
        answer["kinds"].append(_type_name(returned))
        answer["best"].append(_plain(getattr(stopper, "best", "<no attribute best>")))
        answer["best_epoch"].append(_plain(getattr(stopper, "best_epoch", "<no attribute>")))
    answer["result"] = answer["stops"]
    return answer


def clipping(
    function: Callable[..., Any],
    values: list[torch.Tensor],
    grads: list[torch.Tensor | None],
    max_norm: float,
    container: str = "list",
) -> dict[str, Any]:
    """``clip_grad_norm(params, max_norm)`` on leaf parameters built from ``values`` with
    ``.grad`` set to ``grads`` (None stays None); ``params`` is passed as a ``list``, a
    ``tuple`` or a ``generator`` (read once, like ``net.parameters()``).

    Reported: the result (``kind``: its type's name), every gradient afterwards, whether
    each is still the tensor it was (scaled in place), and the parameters' values.
    """
    params = _leaves(values)
    for param, grad in zip(params, grads):
        param.grad = None if grad is None else grad.clone()
    before = [p.grad for p in params]
    given: Any = list(params)
    if container == "tuple":
        given = tuple(params)
    elif container == "generator":
        given = (p for p in params)
    result = function(given, max_norm)
    return {
        "result": _plain(result),
        "kind": _type_name(result),
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in params],
        "in_place": [p.grad is old for p, old in zip(params, before) if old is not None],
        "values": [p.detach().clone() for p in params],
    }


def schedule(
    function: Callable[..., Any],
    base_lr: float,
    epochs: list[int],
    step_size: int,
    gamma: float = 0.1,
) -> dict[str, Any]:
    """``step_lr(base_lr, epoch, step_size, gamma)`` for every epoch of ``epochs``, as a
    training loop asks for the rate of each epoch.  Reported: the rates (``kinds``: the
    type of each)."""
    rates = [function(base_lr, epoch, step_size, gamma) for epoch in epochs]
    return {"result": [_plain(rate) for rate in rates], "kinds": [_type_name(r) for r in rates]}


# -- what each probe reports (autograder.engine.answers) -----------------------------------------
# A value as ``_plain`` sends it: a plain number, a text (a type's name), None or a tensor.
_PLAIN = Maybe(OneOf(Exactly(bool, int, float), NAME, TENSOR))
_GRADS_OF = ListOf(Maybe(TENSOR))


def _momentum_report(arguments: dict[str, Any]) -> Kind:
    """One entry per step taken (the shorter of ``grads`` and ``lrs``), each with one
    parameter and one gradient per value; the velocities are the caller's list, which the
    student's code may have lengthened or shortened."""
    count = len(arguments["values"])
    step = Report(
        {
            "params": ListOf(TENSOR, length=count),
            "velocities": ListOf(_PLAIN),
            "grads": ListOf(Maybe(TENSOR), length=count),
        }
    )
    return Report(
        {
            "result": _PLAIN,
            "steps": ListOf(step, length=min(len(arguments["grads"]), len(arguments["lrs"]))),
            "same_params": BOOL,
            "leaves": BOOL,
            "same_velocities": BOOL,
            "velocity_graph": BOOL,
        }
    )


def _stopping_report(arguments: dict[str, Any]) -> Kind:
    """One decision, type name, best and best epoch per metric."""
    calls = len(arguments["metrics"])
    return Report(
        {
            "result": ListOf(BOOL, length=calls),
            "best_before": _PLAIN,
            "stops": ListOf(BOOL, length=calls),
            "kinds": ListOf(NAME, length=calls),
            "best": ListOf(_PLAIN, length=calls),
            "best_epoch": ListOf(_PLAIN, length=calls),
        }
    )


def _clipping_report(arguments: dict[str, Any]) -> Kind:
    """One gradient and value per parameter; ``in_place`` for each gradient that was set."""
    count = len(arguments["values"])
    grads = list(arguments["grads"])[:count]
    return Report(
        {
            "result": _PLAIN,
            "kind": NAME,
            "grads": ListOf(Maybe(TENSOR), length=count),
            "in_place": ListOf(BOOL, length=sum(grad is not None for grad in grads)),
            "values": ListOf(TENSOR, length=count),
        }
    )


def _schedule_report(arguments: dict[str, Any]) -> Kind:
    """One rate and its type's name per epoch asked for."""
    epochs = len(arguments["epochs"])
    return Report({"result": ListOf(_PLAIN, length=epochs), "kinds": ListOf(NAME, length=epochs)})


REPORTS = {
    "momentum_steps": _momentum_report,
    "stopping": _stopping_report,
    "clipping": _clipping_report,
    "schedule": _schedule_report,
}
