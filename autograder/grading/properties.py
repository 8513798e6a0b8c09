"""Properties every tensor exercise shares: device portability, autograd, no mutation."""

from __future__ import annotations

from typing import Any

import torch

from autograder.engine.protocol import Placed
from autograder.grading.context import CheckContext, describe
from autograder.grading.expect import expect_tensor, expect_unchanged
from autograder.i18n import T

DEFAULT_DEVICE_HINT = (
    "a tensor created inside the function without device= lands on the default device "
    "(the CPU), not on the input's device. Pass device=x.device (and dtype=x.dtype), or use "
    "torch.zeros_like / x.new_zeros, so the function also works on a GPU."
)


def cuda_available() -> bool:
    """Whether the CUDA tier of the device checks runs on this machine."""
    return torch.cuda.is_available()


def _place(args: tuple[Any, ...], device: str) -> tuple[Any, ...]:
    return tuple(Placed(a, device) if isinstance(a, torch.Tensor) else a for a in args)


def expect_device_portable(
    ctx: CheckContext,
    *args: Any,
    meta: bool = True,
    compare: bool = True,
    **kwargs: Any,
) -> None:
    """The result lives on the input's device, whatever the default device is.

    Three tiers: (1) CPU inputs while the default device is ``meta``, which catches helper
    tensors created without ``device=`` on any machine; (2) ``meta`` inputs, where that
    makes sense for the exercise; (3) CUDA inputs when a GPU is present.
    """
    expected = ctx.reference_function(*args, **kwargs)
    text = ctx.input_text(*args, **kwargs)
    outcome = ctx.run(*args, default_device="meta", **kwargs)
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
    if compare:
        expect_tensor(outcome.value["result"], expected, input=text, hint=DEFAULT_DEVICE_HINT)
    tiers = (["meta"] if meta else []) + (["cuda"] if cuda_available() else [])
    for device in tiers:
        placed = _place(args, device)
        if device == "meta":
            meta_args = tuple(a.to("meta") if isinstance(a, torch.Tensor) else a for a in args)
            wanted = ctx.reference_function(*meta_args, **kwargs)
        else:
            wanted = expected
        got = ctx.call(*placed, **kwargs)
        expect_tensor(got, wanted, input=ctx.input_text(*placed, **kwargs), device=device)


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


def expect_inputs_unchanged(
    ctx: CheckContext, *args: Any, compare: bool = True, **kwargs: Any
) -> None:
    """The function returns the right result and leaves its tensor inputs as they were.

    The result is compared too (unless ``compare=False``, for random functions), so that a
    function which does nothing does not earn the points of this check.
    """
    originals = [a.clone() if isinstance(a, torch.Tensor) else a for a in args]
    expected = ctx.reference_function(*args, **kwargs) if compare else None
    text = ctx.input_text(*args, **kwargs)
    answer = ctx.probe(*args, options={"return_args": True}, **kwargs)
    if compare:
        expect_tensor(answer["result"], expected, input=text)
    expect_unchanged(originals, answer.get("args_after"), input=text, function=ctx.function)
