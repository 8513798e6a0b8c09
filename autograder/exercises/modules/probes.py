"""Probes for ``modules.py``: build the student's module in the runner, use it, and report
plain data (parameter names and shapes, outputs, gradients, devices).

Modules cannot cross the pipe.  Every probe constructs the class it is given (the guarded
student class), does one task, and answers with tensors and strings only.  A module
without ``forward`` (a method named ``__format__`` or ``foward`` instead) makes
``net(X)`` raise nn.Module's "missing the required forward function"; that is reported as
data (``missing_forward``: the methods the class does define), so the judge can explain
it instead of taking it for an unimplemented stub.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from autograder.engine.answers import (
    ANY,
    BOOL,
    INT,
    NAME,
    TENSOR,
    Kind,
    ListOf,
    Report,
    Row,
    Text,
    TextKeyed,
)

MISSING_FORWARD = 'missing the required "forward" function'


class MissingForward(Exception):
    """``net(X)`` hit nn.Module's own forward: the class defines none."""


def _methods(module: nn.Module) -> list[str]:
    """The methods the student's class defines itself (not inherited)."""
    return sorted(name for name, value in vars(type(module)).items() if callable(value))


def forward(module: nn.Module, X: torch.Tensor) -> Any:
    try:
        return module(X)
    except NotImplementedError as error:
        if MISSING_FORWARD in str(error):
            raise MissingForward(_methods(module)) from None
        raise


def _parameters(module: nn.Module) -> list[list[Any]]:
    return [
        [name, list(p.shape), bool(p.requires_grad), str(p.device)]
        for name, p in module.named_parameters()
    ]


def _load(module: nn.Module, state: dict[str, torch.Tensor]) -> list[str]:
    """Copy ``state`` into the module's parameters of the same names and shapes; return
    the names that could not be set."""
    own = dict(module.named_parameters())
    missing = []
    with torch.no_grad():
        for name, value in state.items():
            if name in own and tuple(own[name].shape) == tuple(value.shape):
                own[name].copy_(value)
            else:
                missing.append(name)
    return missing


def module_task(
    function: Callable[..., Any],
    ctor: list[Any],
    task: str,
    inputs: list[torch.Tensor] | None = None,
    state: dict[str, torch.Tensor] | None = None,
    mode: str = "eval",
    device: str | None = None,
) -> dict[str, Any]:
    """Construct ``function(*ctor)`` and do one ``task`` with it.

    - ``structure``: the named parameters (name, shape, requires_grad, device), the number
      of buffers, and for ``hidden`` / ``output`` attributes their type and sizes;
    - ``forward``: load ``state``, switch to ``mode``, run every input (twice in a row)
      and send the inputs back as they are afterwards;
    - ``grads``: load ``state``, run the first input, backpropagate the sum of the output
      (times a fixed pattern) and report which parameters received a gradient;
    - ``values``: the parameters' values, by name;
    - ``input_grad``: run the first input (requiring grad), backpropagate a fixed pattern
      and report the input's gradient and the input afterwards;
    - ``device``: move the module to ``device``, run the first input there.
    """
    module = function(*ctor)
    answer: dict[str, Any] = {"result": None, "is_module": isinstance(module, nn.Module)}
    if not isinstance(module, nn.Module):
        answer["result"] = repr(type(module))
        return answer
    inputs = inputs or []
    try:
        if task == "structure":
            answer["result"] = _parameters(module)
            answer["buffers"] = len(list(module.buffers()))
            layers = {}
            for name in ("hidden", "output"):
                layer = getattr(module, name, None)
                layers[name] = {
                    "type": type(layer).__name__,
                    "linear": isinstance(layer, nn.Linear),
                    "in": getattr(layer, "in_features", None),
                    "out": getattr(layer, "out_features", None),
                }
            answer["layers"] = layers
            if inputs:
                answer["output"] = forward(module, inputs[0])
        elif task == "forward":
            answer["unset"] = _load(module, state or {})
            module.train(mode == "train")
            answer["result"] = [[forward(module, X), forward(module, X)] for X in inputs]
            answer["inputs_after"] = inputs
        elif task == "grads":
            answer["unset"] = _load(module, state or {})
            out = forward(module, inputs[0])
            if isinstance(out, torch.Tensor) and out.requires_grad:
                pattern = torch.linspace(-1.0, 1.0, out.numel(), dtype=out.dtype)
                (out * pattern.reshape(out.shape).to(out.device)).sum().backward()
            answer["result"] = {
                name: None if p.grad is None else p.grad.detach().clone()
                for name, p in module.named_parameters()
            }
        elif task == "values":
            answer["result"] = {n: p.detach().clone() for n, p in module.named_parameters()}
        elif task == "input_grad":
            X = inputs[0].clone().requires_grad_(True)
            out = forward(module, X)
            pattern = torch.linspace(0.0, 1.0, X.numel(), dtype=X.dtype).reshape(X.shape)
            if isinstance(out, torch.Tensor) and out.requires_grad and out.shape == X.shape:
                (out * pattern).sum().backward()
            answer["result"] = None if X.grad is None else X.grad.detach()
            answer["input_after"] = X.detach()
        elif task == "device":
            moved = module.to(device)
            X = inputs[0].to(device)
            answer["result"] = forward(moved, X)
            answer["parameters"] = _parameters(moved)
        else:
            raise ValueError(f"unknown task {task!r}")
    except MissingForward as error:
        answer["result"] = None
        answer["missing_forward"] = list(error.args[0])
    return answer


def init_task(
    function: Callable[..., Any], dtype: torch.dtype = torch.float32, device: str = "cpu"
) -> dict[str, Any]:
    """``net.apply(init_normal)`` on a net of two ``nn.Linear`` layers (200 -> 100 -> 50)
    and a convolution and batch norm that must stay as they were.

    Reported: every parameter after the call (by name), whether each is still the same
    object, and which of the other modules' parameters changed.
    """
    net = nn.Sequential(
        nn.Linear(200, 100),
        nn.ReLU(),
        nn.Linear(100, 50),
        nn.Unflatten(1, (2, 5, 5)),
        nn.Conv2d(2, 3, kernel_size=3),
        nn.BatchNorm2d(3),
    ).to(device=device, dtype=dtype)
    before = {name: (p, p.detach().clone()) for name, p in net.named_parameters()}
    result = net.apply(function)
    after = dict(net.named_parameters())
    return {
        "result": result is net,
        "values": {name: p.detach() for name, p in after.items()},
        "same_objects": {name: after.get(name) is p for name, (p, _) in before.items()},
        "unchanged": {
            name: bool(
                after.get(name) is not None
                and after[name].device == old.device
                and (old.device.type == "meta" or torch.equal(after[name].detach(), old))
            )
            for name, (_, old) in before.items()
        },
    }


def counted_net(name: str, device: str = "cpu") -> nn.Module:
    """The nets ``count_parameters`` is asked about (the judge builds them too)."""
    if name == "mlp":
        net = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))
    elif name == "nested":
        block = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4), nn.ReLU())
        net = nn.Sequential(nn.Sequential(block, nn.Linear(4, 3, bias=False)), nn.Linear(3, 1))
    elif name == "shared":
        shared = nn.Linear(8, 8)
        net = nn.Sequential(
            nn.Linear(4, 8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1)
        )
    elif name == "tied":
        net = nn.Sequential(nn.Linear(6, 6), nn.Tanh(), nn.Linear(6, 6))
        net[2].weight = net[0].weight
    elif name == "batch_norm":
        net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.Linear(36, 2))
    elif name == "frozen":
        net = nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 2))
        net[0].requires_grad_(False)
    else:
        raise ValueError(f"no net called {name!r}")
    return net.to(device)


def count_task(function: Callable[..., Any], name: str, device: str = "cpu") -> dict[str, Any]:
    return {"result": function(counted_net(name, device))}


# A parameter as :func:`_parameters` describes it: name, shape, requires_grad, device.
_PARAMETERS = ListOf(Row(NAME, ListOf(INT, limit=64), BOOL, Text(100)))
_NAMES = ListOf(NAME)
_LAYER = Report({"type": NAME, "linear": BOOL, "in": ANY, "out": ANY})


def _module_task_report(arguments: dict[str, Any]) -> Kind:
    """The fields of the task asked for (those set before a missing forward was found)."""
    inputs = arguments["inputs"] or []
    by_task: dict[str, dict[str, Kind]] = {
        "structure": {
            "buffers": INT,
            "layers": Report({"hidden": _LAYER, "output": _LAYER}),
            "output": ANY,
        },
        "forward": {"unset": _NAMES, "inputs_after": ListOf(ANY, length=len(inputs))},
        "grads": {"unset": _NAMES},
        "values": {},
        "input_grad": {"input_after": ANY},
        "device": {"parameters": _PARAMETERS},
    }
    fields = by_task.get(arguments["task"], {})
    return Report({"result": ANY, "is_module": BOOL}, {**fields, "missing_forward": _NAMES})


# What each probe here reports (see autograder.engine.answers).
REPORTS = {
    "module_task": _module_task_report,
    "init_task": Report(
        {
            "result": BOOL,
            "values": TextKeyed(TENSOR),
            "same_objects": TextKeyed(BOOL),
            "unchanged": TextKeyed(BOOL),
        }
    ),
    "count_task": Report({"result": ANY}),
}
