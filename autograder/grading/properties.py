"""Properties every tensor exercise shares: device portability, autograd, no mutation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.engine.session import Outcome
from autograder.grading.context import CheckContext, CheckFailed, describe
from autograder.grading.expect import expect_tensor, expect_unchanged
from autograder.i18n import T

DEFAULT_DEVICE_HINT = (
    "a tensor created inside the function without device= lands on the default device "
    "(the CPU), not on the input's device. Pass device=x.device (and dtype=x.dtype), or use "
    "torch.zeros_like / x.new_zeros, so the function also works on a GPU."
)


# The first operation on ``meta`` tensors in a process imports a large part of torch
# (meta registrations, decompositions, torch._dynamo): seconds on a loaded machine.  The
# calls that use ``meta`` get this much time instead of the usual per-call limit.
META_TIMEOUT = 30.0


def cuda_available() -> bool:
    """Whether the CUDA tier of the device checks runs on this machine."""
    return torch.cuda.is_available()


@dataclass(frozen=True)
class DeviceTier:
    """One run of a "stays on its device" check: where the inputs are, the runner's default
    device during the call, and the device the results must be on."""

    wanted: str  # the device type the results must have
    device: str | None = None  # where the inputs are placed (None: as made, on the CPU)
    default_device: str | None = None  # the runner's default device (None: the CPU)

    def place(self, value: Any) -> Any:
        """``value`` (a tensor) placed on this tier's device."""
        return Placed(value, self.device) if self.device else value

    def said(self, call: str) -> T:
        """The call as the feedback shows it: with the default device, or the inputs' device."""
        if self.default_device:
            return T("{call} with default device {device}", call=call, device=self.default_device)
        return T("{call} with the parameters on {device}", call=call, device=self.wanted)


def device_tiers() -> list[DeviceTier]:
    """The tiers of a "stays on its device" check: CPU inputs with ``meta`` as the default
    device (the default-device trap), ``meta`` inputs, and CUDA inputs where there is CUDA."""
    tiers = [DeviceTier("cpu", None, "meta"), DeviceTier("meta", "meta")]
    return tiers + ([DeviceTier("cuda", "cuda")] if cuda_available() else [])


def _place(args: tuple[Any, ...], device: str) -> tuple[Any, ...]:
    return tuple(Placed(a, device) if isinstance(a, torch.Tensor) else a for a in args)


def expect_device_portable(
    ctx: CheckContext,
    *args: Any,
    meta: bool = True,
    compare: bool = True,
    against: str = "self",
    **kwargs: Any,
) -> None:
    """The result lives on the input's device, whatever the default device is.

    Three tiers: (1) CPU inputs while the default device is ``meta``, which catches helper
    tensors created without ``device=`` on any machine; (2) ``meta`` inputs, where that
    makes sense for the exercise; (3) CUDA inputs when a GPU is present.

    ``against="self"`` (the default) judges every tier against the student's own result for
    the plain CPU call (when it is a tensor, or a tuple of them, like the reference's), so a
    wrong value costs points in the value checks only and this check is about devices
    alone; ``against="reference"`` judges against the reference's result.
    """
    expected = ctx.reference_function(*args, **kwargs)
    if against == "self":
        expected = _own_result(ctx, expected, *args, **kwargs)
    text = ctx.input_text(*args, **kwargs)
    outcome = ctx.run(*args, default_device="meta", timeout=META_TIMEOUT, **kwargs)
    expect_runs_off_the_default_device(ctx, outcome, text)
    if compare:
        _expect_results(
            outcome.value["result"],
            expected,
            input=text,
            hint=DEFAULT_DEVICE_HINT,
            show_values=False,
            judging="device",
        )
    tiers = (["meta"] if meta else []) + (["cuda"] if cuda_available() else [])
    for device in tiers:
        placed = _place(args, device)
        if device == "meta" and (against == "self" or _all_tensors(expected)):
            # Shape and dtype do not depend on the device: no need to run the reference on
            # meta, which would import torch._dynamo into the judge (slow).
            wanted = _on_meta(expected)
        elif device == "meta":
            meta_args = tuple(a.to("meta") if isinstance(a, torch.Tensor) else a for a in args)
            wanted = ctx.reference_function(*meta_args, **kwargs)
        else:
            wanted = expected
        timeout = META_TIMEOUT if device == "meta" else None
        outcome = ctx.run(*placed, timeout=timeout, **kwargs)
        if device == "meta" and meta_cannot_run(outcome.raised):
            # An operation with no meta kernel (.item(), a boolean mask, nonzero …) is not a
            # device mistake: the default-device trap above (and CUDA, where present) judged.
            continue
        got = ctx.answer(outcome, placed, kwargs)["result"]
        _expect_results(
            got, wanted, input=ctx.input_text(*placed, **kwargs), device=device, judging="device"
        )


# What torch says when an operation cannot run on ``meta`` tensors (it has no data).
_META_LIMITS = (
    "cannot be called on meta tensors",
    "Cannot copy out of meta tensor",
    "data-independent implementation does not exist",
    "attempted to run this operator with Meta tensors",
    "meta tensor without output_size",
    "can't convert meta device type tensor to numpy",
    "data-dependent",
)


def expect_runs_off_the_default_device(ctx: CheckContext, outcome: Outcome, text: str) -> None:
    """Fail unless the call returned while the default device was not its inputs' device
    (the default-device trap): a helper tensor made without ``device=`` breaks it."""
    if not outcome.ok:
        ctx.fail(
            T(
                "{function} fails when the default device is not the input's device: {reason}",
                function=ctx.function,
                reason=outcome.describe_failure(),
            ),
            input=text,
            hint=DEFAULT_DEVICE_HINT,
        )


def meta_cannot_run(raised: dict[str, Any] | None) -> bool:
    """Whether a call failed on an operation ``meta`` has no kernel for (not a mistake)."""
    if not raised:
        return False
    message = str(raised.get("message", ""))
    return any(limit in message for limit in _META_LIMITS)


def _own_result(ctx: CheckContext, expected: Any, *args: Any, **kwargs: Any) -> Any:
    """The student's plain CPU result as CPU tensors, or ``expected`` if it is not usable."""
    outcome = ctx.run(*args, **kwargs)
    if not outcome.ok or not isinstance(outcome.value, dict):
        return expected
    got = outcome.value.get("result")
    if isinstance(expected, torch.Tensor):
        return (
            got.values
            if isinstance(got, TransportedTensor) and got.values is not None
            else expected
        )
    if (
        isinstance(expected, (tuple, list))
        and isinstance(got, (tuple, list))
        and len(got) == len(expected)
        and all(isinstance(g, TransportedTensor) and g.values is not None for g in got)
    ):
        return tuple(g.values for g in got)
    return expected


def _all_tensors(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return bool(value) and all(_all_tensors(v) for v in value)
    return isinstance(value, torch.Tensor)


def _on_meta(expected: Any) -> Any:
    if isinstance(expected, (tuple, list)):
        return tuple(_on_meta(e) for e in expected)
    return torch.empty(expected.shape, dtype=expected.dtype, device="meta")


def _expect_results(got: Any, expected: Any, **options: Any) -> None:
    """``expect_tensor`` for a tensor result, element by element for a tuple of tensors."""
    if not isinstance(expected, (tuple, list)):
        expect_tensor(got, expected, **options)
        return
    if not isinstance(got, (tuple, list)) or len(got) != len(expected):
        raise CheckFailed(
            T("the result should be a tuple of {count} tensors", count=len(expected)),
            input=options.get("input"),
            got=describe(got),
        )
    for position, (item, want) in enumerate(zip(got, expected)):
        expect_tensor(
            item, want, what=T("element {position} of the result", position=position), **options
        )


def expect_gradients(
    ctx: CheckContext,
    *args: Any,
    grad_of: tuple[int, ...] = (0,),
    seed: int = 0,
    rtol: float | None = None,
    atol: float | None = None,
    **kwargs: Any,
) -> None:
    """Backpropagating a random output gradient gives the reference's input gradients."""
    leaves = [
        a.detach().clone().requires_grad_(i in grad_of) if isinstance(a, torch.Tensor) else a
        for i, a in enumerate(args)
    ]
    result = ctx.reference_function(*leaves, **kwargs)
    generator = torch.Generator().manual_seed(seed)
    grad_output = torch.randn(result.shape, generator=generator, dtype=result.dtype)
    expected = torch.autograd.grad(
        result, [leaves[i] for i in grad_of], grad_output, allow_unused=True
    )
    text = ctx.input_text(*args, **kwargs)
    answer = ctx.probe(
        *leaves, options={"grad_of": list(grad_of), "grad_output": grad_output}, **kwargs
    )
    if answer.get("grads") is None:
        ctx.fail(
            T("{function}'s result is not connected to the autograd graph", function=ctx.function),
            input=text,
            expected="a result with requires_grad=True when the input requires grad",
            got=describe(answer.get("result")),
            hint="use differentiable tensor operations only: no .detach(), .item(), .numpy(), "
            "torch.tensor(...) of results or .data inside the function.",
        )
    for position, want, got in zip(grad_of, expected, answer["grads"]):
        if want is None:
            continue
        if got is None:
            ctx.fail(
                T("no gradient reaches argument {position}", position=position + 1),
                input=text,
                hint="the result must be computed from this input with differentiable ops.",
            )
        expect_tensor(
            got,
            want,
            input=text,
            what=T("the gradient of argument {position}", position=position + 1),
            rtol=rtol,
            atol=atol,
        )


def expect_inputs_unchanged(ctx: CheckContext, *args: Any, **kwargs: Any) -> None:
    """The function leaves its tensor inputs as they were (what it returns is the other
    checks' business: a wrong result is not charged again here)."""
    originals = [a.clone() if isinstance(a, torch.Tensor) else a for a in args]
    text = ctx.input_text(*args, **kwargs)
    answer = ctx.probe(*args, options={"return_args": True}, **kwargs)
    expect_unchanged(originals, answer.get("args_after"), input=text, function=ctx.function)


def expect_global_generator_kept(
    ctx: CheckContext,
    answer: dict[str, Any],
    same_state: Callable[[Any, Any], bool],
    text: str,
) -> None:
    """What a probe of a random exercise reported about torch's global generator: the
    generator's state after a call must depend on the seed set before (no reseeding inside),
    and the call must have drawn from it (not from a ``torch.Generator`` of its own).

    ``answer["after"]`` holds the generator states after calls under two seeds,
    ``answer["consumed"]`` whether the call drew from the generator.
    """
    after = answer.get("after", [None, None])
    if same_state(after[0], after[1]):
        ctx.fail(
            "after a call, torch's global generator is in the same state whatever seed was "
            "set before: the function reseeds it (torch.manual_seed inside), so every "
            "random number the program draws afterwards is predictable.",
            input=text,
        )
    if answer.get("consumed") is not True:
        ctx.fail(
            "the call did not draw from torch's global generator (a torch.Generator of "
            "your own, or no randomness at all?)",
            input=text,
        )
