"""Probes used by every assignment.

A probe runs inside the runner (next to student code) and returns plain data for the judge.
The judge does not trust what comes back: it only compares it with the reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from autograder.engine.answers import ANY, TENSOR, Kind, ListOf, Maybe, Report


def call(
    function: Callable[..., Any],
    *args: Any,
    grad_of: Sequence[int] = (),
    grad_output: torch.Tensor | None = None,
    return_args: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Call the function once; optionally backpropagate and report the inputs afterwards.

    ``grad_of`` lists positional arguments (leaf tensors) whose gradient of
    ``(result * grad_output).sum()`` is returned; ``return_args`` sends the arguments back
    as they are after the call, to detect in-place modification of inputs.
    """
    result = function(*args, **kwargs)
    answer: dict[str, Any] = {"result": result}
    if grad_of:
        if not isinstance(result, torch.Tensor) or not result.requires_grad:
            answer["grads"] = None
        else:
            inputs = [args[i] for i in grad_of]
            output = grad_output if grad_output is not None else torch.ones_like(result)
            grads = torch.autograd.grad(result, inputs, output.to(result.device), allow_unused=True)
            answer["grads"] = list(grads)
    if return_args:
        answer["args_after"] = list(args)
    return answer


def call_report(arguments: dict[str, Any]) -> Kind:
    """What :func:`call` reports: the result, one gradient (or None) per input asked for
    (None alone when the result has no graph), the arguments as they are afterwards."""
    asked_for: dict[str, Kind] = {}
    if arguments["grad_of"]:
        asked_for["grads"] = Maybe(ListOf(Maybe(TENSOR), length=len(arguments["grad_of"])))
    if arguments["return_args"]:
        asked_for["args_after"] = ListOf(ANY, length=len(arguments["args"]))
    return Report({"result": ANY, **asked_for})


# What each probe here reports (see autograder.engine.answers).
REPORTS = {"call": call_report}
