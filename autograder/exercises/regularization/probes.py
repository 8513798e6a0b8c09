"""Probes for ``regularization.py``: a net for ``log_rmse`` and d2l 4.5's weight decay run.

Nets cannot cross the pipe, so both sides build them from plain data with
:func:`linear_net`: the runner for the student, the judge for the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from autograder.engine.answers import ANY, BOOL, NUMBER, Kind, ListOf, Report


def linear_net(weight: torch.Tensor, bias: torch.Tensor) -> nn.Module:
    """``nn.Linear(d, 1)`` with the given parameters, on ``weight``'s device and dtype."""
    net = nn.Linear(weight.shape[1], weight.shape[0], device=weight.device, dtype=weight.dtype)
    with torch.no_grad():
        net.weight.copy_(weight)
        net.bias.copy_(bias)
    return net


def metric(
    function: Callable[..., Any],
    weight: torch.Tensor,
    bias: torch.Tensor,
    features: torch.Tensor,
    labels: torch.Tensor,
) -> dict[str, Any]:
    """Call ``log_rmse(net, features, labels)`` on a linear net built here.

    Reported: the result, whether gradients were recorded at each forward pass, and
    whether the net's parameters changed.
    """
    net = linear_net(weight, bias)
    grad_modes: list[bool] = []
    net.register_forward_pre_hook(lambda module, args: grad_modes.append(torch.is_grad_enabled()))
    result = function(net, features, labels)
    changed = not (
        torch.equal(net.weight.detach(), weight) and torch.equal(net.bias.detach(), bias)
    )
    if isinstance(result, torch.Tensor):
        result = {"tensor": result.detach(), "requires_grad": bool(result.requires_grad)}
    return {"result": result, "grad_modes": grad_modes, "changed": changed}


def weight_decay(
    function: Callable[..., Any],
    lambdas: list[float],
    num_epochs: int = 100,
    lr: float = 0.003,
) -> dict[str, Any]:
    """d2l 4.5's experiment with the student's ``l2_penalty``; everything else is here.

    20 training examples of 200 features (``w = 0.01``, ``b = 0.05``, noise 0.01), so a
    linear model can fit the noise; trained with minibatch SGD (batch 5) on
    ``squared loss + lambd * l2_penalty(w)``.  One run per ``lambd``, all from the same
    data and initial weights (a generator of the probe's own, seed 0).  Reported: the
    L2 norm of the learnt ``w`` and the mean squared loss on 100 test examples.
    """
    generator = torch.Generator().manual_seed(0)
    n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
    true_w = torch.full((num_inputs, 1), 0.01)

    def data(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        X = torch.randn(n, num_inputs, generator=generator)
        return X, X @ true_w + 0.05 + 0.01 * torch.randn(n, 1, generator=generator)

    (X_train, y_train), (X_test, y_test) = data(n_train), data(n_test)
    start = torch.randn(num_inputs, 1, generator=generator)
    norms, test_losses = [], []
    for lambd in lambdas:
        w = start.clone().requires_grad_(True)
        b = torch.zeros(1, requires_grad=True)
        # torch's SGD on the summed loss, its step the batch mean's (never the student's sgd).
        optimizer = torch.optim.SGD([w, b], lr=lr / batch_size)
        for _ in range(num_epochs):
            for i in range(0, n_train, batch_size):
                X, y = X_train[i : i + batch_size], y_train[i : i + batch_size]
                loss = (X @ w + b - y) ** 2 / 2 + lambd * function(w)
                loss.sum().backward()
                optimizer.step()
                optimizer.zero_grad()
        with torch.no_grad():
            norms.append(float(w.norm()))
            test_losses.append(float(((X_test @ w + b - y_test) ** 2 / 2).mean()))
    return {"result": {"norms": norms, "test_losses": test_losses}}


def _weight_decay_report(arguments: dict[str, Any]) -> Kind:
    """A norm and a test loss per ``lambd`` asked for."""
    per_lambda = ListOf(NUMBER, length=len(arguments["lambdas"]))
    return Report({"result": Report({"norms": per_lambda, "test_losses": per_lambda})})


# What each probe here reports (see autograder.engine.answers).
REPORTS = {
    "metric": Report({"result": ANY, "grad_modes": ListOf(BOOL), "changed": BOOL}),
    "weight_decay": _weight_decay_report,
}
