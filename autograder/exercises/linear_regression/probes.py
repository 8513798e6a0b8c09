"""Probes for ``linear_regression.py``: random functions need several calls, ``sgd`` needs
leaf tensors with gradients, and the real-data check needs a whole training run.

They run inside the runner next to the student's function and return plain data; the
judge draws every conclusion.  The training run's other parts (data, batches, model,
loss) are written here, so only the graded function is the student's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.engine.answers import ANY, BOOL, NUMBER, TENSOR, Kind, ListOf, Maybe, Report


def generator_use(function: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """How ``function(*args)`` uses torch's global generator (plain calls, any arguments).

    - ``same_seed``: two calls, each after ``torch.manual_seed(1)``: must be equal.
    - ``other_seed``: a call after ``torch.manual_seed(2)``: must differ from those.
    - ``after``: ``torch.rand(8)`` right after a call, once after seed 4 and once after
      seed 5: equal draws mean the function reseeded the generator.
    - ``consumed``: whether the generator's state moved during a call.
    """
    same_seed = []
    for _ in range(2):
        torch.manual_seed(1)
        same_seed.append(function(*args))
    torch.manual_seed(2)
    other_seed = function(*args)
    after = []
    for seed in (4, 5):
        torch.manual_seed(seed)
        function(*args)
        after.append(torch.rand(8))
    torch.manual_seed(6)
    state = torch.get_rng_state()
    function(*args)
    consumed = not torch.equal(state, torch.get_rng_state())
    return {
        "result": same_seed[0],
        "same_seed": same_seed,
        "other_seed": other_seed,
        "after": after,
        "consumed": consumed,
    }


def passes(
    function: Callable[..., Any],
    batch_size: int,
    features: torch.Tensor,
    labels: torch.Tensor,
    count: int = 2,
    return_args: bool = False,
) -> dict[str, Any]:
    """``count`` passes of ``function(batch_size, features, labels)``, each a list of the
    ``(X, y)`` batches it yielded; a batch that is not a pair is reported as it came.
    ``return_args`` also sends ``features`` and ``labels`` back as they are afterwards."""
    result = []
    for _ in range(count):
        result.append([item for item in function(batch_size, features, labels)])
    answer: dict[str, Any] = {"result": result}
    if return_args:
        answer["args_after"] = [features, labels]
    return answer


def sgd_step(
    function: Callable[..., Any],
    values: list[torch.Tensor],
    grads: list[torch.Tensor | None],
    lr: float,
    batch_size: int,
) -> dict[str, Any]:
    """Call ``sgd`` on leaf parameters built from ``values`` with ``.grad`` set to ``grads``.

    Reported: the result, each parameter's values afterwards, whether the list still holds
    the very same tensors, whether they are still leaves that require grad, and their
    ``.grad`` afterwards (None stays None).
    """
    params = [value.clone().requires_grad_(True) for value in values]
    for param, grad in zip(params, grads):
        param.grad = None if grad is None else grad.clone()
    originals = list(params)
    result = function(params, lr, batch_size)
    return {
        "result": result,
        "values": [param.detach().clone() for param in originals],
        "same_objects": len(params) == len(originals)
        and all(a is b for a, b in zip(params, originals)),
        "leaves": [bool(p.is_leaf and p.requires_grad) for p in originals],
        "grads": [None if p.grad is None else p.grad.detach().clone() for p in originals],
    }


def fit(
    function: Callable[..., Any],
    true_w: torch.Tensor,
    true_b: float,
    num_examples: int,
    lr: float,
    batch_size: int,
    num_epochs: int,
) -> dict[str, Any]:
    """d2l 3.2's training run with the student's ``sgd``; everything else is done here.

    The data, the initial weights and the order of the batches come from a generator of
    the probe's own (seed 0), so the run is the same for every submission: only ``sgd``
    differs.  Reported: the learnt ``w`` and ``b`` and the mean loss after each epoch.
    """
    generator = torch.Generator().manual_seed(0)
    dtype = true_w.dtype
    X = torch.randn(num_examples, len(true_w), generator=generator, dtype=dtype)
    y = (X @ true_w + true_b).reshape(-1, 1)
    y = y + 0.01 * torch.randn(y.shape, generator=generator, dtype=dtype)
    w = (0.01 * torch.randn(len(true_w), 1, generator=generator, dtype=dtype)).requires_grad_()
    b = torch.zeros(1, dtype=dtype, requires_grad=True)
    losses = []
    for _ in range(num_epochs):
        order = torch.randperm(num_examples, generator=generator)
        for start in range(0, num_examples, batch_size):
            rows = order[start : start + batch_size]
            error = X[rows] @ w + b - y[rows]
            (error**2 / 2).sum().backward()
            function([w, b], lr, batch_size)
        with torch.no_grad():
            losses.append(float(((X @ w + b - y) ** 2 / 2).mean()))
    return {"result": {"w": w.detach().reshape(-1), "b": b.detach().reshape(-1)}, "losses": losses}


def _passes_report(arguments: dict[str, Any]) -> Kind:
    asked_for = {"args_after": ListOf(ANY, length=2)} if arguments["return_args"] else {}
    return Report({"result": ListOf(ANY, length=int(arguments["count"])), **asked_for})


def _sgd_step_report(arguments: dict[str, Any]) -> Kind:
    count = len(arguments["values"])
    return Report(
        {
            "result": ANY,
            "values": ListOf(TENSOR, length=count),
            "same_objects": BOOL,
            "leaves": ListOf(BOOL, length=count),
            "grads": ListOf(Maybe(TENSOR), length=count),
        }
    )


def _fit_report(arguments: dict[str, Any]) -> Kind:
    learnt = Report({"w": TENSOR, "b": TENSOR})
    return Report({"result": learnt, "losses": ListOf(NUMBER, length=int(arguments["num_epochs"]))})


# What each probe here reports (see autograder.engine.answers).
REPORTS = {
    "generator_use": Report(
        {
            "result": ANY,
            "same_seed": ListOf(ANY, length=2),
            "other_seed": ANY,
            "after": ListOf(TENSOR, length=2),
            "consumed": BOOL,
        }
    ),
    "passes": _passes_report,
    "sgd_step": _sgd_step_report,
    "fit": _fit_report,
}
