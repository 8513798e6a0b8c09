"""Recorded-effect doubles: stand-ins for a helper exercise, made of data, never of code.

A graded function may be built on another exercise of its module (``train`` on
``train_epoch`` and ``evaluate_accuracy``).  While it is graded, the judge lends it a
stand-in for the helper, so that a mistake in the helper costs points there only; what is
lent is the judge's choice, from the exercise's declaration.  No reference code ever enters a
runner: a helper is lent either as its assignment's oracle (public code built on torch's own
function, see :mod:`autograder.engine.runner`) or, where no library function does its work,
as a double made here from data.

The judge ran the reference on the check's own inputs and recorded every call of the helper
(:func:`autograder.grading.lending.record_effects`): its arguments as
:func:`describe_arguments` sees them (data iterators by what one pass yields, which is the
pass the helper makes; the net, the loss and the optimizer as the graded call's own), the
state of each module it was given before and after the call, the module's mode after it,
and what it returned or raised.  A :class:`RecordedDouble` answers a call whose arguments
are described alike, and whose modules hold (to rounding) the state the recorded call
started from, with that call's effect: it puts the recorded state into the very tensors of
the modules (the parameters the caller's optimizer holds), sets their mode, and returns (or
raises) what the reference did.  Any other call is one the reference's graded function
never makes on these inputs: the double answers it with ``nan`` in place of every number
and changes nothing, so the caller's result comes out wrong, as it would with the reference
helper.  Every call is logged for the probe (``lent_calls``), which may report it.

What a double does not reproduce: the gradients left in ``.grad``, an optimizer's internal
state (momentum buffers; the checks' optimizer, plain SGD, has none), and what the helper
would have shown a probe's recorder (forward passes, loss calls).
"""

from __future__ import annotations

import builtins
import copy
import hashlib
import inspect
import math
from collections.abc import Callable
from typing import Any

import torch

# Two states count as the same within the checks' own tolerance for parameters.
SAME_STATE_RTOL = 1e-5
SAME_STATE_ATOL = 1e-6

Graded = tuple[tuple[Any, ...], dict[str, Any]]  # the graded call's (args, kwargs)


def parameters_of(function: Callable[..., Any]) -> list[list[Any]]:
    """A function's signature as plain data: ``[name, kind, has_default, default]`` each."""
    described = []
    for parameter in inspect.signature(function).parameters.values():
        has_default = parameter.default is not inspect.Parameter.empty
        default = parameter.default if has_default else None
        described.append([parameter.name, int(parameter.kind), has_default, default])
    return described


_KIND = type(inspect.Parameter.POSITIONAL_OR_KEYWORD)


def signature_from(parameters: list[list[Any]]) -> inspect.Signature:
    """The signature :func:`parameters_of` described."""
    return inspect.Signature(
        [
            inspect.Parameter(
                str(name),
                _KIND(int(kind)),
                default=default if has_default else inspect.Parameter.empty,
            )
            for name, kind, has_default, default in parameters
        ]
    )


def _plain(value: Any) -> Any:
    """Plain data (lists, not tuples) for a hyperparameter; a type name for anything else."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.device.type != "meta":
        return float(value)
    return type(value).__name__


def _device_named(value: Any) -> str | None:
    """The device ``value`` names (``"meta"``, ``torch.device("cuda", 0)``), or None."""
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, str) and len(value) < 40:
        try:
            return str(torch.device(value))
        except (RuntimeError, ValueError):
            return None
    return None


def _tensor_digest(tensor: torch.Tensor) -> str | None:
    if tensor.device.type == "meta":
        return None
    plain = tensor.detach().to("cpu").contiguous()
    return hashlib.sha256(plain.reshape(-1).view(torch.uint8).numpy().tobytes()).hexdigest()


# Arguments told apart by what they are; anything else (a module, an optimizer, an object)
# also by which argument of the graded call it is.
_VALUES = (type(None), bool, int, float, complex, str, bytes, torch.device, torch.dtype)
_NOT_DATA = (torch.Tensor, torch.nn.Module, torch.optim.Optimizer, str, bytes, dict)


def _feed(value: Any, digest: Any, depth: int = 0) -> None:
    """Feed what a batch holds to ``digest``: tensors by their values, containers by item."""
    if isinstance(value, torch.Tensor):
        digest.update(f"T{value.dtype}{tuple(value.shape)}{value.device.type}:".encode())
        digest.update((_tensor_digest(value) or "meta").encode())
    elif isinstance(value, list | tuple) and depth < 8:
        digest.update(f"{type(value).__name__}{len(value)}:".encode())
        for item in value:
            _feed(item, digest, depth + 1)
    elif isinstance(value, bool | int | float | str | type(None)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    else:
        digest.update(f"<{type(value).__name__}>;".encode())


def _is_data(value: Any) -> bool:
    """A data iterator (batches): what a helper reads, one pass."""
    return not isinstance(value, _VALUES + _NOT_DATA) and hasattr(value, "__iter__")


def describe_value(value: Any, graded: Graded, *, read_one_shot: bool) -> dict[str, Any]:
    """What a helper's argument is, as plain data both sides compute alike.

    A data iterator is described by what one pass over it yields (the pass a helper makes;
    a probe may log it); an iterator that only goes once is read only with
    ``read_one_shot`` (in the runner, where the double needs nothing more of it).  A module,
    an optimizer or another object is also described by ``argument``: which argument of the
    graded call it is (its position, or its keyword), when it is that very object (the net
    and the loss the probe built).  A module's state is not in here:
    :class:`RecordedDouble` compares it within rounding.
    """
    described: dict[str, Any] = {}
    if value is None:
        described["kind"] = "none"
    elif isinstance(value, torch.Tensor):
        described.update(
            kind="tensor",
            dtype=str(value.dtype),
            shape=list(value.shape),
            device=str(value.device),
            values=_tensor_digest(value),
        )
    elif _device_named(value) is not None:
        described.update(kind="device", device=_device_named(value))
    elif isinstance(value, bool | int | float | str):
        described.update(kind="value", value=value)
    elif _is_data(value) and (read_one_shot or iter(value) is not value):
        digest = hashlib.sha256()
        count = 0
        for item in value:
            _feed(item, digest)
            count += 1
        described.update(kind="data", items=count, digest=digest.hexdigest())
    else:
        if isinstance(value, torch.nn.Module):
            described.update(kind="module", type=type(value).__name__)
        elif isinstance(value, torch.optim.Optimizer):
            groups = [
                {key: _plain(item) for key, item in sorted(group.items()) if key != "params"}
                for group in value.param_groups
            ]
            described.update(kind="optimizer", type=type(value).__name__, groups=groups)
        else:
            described.update(kind="object", type=type(value).__name__)
        args, kwargs = graded
        position = next((i for i, argument in enumerate(args) if argument is value), None)
        keyword = next((k for k, argument in kwargs.items() if argument is value), None)
        described["argument"] = position if position is not None else keyword
    return described


def describe_arguments(
    arguments: dict[str, Any], graded: Graded, *, read_one_shot: bool
) -> dict[str, dict[str, Any]]:
    """:func:`describe_value` of each bound argument of a helper's call, by name."""
    return {
        name: describe_value(value, graded, read_one_shot=read_one_shot)
        for name, value in arguments.items()
    }


def module_state(module: torch.nn.Module) -> dict[str, torch.Tensor] | None:
    """A copy, on the CPU, of the module's parameters and buffers; None on ``meta``."""
    state = module.state_dict()
    if any(tensor.device.type == "meta" for tensor in state.values()):
        return None
    return {key: tensor.detach().to("cpu").clone() for key, tensor in state.items()}


def same_state(
    got: dict[str, torch.Tensor] | None, recorded: dict[str, torch.Tensor] | None
) -> bool:
    """Whether a module holds the recorded state: same tensors, values within rounding."""
    if got is None or recorded is None or set(got) != set(recorded):
        return False
    return all(
        got[key].shape == want.shape
        and got[key].dtype == want.dtype
        and torch.allclose(got[key], want, rtol=SAME_STATE_RTOL, atol=SAME_STATE_ATOL)
        for key, want in recorded.items()
    )


def unforeseen_answer(example: Any) -> Any:
    """An answer shaped like ``example`` with ``nan`` for every number: what a double gives
    a call the reference never made (so the caller's result comes out wrong)."""
    if isinstance(example, bool):
        return example
    if isinstance(example, int | float):
        return math.nan
    if isinstance(example, torch.Tensor):
        if example.is_floating_point():
            return torch.full_like(example, math.nan)
        return example.clone()
    if isinstance(example, tuple):
        return tuple(unforeseen_answer(item) for item in example)
    if isinstance(example, list):
        return [unforeseen_answer(item) for item in example]
    if isinstance(example, dict):
        return {key: unforeseen_answer(item) for key, item in example.items()}
    return math.nan


def rebuilt_exception(raised: dict[str, Any]) -> BaseException:
    """The exception the reference raised, as its builtin class where it is one."""
    kind = str(raised.get("type", "RuntimeError"))
    message = str(raised.get("message", ""))
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(message)
        except Exception:  # noqa: BLE001 - a builtin that wants other arguments
            pass
    return RuntimeError(f"{kind}: {message}")


class RecordedDouble:
    """A helper answered from the calls the judge recorded (see the module's docstring)."""

    def __init__(
        self,
        name: str,
        parameters: list[list[Any]],
        calls: list[dict[str, Any]],
        graded: Graded,
        log: list[dict[str, Any]],
    ) -> None:
        self.__name__ = self.__qualname__ = name
        self.__signature__ = signature_from(parameters)
        self._calls = [call for call in calls if call.get("helper") == name]
        self._graded = graded
        self._log = log
        answers = [call["answer"] for call in self._calls if "answer" in call]
        self._example = answers[0] if answers else math.nan

    def __repr__(self) -> str:
        return f"<{self.__name__}, lent by the grader>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        bound = self.__signature__.bind(*args, **kwargs)  # a TypeError, as a function gives
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        described = describe_arguments(arguments, self._graded, read_one_shot=True)
        modules = {k: v for k, v in arguments.items() if isinstance(v, torch.nn.Module)}
        states = {name: module_state(module) for name, module in modules.items()}
        call = next(
            (
                recorded
                for recorded in self._calls
                if recorded.get("arguments") == described
                and set(recorded.get("before", {})) == set(states)
                and all(same_state(states[n], s) for n, s in recorded["before"].items())
            ),
            None,
        )
        foreseen = call is not None
        self._log.append({"helper": self.__name__, "arguments": described, "foreseen": foreseen})
        if call is None:
            return unforeseen_answer(self._example)
        for name, module in modules.items():
            _put_state(module, (call.get("after") or {}).get(name) or {})
            module.train(bool((call.get("training") or {}).get(name, module.training)))
        if "raised" in call:
            raise rebuilt_exception(call["raised"])
        return copy.deepcopy(call.get("answer"))


def _put_state(module: torch.nn.Module, state: dict[str, torch.Tensor]) -> None:
    """Copy ``state`` into the module's own tensors (the leaves an optimizer holds)."""
    own = module.state_dict(keep_vars=True)
    with torch.no_grad():
        for key, values in state.items():
            target = own.get(key)
            if isinstance(target, torch.Tensor) and target.shape == values.shape:
                target.copy_(values)
