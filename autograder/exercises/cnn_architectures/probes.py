"""Probes for ``cnn_architectures.py``: build the student's net in the runner, run it layer
by layer, load fixed parameters, train it a few steps, move it, and report plain data.

Nets cannot cross the pipe.  The layers are run one by one where the net is an
``nn.Sequential`` of plain layers (nested ``nn.Sequential``s flattened), so every layer's
output shape is seen without hooks; any other net is run whole, with a forward hook on each
leaf layer recording its output in the order the layers ran.  Forward passes run under the
exercise's rules (``guarded.rules``), like every call of student code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from autograder.engine.answers import (
    ANY,
    BOOL,
    INT,
    NAME,
    NUMBER,
    TENSOR,
    Kind,
    ListOf,
    Maybe,
    OneOf,
    Report,
    Row,
    Text,
    TextKeyed,
)

# What is reported of a layer besides its class: the settings that decide its output.
SETTINGS = (
    "in_channels",
    "out_channels",
    "kernel_size",
    "stride",
    "padding",
    "in_features",
    "out_features",
    "num_features",
)


def describe_layer(module: nn.Module) -> dict[str, Any]:
    """A layer as plain data: its class name and the settings it has."""
    info: dict[str, Any] = {"type": type(module).__name__}
    for name in SETTINGS:
        value = getattr(module, name, None)
        if isinstance(value, (int, tuple)) and not isinstance(value, bool):
            info[name] = list(value) if isinstance(value, tuple) else int(value)
    if isinstance(module, nn.Conv2d | nn.Linear):
        info["bias"] = module.bias is not None
    return info


def _rules(function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """The exercise's rules for a call of the net (none outside the runner)."""
    rules = getattr(function, "rules", None)
    return rules(args) if rules is not None else contextlib.nullcontext()


def _plain_layers(net: nn.Module) -> list[nn.Module] | None:
    """The layers of an ``nn.Sequential`` of plain layers (nested ones flattened), in
    order; None when the net is anything else."""
    if not isinstance(net, nn.Sequential):
        return None
    found: list[nn.Module] = []
    for child in net:
        if isinstance(child, nn.Sequential):
            inner = _plain_layers(child)
            if inner is None:
                return None
            found += inner
        elif any(True for _ in child.children()):
            return None
        else:
            found.append(child)
    return found


def run_layers(function: Callable[..., Any], net: nn.Module, X: torch.Tensor) -> dict[str, Any]:
    """Every layer's output shape for input ``X``, in the order the layers ran; the net's
    output; the error that stopped it, if any (with the layer it came from)."""
    ran: list[dict[str, Any]] = []
    output: Any = None
    error = None
    layers = _plain_layers(net)
    with _rules(function, (X,)):
        if layers is not None:
            output = X
            for layer in layers:
                try:
                    output = layer(output)
                except Exception as failure:  # noqa: BLE001 - reported, the judge explains
                    error = f"{type(failure).__name__}: {failure}"[:500]
                    ran.append({"layer": describe_layer(layer), "shape": None})
                    output = None
                    break
                ran.append({"layer": describe_layer(layer), "shape": _shape(output)})
        else:

            def record(module: nn.Module, args: Any, out: Any) -> None:
                ran.append({"layer": describe_layer(module), "shape": _shape(out)})

            leaves = [m for m in net.modules() if not any(True for _ in m.children())]
            handles = [leaf.register_forward_hook(record) for leaf in leaves]
            try:
                output = net(X)
            except Exception as failure:  # noqa: BLE001 - reported, the judge explains
                error = f"{type(failure).__name__}: {failure}"[:500]
            finally:
                for handle in handles:
                    handle.remove()
    return {
        "hooked": layers is None,
        "layers": ran,
        "output_shape": _shape(output),
        "error": error,
    }


def _shape(value: Any) -> list[int] | None:
    return list(value.shape) if isinstance(value, torch.Tensor) else None


def load_by_shape(net: nn.Module, state: list[torch.Tensor]) -> int:
    """Copy each tensor of ``state`` into the net's parameter of the same shape (the shapes
    of LeNet's parameters are all different); the number of parameters left unset."""
    free = {tuple(t.shape): t for t in state}
    unset = 0
    with torch.no_grad():
        for parameter in net.parameters():
            value = free.pop(tuple(parameter.shape), None)
            if value is None:
                unset += 1
            else:
                parameter.copy_(value)
    return unset + len(free)


def load_by_name(net: nn.Module, state: dict[str, torch.Tensor]) -> list[str]:
    """Copy ``state`` into the parameters of the same names and shapes; the names unset."""
    own = dict(net.named_parameters())
    unset = []
    with torch.no_grad():
        for name, value in state.items():
            if name in own and tuple(own[name].shape) == tuple(value.shape):
                own[name].copy_(value)
            else:
                unset.append(name)
    return unset


def _last_linear_output(net: nn.Module) -> tuple[list[Any], list[Any]]:
    """Hooks recording the output of every ``nn.Linear`` that runs (the last one wins)."""
    seen: list[Any] = []
    handles = [
        m.register_forward_hook(lambda module, args, out: seen.append(out))
        for m in net.modules()
        if isinstance(m, nn.Linear)
    ]
    return seen, handles


def _load(net: nn.Module, state: Any) -> Any:
    if isinstance(state, dict):
        return load_by_name(net, state)
    if isinstance(state, list):
        return load_by_shape(net, state)
    return None


def net_task(
    function: Callable[..., Any],
    args: list[Any],
    task: str,
    X: torch.Tensor | None = None,
    state: Any = None,
    mode: str = "train",
    data: dict[str, Any] | None = None,
    to: Any = None,
) -> dict[str, Any]:
    """Build ``function(*args)`` and do one ``task`` with it.

    - ``layers``: :func:`run_layers` on ``X``; the layers the net holds, in order (its
      plain layers, or its leaf modules); the parameters (name and shape), their count, and
      the attributes ``conv1`` … ``conv3`` (what they are);
    - ``forward``: load ``state`` (a list: by shape; a dict: by name), switch to ``mode``,
      run ``X``; the output, and the output of the last ``nn.Linear`` that ran;
    - ``parameters``: the parameters' values by name, in registration order;
    - ``train``: load ``state``, then ``data["steps"]`` steps of SGD (``data["lr"]``) on
      cross-entropy for ``data["X"]``, ``data["y"]``, the net wrapped by ``data["head"]``
      (``"pool"``: average pooling, flatten and a linear layer set to ``data["head_state"]``);
      the losses and which parameters received a gradient;
    - ``move``: ``net.to(to)``, then run ``X`` moved the same way; the output.
    """
    net = function(*args)
    answer: dict[str, Any] = {"result": None, "is_module": isinstance(net, nn.Module)}
    if not isinstance(net, nn.Module):
        answer["result"] = repr(type(net))
        return answer
    answer["class"] = type(net).__name__
    answer["sequential"] = isinstance(net, nn.Sequential)

    def forward(model: nn.Module, inputs: torch.Tensor) -> Any:
        with _rules(function, (inputs,)):
            return model(inputs)

    if task == "layers":
        answer["result"] = run_layers(function, net, X)
        layers = _plain_layers(net)
        if layers is None:
            layers = [m for m in net.modules() if not any(True for _ in m.children())]
        answer["modules"] = [describe_layer(layer) for layer in layers]
        parameters = list(net.named_parameters())
        answer["parameters"] = [[name, list(p.shape)] for name, p in parameters]
        answer["count"] = sum(p.numel() for _, p in parameters)
        answer["attributes"] = {
            name: describe_layer(value) if isinstance(value, nn.Module) else repr(value)[:80]
            for name in ("conv1", "bn1", "conv2", "bn2", "conv3")
            if hasattr(net, name)
            for value in [getattr(net, name)]
        }
    elif task == "forward":
        answer["unset"] = _load(net, state)
        net.train(mode == "train")
        seen, handles = _last_linear_output(net)
        try:
            out = forward(net, X)
        finally:
            for handle in handles:
                handle.remove()
        answer["result"] = out.detach() if isinstance(out, torch.Tensor) else out
        last = seen[-1] if seen else None
        answer["last_linear"] = last.detach() if isinstance(last, torch.Tensor) else None
    elif task == "parameters":
        answer["result"] = {n: p.detach().clone() for n, p in net.named_parameters()}
    elif task == "train":
        answer["unset"] = _load(net, state)
        answer["result"] = train(net, data or {}, forward)
    elif task == "move":
        moved = net.to(to)
        out = forward(moved, X.to(to))
        answer["result"] = out.detach() if isinstance(out, torch.Tensor) else out
    else:
        raise ValueError(f"unknown task {task!r}")
    return answer


def train(
    net: nn.Module, data: dict[str, Any], forward: Callable[[nn.Module, torch.Tensor], Any]
) -> dict[str, Any]:
    """A few steps of SGD on cross-entropy; the loss before each step and after the last,
    and the names of the parameters that received a gradient at the first step."""
    model = net
    if data.get("head") == "pool":
        head = nn.Linear(*data["head_state"]["weight"].shape[::-1])
        with torch.no_grad():
            head.weight.copy_(data["head_state"]["weight"])
            head.bias.copy_(data["head_state"]["bias"])
        model = nn.Sequential(net, nn.AdaptiveAvgPool2d(1), nn.Flatten(), head)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=float(data["lr"]))
    losses: list[float] = []
    reached: list[str] | None = None
    for _ in range(int(data["steps"])):
        optimizer.zero_grad()
        loss = F.cross_entropy(forward(model, data["X"]), data["y"])
        losses.append(float(loss.detach()))
        loss.backward()
        if reached is None:
            reached = [n for n, p in net.named_parameters() if p.grad is not None]
        optimizer.step()
    with torch.no_grad():
        losses.append(float(F.cross_entropy(forward(model, data["X"]), data["y"])))
    return {"losses": losses, "reached": reached or []}


# What each probe here reports (see autograder.engine.answers).
_SHAPE = Maybe(ListOf(INT, limit=64))
_SETTING = OneOf(INT, ListOf(ANY, limit=64))
_LAYER = Report({"type": NAME}, {**{name: _SETTING for name in SETTINGS}, "bias": BOOL})
_RAN = Report(
    {
        "hooked": BOOL,
        "layers": ListOf(Report({"layer": _LAYER, "shape": _SHAPE})),
        "output_shape": _SHAPE,
        "error": Maybe(Text(1000)),
    }
)
_UNSET = Maybe(OneOf(INT, ListOf(NAME)))


def _net_task_report(arguments: dict[str, Any]) -> Kind:
    """The fields of the task asked for; the result is the class's repr where the
    function made no ``nn.Module``."""
    steps = int((arguments["data"] or {}).get("steps", 0))
    by_task: dict[str, tuple[Kind, dict[str, Kind]]] = {
        "layers": (
            _RAN,
            {
                "modules": ListOf(_LAYER),
                "parameters": ListOf(Row(NAME, ListOf(INT, limit=64))),
                "count": INT,
                "attributes": TextKeyed(OneOf(_LAYER, Text(80))),
            },
        ),
        "forward": (ANY, {"unset": _UNSET, "last_linear": Maybe(TENSOR)}),
        "parameters": (TextKeyed(TENSOR, limit=100_000), {}),
        "train": (
            Report({"losses": ListOf(NUMBER, length=steps + 1), "reached": ListOf(NAME)}),
            {"unset": _UNSET},
        ),
        "move": (ANY, {}),
    }
    result, fields = by_task.get(arguments["task"], (ANY, {}))
    return Report(
        {"result": OneOf(result, NAME), "is_module": BOOL},
        {"class": NAME, "sequential": BOOL, **fields},
    )


REPORTS = {"net_task": _net_task_report}
