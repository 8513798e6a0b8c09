"""Probes for ``training.py``: run the student's loop on a net, optimizer and batches built
here, from plain data the judge sends, and report what happened as plain data.

Nets, optimizers and iterators cannot cross the pipe, so both sides build them with the
same functions: the runner for the student, the judge (in-process) for the reference.
What is reported: the returned value, the parameters afterwards, what a recorder saw at
every forward pass and loss call (training mode, gradient mode, devices, per-batch values),
and the calls of the helpers the grader lends ``train`` (their arguments, as data).

The ``trace`` mode is for devices on a machine without a GPU: the net sits on ``meta``
while the batches come from the CPU, so a batch that is not moved meets the net on the
wrong device.  Meta tensors have no values, so the loop cannot finish there; the recorder
notes where each batch arrived (and any operation that mixed CPU and meta tensors), and
the exception the loop ends with is reported rather than raised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F
from torch.overrides import TorchFunctionMode

from autograder.engine.answers import (
    ANY,
    BOOL,
    INT,
    NAME,
    NUMBER,
    TENSOR,
    ListOf,
    Maybe,
    Report,
    Text,
    TextKeyed,
)


class StopProbe(Exception):
    """Raised by the recorder to end a traced run once it has seen what it needed."""


# ---------------------------------------------------------------------------------------
# Building blocks shared with the judge
# ---------------------------------------------------------------------------------------
def build_net(spec: dict[str, Any], state: dict[str, torch.Tensor] | None = None) -> nn.Module:
    """``Flatten`` then ``Linear`` layers of ``spec["sizes"]``, ReLU (and dropout) between.

    ``{"sizes": [12, 4]}`` is softmax regression; ``{"sizes": [12, 6, 4], "dropout": 0.5}``
    an MLP with dropout.  ``state`` (a state dict) sets the weights.
    """
    sizes = [int(size) for size in spec["sizes"]]
    dropout = float(spec.get("dropout", 0.0))
    layers: list[nn.Module] = [nn.Flatten()]
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        if i:
            layers.append(nn.ReLU())
            if dropout:
                layers.append(nn.Dropout(dropout))
        layers.append(nn.Linear(fan_in, fan_out))
    net = nn.Sequential(*layers)
    if state is not None:
        net.load_state_dict({k: torch.as_tensor(v) for k, v in state.items()})
    return net


def build_optimizer(net: nn.Module, spec: dict[str, Any]) -> torch.optim.Optimizer:
    return torch.optim.SGD(
        net.parameters(),
        lr=float(spec["lr"]),
        momentum=float(spec.get("momentum", 0.0)),
        weight_decay=float(spec.get("weight_decay", 0.0)),
    )


class Batches:
    """A re-iterable list of ``(X, y)`` batches, like a DataLoader, that logs its use.

    Each pass hands out fresh copies, so a loop that modifies a batch in place cannot
    change the next epoch's data.  ``log`` (shared between iterators) records the name of
    every iterator at the moment a pass over it starts.
    """

    def __init__(
        self, pairs: list[tuple[torch.Tensor, torch.Tensor]], name: str, log: list[str]
    ) -> None:
        self.pairs = [(torch.as_tensor(X), torch.as_tensor(y)) for X, y in pairs]
        self.name = name
        self.log = log

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        self.log.append(self.name)
        return iter([(X.clone(), y.clone()) for X, y in self.pairs])

    def __len__(self) -> int:
        return len(self.pairs)


class Recorder:
    """Watches the net's forward passes and the loss calls of one run."""

    def __init__(self, net: nn.Module, stop_at: str | None = None) -> None:
        self.net = net
        self.stop_at = stop_at
        self.forwards: list[dict[str, Any]] = []
        self.losses: list[dict[str, Any]] = []
        net.register_forward_pre_hook(self._before_forward)

    def _before_forward(self, module: nn.Module, args: tuple[Any, ...]) -> None:
        X = args[0] if args else None
        modes = [m.training for m in module.modules()]
        self.forwards.append(
            {
                "all_training": all(modes),
                "any_training": any(modes),
                "grad_enabled": torch.is_grad_enabled(),
                "device": str(X.device) if isinstance(X, torch.Tensor) else None,
            }
        )
        if self.stop_at == "forward":
            raise StopProbe("stopped at the first forward pass")

    def loss(self) -> nn.Module:
        recorder = self

        class CrossEntropyLoss(nn.CrossEntropyLoss):
            """``nn.CrossEntropyLoss()`` that tells the probe what it was called with."""

            def forward(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
                entry: dict[str, Any] = {
                    "y_hat_device": str(y_hat.device),
                    "y_device": str(y.device),
                    "size": len(y),
                }
                recorder.losses.append(entry)
                if recorder.stop_at == "loss":
                    raise StopProbe("stopped at the first loss")
                value = F.cross_entropy(y_hat, y)
                if value.device.type != "meta":
                    entry["value"] = value.item()
                    entry["correct"] = int((y_hat.detach().argmax(dim=1) == y).sum())
                return value

        return CrossEntropyLoss()


def _tensors(value: Any, found: list[torch.Tensor]) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        found.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _tensors(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _tensors(item, found)
    return found


class DeviceMixing(TorchFunctionMode):
    """Notes every torch operation whose tensor arguments live on different devices.

    CPU scalars (0-dim tensors) are left out: PyTorch lets them meet tensors of any device.
    """

    def __init__(self) -> None:
        super().__init__()
        self.mixed: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
        kwargs = kwargs or {}
        devices = {
            t.device.type
            for t in _tensors([args, kwargs], [])
            if t.dim() > 0 or t.device.type != "cpu"
        }
        if len(devices) > 1 and len(self.mixed) < 20:
            name = getattr(func, "__name__", str(func))
            self.mixed.append(f"{name} on {' and '.join(sorted(devices))}")
        return func(*args, **kwargs)


def _describe(error: BaseException) -> dict[str, str]:
    try:
        message = str(error)[:500]
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = "<no message>"
    return {"type": type(error).__name__, "message": message}


# ---------------------------------------------------------------------------------------
# The probe
# ---------------------------------------------------------------------------------------
def loop(
    function: Callable[..., Any],
    *,
    task: str,
    net: dict[str, Any],
    state: dict[str, torch.Tensor],
    train: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
    test: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
    optimizer: dict[str, Any] | None = None,
    num_epochs: int = 1,
    device: str | None = None,
    pass_device: bool = False,
    net_device: str = "cpu",
    training: bool = True,
    trace: bool = False,
    stop_at: str | None = None,
) -> dict[str, Any]:
    """Call ``train_epoch``, ``evaluate_accuracy`` or ``train`` (``task``) on a fresh net.

    The net (``build_net(net, state)``) is moved to ``net_device`` and put in training
    mode if ``training`` else evaluation mode; the batches stay on the CPU.  ``device`` is
    passed as ``device=`` only when ``pass_device`` (otherwise the default is tested).
    """
    model = build_net(net, state).to(net_device)
    model.train(training)
    recorder = Recorder(model, stop_at)
    log: list[str] = []
    train_iter = Batches(list(train or []), "train_iter", log)
    test_iter = Batches(list(test or []), "test_iter", log)
    extra = {"device": device} if pass_device else {}
    opt = build_optimizer(model, optimizer) if optimizer is not None else None
    if task == "train_epoch":
        args: tuple[Any, ...] = (model, train_iter, recorder.loss(), opt)
    elif task == "evaluate_accuracy":
        args = (model, test_iter)
    elif task == "train":
        args = (model, train_iter, test_iter, recorder.loss(), num_epochs, opt)
    else:
        raise ValueError(f"unknown task {task!r}")

    answer: dict[str, Any] = {"result": None, "error": None, "mixed": []}
    if trace:
        mixing = DeviceMixing()
        try:
            with mixing:
                answer["result"] = function(*args, **extra)
        except NotImplementedError as error:
            if not str(error):
                raise  # a stub: the judge says "not implemented"
            answer["error"] = _describe(error)  # torch's: an operation meta cannot run
            answer["stopped"] = False
        except BaseException as error:  # noqa: BLE001 - the traced run is expected to end so
            if type(error).__name__ == "ForbiddenCallError":
                raise
            answer["error"] = _describe(error)
            answer["stopped"] = isinstance(error, StopProbe)
        answer["mixed"] = mixing.mixed
    else:
        answer["result"] = function(*args, **extra)
    if not any(p.device.type == "meta" for p in model.parameters()):
        answer["state"] = {k: v.detach().to("cpu").clone() for k, v in model.state_dict().items()}
    answer["forwards"] = recorder.forwards
    answer["losses"] = recorder.losses
    answer["iterations"] = log
    answer["training_after"] = model.training
    # The calls of the helpers the grader lent (train's train_epoch and evaluate_accuracy:
    # the guarded function logs them; see autograder.engine.lending).
    answer["lent"] = list(getattr(function, "lent_calls", None) or [])
    return answer


def fit_real_data(
    function: Callable[..., Any],
    *,
    dataset: str,
    state: dict[str, torch.Tensor],
    optimizer: dict[str, Any],
    batch_size: int,
    num_epochs: int,
    data_root: str | None = None,
) -> dict[str, Any]:
    """Train softmax regression on real data with the student's ``train_epoch``.

    ``dataset`` is ``"digits"`` (scikit-learn's, bundled) or ``"fashion_mnist"`` (files
    under ``data_root``).  Returns every epoch's ``(mean_loss, accuracy)`` as ``result`` and
    the final parameters; the judge measures the test accuracy itself.
    """
    from autograder import data

    if dataset == "digits":
        train_iter, _ = data.load_data_digits(batch_size)
        inputs = 64
    elif dataset == "fashion_mnist":
        if data_root is None:
            raise ValueError("fashion_mnist needs data_root")
        train_iter, _ = data.load_data_fashion_mnist(batch_size, data_root)
        inputs = 784
    else:
        raise ValueError(f"unknown dataset {dataset!r}")
    model = build_net({"sizes": [inputs, 10]}, state)
    opt = build_optimizer(model, optimizer)
    loss = nn.CrossEntropyLoss()
    history = [function(model, train_iter, loss, opt) for _ in range(num_epochs)]
    return {
        "result": history,
        "state": {k: v.detach().to("cpu").clone() for k, v in model.state_dict().items()},
    }


_FORWARD = Report(
    {"all_training": BOOL, "any_training": BOOL, "grad_enabled": BOOL, "device": Maybe(Text(100))}
)
_LOSS = Report(
    {"y_hat_device": Text(100), "y_device": Text(100), "size": INT},
    {"value": NUMBER, "correct": INT},
)
_STATE = TextKeyed(TENSOR)

# What each probe here reports (see autograder.engine.answers).
_LENT_CALL = Report({"helper": Text(100), "arguments": ANY, "foreseen": BOOL})
REPORTS = {
    "loop": Report(
        {
            "result": ANY,
            "error": Maybe(Report({"type": NAME, "message": Text(500)})),
            "mixed": ListOf(NAME, limit=20),
            "forwards": ListOf(_FORWARD, limit=100_000),
            "losses": ListOf(_LOSS, limit=100_000),
            "iterations": ListOf(Text(100)),
            "training_after": BOOL,
        },
        # The calls of the lent doubles (autograder.engine.lending), where train is graded.
        {"stopped": BOOL, "state": _STATE, "lent": ListOf(_LENT_CALL, limit=100_000)},
    ),
    "fit_real_data": Report({"result": ANY, "state": _STATE}),
}
