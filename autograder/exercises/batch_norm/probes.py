"""Probes for ``batch_norm.py``: gradients through ``batch_norm``, and the ``BatchNorm`` layer
built in the runner, run for several steps, moved, and reported as plain data.

A layer cannot cross the pipe.  The probe constructs the student's class (the guarded
class) and runs its ``forward`` under the exercise's rules too (``guarded.rules``): the
forbidden calls are refused there, and a ``forward`` that calls the module's
``batch_norm`` gets the one the judge lends (``BatchNorm`` declares it: its oracle), so a
mistake in ``batch_norm`` costs points only there.  The judge runs the same steps
(:func:`run_steps`) on ``nn.BatchNorm1d/2d``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from autograder.engine.answers import (
    ANY,
    BOOL,
    NAME,
    TENSOR,
    Kind,
    ListOf,
    Maybe,
    OneOf,
    Report,
    TextKeyed,
)

STATISTICS = ("running_mean", "running_var")


def gradients(
    function: Callable[..., Any],
    X: torch.Tensor,
    gamma: torch.Tensor,
    beta: torch.Tensor,
    running_mean: torch.Tensor,
    running_var: torch.Tensor,
    training: bool,
    grad_output: torch.Tensor,
) -> dict[str, Any]:
    """Backpropagate ``(Y * grad_output).sum()`` for ``Y, _, _ = batch_norm(...)``; report
    the gradients of ``X``, ``gamma`` and ``beta`` (None where none reached it)."""
    leaves = [t.detach().clone().requires_grad_(True) for t in (X, gamma, beta)]
    result = function(*leaves, running_mean, running_var, training)
    Y = result[0] if isinstance(result, (tuple, list)) and result else result
    if not isinstance(Y, torch.Tensor) or not Y.requires_grad:
        return {"result": Y, "grads": None}
    grads = torch.autograd.grad(Y, leaves, grad_output.to(Y.device), allow_unused=True)
    return {"result": Y.detach(), "grads": list(grads)}


def _statistic(layer: nn.Module, name: str) -> Any:
    """A running statistic as it is now, and whether it carries autograd history."""
    value = getattr(layer, name, None)
    if not isinstance(value, torch.Tensor):
        return {"value": None, "requires_grad": False, "has_grad_fn": False}
    return {
        "value": value.detach().clone(),
        "requires_grad": bool(value.requires_grad),
        "has_grad_fn": value.grad_fn is not None,
    }


def _load(layer: nn.Module, state: dict[str, torch.Tensor]) -> list[str]:
    """Copy ``state`` into the parameters of the same names and shapes; the names unset."""
    own = dict(layer.named_parameters())
    unset = []
    with torch.no_grad():
        for name, value in state.items():
            if name in own and tuple(own[name].shape) == tuple(value.shape):
                own[name].copy_(value.to(own[name].device, own[name].dtype))
            else:
                unset.append(name)
    return unset


def run_steps(
    layer: nn.Module,
    steps: list[dict[str, Any]],
    forward: Callable[[torch.Tensor], Any],
    parameters: dict[str, str],
) -> list[dict[str, Any]]:
    """Run ``steps`` (``{"mode": "train" | "eval", "X": tensor, "backward": bool}``) on
    ``layer``; after each: the output, the gradients (by the contract's names, through
    ``parameters``: contract name -> the layer's parameter name) and the statistics.

    The judge runs it on ``nn.BatchNorm1d/2d`` (``weight`` is ``gamma``); the runner on
    the student's layer.
    """
    own = dict(layer.named_parameters())
    report = []
    for step in steps:
        layer.train(step["mode"] == "train")
        X = step["X"].detach().clone().requires_grad_(bool(step.get("backward")))
        out = forward(X)
        done: dict[str, Any] = {"output": out.detach() if isinstance(out, torch.Tensor) else out}
        if step.get("backward") and isinstance(out, torch.Tensor) and out.requires_grad:
            pattern = torch.linspace(-1.0, 1.0, out.numel(), dtype=out.dtype, device=out.device)
            (out * pattern.reshape(out.shape)).sum().backward()
            grads = {"X": X.grad}
            for name, attribute in parameters.items():
                parameter = own.get(attribute)
                grads[name] = None if parameter is None else parameter.grad
            done["grads"] = {k: None if g is None else g.detach().clone() for k, g in grads.items()}
            layer.zero_grad(set_to_none=True)
        done.update({name: _statistic(layer, name) for name in STATISTICS})
        report.append(done)
    return report


def _rules(function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """The exercise's rules for a call of the layer's methods (none outside the runner)."""
    rules = getattr(function, "rules", None)
    return rules(args) if rules is not None else contextlib.nullcontext()


def layer_task(
    function: Callable[..., Any],
    ctor: list[Any],
    task: str,
    steps: list[dict[str, Any]] | None = None,
    state: dict[str, torch.Tensor] | None = None,
    to: Any = None,
) -> dict[str, Any]:
    """Construct ``function(*ctor)`` and do one ``task`` with it.

    - ``structure``: the parameters and buffers by name, the keys of ``state_dict()`` and
      the attributes ``running_mean`` / ``running_var`` whatever they are;
    - ``steps``: load ``state`` (``gamma``, ``beta``) and :func:`run_steps`;
    - ``move``: ``layer.to(to)`` (a device or a dtype), then the attributes, the buffers'
      names and the output and statistics of one training step on ``steps[0]``'s ``X``
      (moved the same way).
    """
    layer = function(*ctor)
    answer: dict[str, Any] = {"result": None, "is_module": isinstance(layer, nn.Module)}
    if not isinstance(layer, nn.Module):
        answer["result"] = repr(type(layer))
        return answer

    def forward(X: torch.Tensor) -> Any:
        with _rules(function, (X,)) as copies:
            out = layer(X)
            if copies is not None:
                copies.refuse(out)
        return out

    if task == "structure":
        answer["result"] = {
            "parameters": {n: p.detach().clone() for n, p in layer.named_parameters()},
            "parameter_flags": {n: bool(p.requires_grad) for n, p in layer.named_parameters()},
            "buffers": {n: b.detach().clone() for n, b in layer.named_buffers()},
            "state_dict": sorted(layer.state_dict()),
            "attributes": {name: _statistic(layer, name)["value"] for name in STATISTICS},
        }
    elif task == "steps":
        answer["unset"] = _load(layer, state or {})
        names = {"gamma": "gamma", "beta": "beta"}
        answer["result"] = run_steps(layer, steps or [], forward, names)
    elif task == "move":
        moved = layer.to(to)
        step = dict((steps or [])[0])
        step["X"] = step["X"].to(to)
        answer["attributes"] = {name: _statistic(moved, name)["value"] for name in STATISTICS}
        answer["buffers"] = sorted(name for name, _ in moved.named_buffers())
        answer["result"] = run_steps(moved, [step], forward, {})
    else:
        raise ValueError(f"unknown task {task!r}")
    return answer


# What each probe here reports (see autograder.engine.answers).
_STATISTIC = Report({"value": Maybe(TENSOR), "requires_grad": BOOL, "has_grad_fn": BOOL})
_ATTRIBUTES = Report({name: Maybe(TENSOR) for name in STATISTICS})
_NAMES = ListOf(NAME)


def _steps_report(count: int) -> Kind:
    """:func:`run_steps`'s report: one row per step (gradients after a backward step)."""
    grads = Report({"X": Maybe(TENSOR)}, {"gamma": Maybe(TENSOR), "beta": Maybe(TENSOR)})
    step = Report({"output": ANY, **{name: _STATISTIC for name in STATISTICS}}, {"grads": grads})
    return ListOf(step, length=count)


def _layer_task_report(arguments: dict[str, Any]) -> Kind:
    """The fields of the task asked for; the result is the class's repr where the
    constructor made no ``nn.Module``."""
    steps = arguments["steps"] or []
    structure = Report(
        {
            "parameters": TextKeyed(TENSOR),
            "parameter_flags": TextKeyed(BOOL),
            "buffers": TextKeyed(TENSOR),
            "state_dict": _NAMES,
            "attributes": _ATTRIBUTES,
        }
    )
    by_task: dict[str, tuple[Kind, dict[str, Kind]]] = {
        "structure": (structure, {}),
        "steps": (_steps_report(len(steps)), {"unset": _NAMES}),
        "move": (_steps_report(1), {"attributes": _ATTRIBUTES, "buffers": _NAMES}),
    }
    result, fields = by_task.get(arguments["task"], (ANY, {}))
    return Report({"result": OneOf(result, NAME), "is_module": BOOL}, fields)


REPORTS = {
    "gradients": Report({"result": ANY, "grads": Maybe(ListOf(Maybe(TENSOR), length=3))}),
    "layer_task": _layer_task_report,
}
