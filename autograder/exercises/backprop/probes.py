"""Probes for ``backprop.py``: Adam on the student's Himmelblau, and ``minimize`` run on
objectives made here.

Functions cannot cross the pipe, so both sides make the objectives from their names
(:data:`OBJECTIVES`): the runner for the student's ``minimize``, the judge for
``torch.optim.Adam``'s own steps.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import torch

from autograder.engine.answers import (
    ANY,
    BOOL,
    NUMBER,
    TENSOR,
    Maybe,
    OneOf,
    Report,
    Text,
)


def himmelblau_formula(P: torch.Tensor) -> torch.Tensor:
    """Himmelblau's function, the probe's own (so that ``minimize`` is graded alone)."""
    x, y = P.unbind(-1)
    return (x * x + y - 11).square() + (x + y * y - 7).square()


def bowl(P: torch.Tensor) -> torch.Tensor:
    """A tilted quadratic bowl for a point of any shape: its minimum is at 1, 2, 3 ..."""
    target = torch.arange(1, P.numel() + 1, dtype=P.dtype, device=P.device).reshape(P.shape)
    weights = torch.linspace(0.5, 2.0, P.numel(), dtype=P.dtype, device=P.device)
    return ((P - target) ** 2 * weights.reshape(P.shape)).sum() + (P.sum() - 1) ** 4 / 100


OBJECTIVES: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "himmelblau": himmelblau_formula,
    "bowl": bowl,
}


def adam(
    f: Callable[[torch.Tensor], torch.Tensor], x0: torch.Tensor, lr: float, steps: int
) -> tuple[torch.Tensor, float]:
    """``steps`` steps of ``torch.optim.Adam(lr=lr)`` on ``f`` from ``x0``: the ground truth
    of ``minimize``, and the run ``descend`` makes on the student's Himmelblau."""
    point = x0.detach().clone()
    point.requires_grad_()
    optimizer = torch.optim.Adam((point,), lr=lr)
    for _ in range(steps):
        (point.grad,) = torch.autograd.grad(f(point), point)  # each step's own gradient
        optimizer.step()
    point = point.detach()
    with torch.no_grad():
        return point, f(point).item()


def descend(
    function: Callable[..., Any], start: torch.Tensor, lr: float, steps: int
) -> dict[str, Any]:
    """Adam (this probe's, not the student's ``minimize``) on the student's ``himmelblau``
    from ``start``: where it ends and the function's value there."""
    point, value = adam(function, start, lr, steps)
    return {"result": {"point": point, "value": value}}


def run_minimize(
    function: Callable[..., Any],
    objective: str,
    x0: torch.Tensor,
    options: dict[str, Any],
    grad: torch.Tensor | None = None,
) -> dict[str, Any]:
    """Call ``minimize(f, x0, **options)`` with the objective named ``objective``.

    ``grad``: ``x0`` requires grad and holds this ``.grad`` before the call.  Reported: the
    result, and ``x0``'s values and ``.grad`` after the call.
    """
    if grad is not None:
        x0.requires_grad_(True)
        x0.grad = grad.clone()
    result = function(OBJECTIVES[objective], x0, **options)
    return {
        "result": result,
        "x0_after": x0.detach(),
        "x0_grad_after": None if x0.grad is None else x0.grad.detach(),
    }


def defaults(function: Callable[..., Any], x0: torch.Tensor) -> dict[str, Any]:
    """The default values of ``lr`` and ``steps`` in the signature, and one step taken
    with the default ``lr`` (``minimize(bowl, x0, steps=1)``): the default at work, cheaply."""
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        parameters = {}
    found: dict[str, Any] = {}
    for name in ("lr", "steps"):
        parameter = parameters.get(name)
        if parameter is not None and parameter.default is not inspect.Parameter.empty:
            default = parameter.default
            found[name] = default if isinstance(default, int | float) else repr(default)[:40]
    found["one_step"] = function(bowl, x0, steps=1)
    return {"result": found}


# What each probe here reports (see autograder.engine.answers).  A default that is not a
# number is reported by its repr, cut short.
DEFAULT_VALUE = OneOf(NUMBER, BOOL, Text(40))
REPORTS = {
    "descend": Report({"result": Report({"point": TENSOR, "value": NUMBER})}),
    "run_minimize": Report({"result": ANY, "x0_after": TENSOR, "x0_grad_after": Maybe(TENSOR)}),
    "defaults": Report(
        {"result": Report({"one_step": ANY}, {"lr": DEFAULT_VALUE, "steps": DEFAULT_VALUE})}
    ),
}
