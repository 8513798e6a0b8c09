"""Checks for ``cnn_architectures.py``: lenet, vgg_block, Residual.

Graded by behaviour, in the runner (this folder's ``probes.py``): the probe builds the
student's net, runs it layer by layer (every layer's output shape), counts its parameters,
loads fixed parameters into it and runs it, trains it a few steps, moves it with ``.to()``.
The expected values are computed here, in the judge, from the same parameters with torch's
functional operations (``F.conv2d``, ``F.avg_pool2d``, ``F.batch_norm`` …), so the kit needs
no reference.

Where a net computes something else, the feedback says what it matches instead: a ReLU,
sigmoid or softmax on LeNet's logits, ReLU activations or max pooling in LeNet, average
pooling in a VGG block, a residual block's ReLU before the sum or a missing shortcut.

Nothing is random at grading time: the data and the parameters the checks load are seeded,
and a training check starts from loaded parameters, so a correct net, however it is built,
takes the same steps as the reference up to float32 rounding (the thresholds leave a wide
margin: see each check).
"""

from __future__ import annotations

import math
from typing import Any

import torch
from hypothesis import strategies as st
from torch.nn import functional as F

from autograder.engine.protocol import TransportedTensor
from autograder.grading.context import CheckContext, CheckFailed, describe, raised_classes
from autograder.grading.expect import expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import META_TIMEOUT, cuda_available, meta_cannot_run
from autograder.grading.registry import probe_name
from autograder.i18n import T, join

assignment = Assignment("cnn_architectures")

NET_PROBE = probe_name("cnn_architectures", "net_task")
CALL_TIMEOUT = 30.0


def fixed(shape: tuple[int, ...], seed: int, scale: float = 1.0) -> torch.Tensor:
    """Inputs and parameters the checks make: seeded, so every grading sees the same."""
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * scale


def values(got: Any) -> torch.Tensor | None:
    return got.values if isinstance(got, TransportedTensor) else None


def ask(ctx: CheckContext, args: list[Any], task: str, text: Any, **options: Any) -> dict:
    """Run one probe task on the net ``args`` build; fail unless it made an nn.Module."""
    try:
        outcome = ctx.run(
            args, task, probe=NET_PROBE, options=options, timeout=CALL_TIMEOUT, shown=text
        )
    except CheckFailed as failure:
        failure.input = text  # the call as the student wrote it, not the probe's arguments
        raise
    if not outcome.ok:
        ctx.fail(
            T(
                "{function} did not return: {reason}",
                function=ctx.function,
                reason=outcome.describe_failure(),
            ),
            input=text,
        )
    answer = ctx.answer(outcome, (args, task), {}, shown=text)
    if answer.get("is_module") is False:
        ctx.fail(
            T("{function}(...) did not make an nn.Module", function=ctx.function),
            input=text,
            got=answer.get("result"),
        )
    return answer


def expect_raises(ctx: CheckContext, args: list[Any], text: Any) -> None:
    """Building the net from ``args`` raises ValueError."""
    outcome = ctx.run(args, "parameters", probe=NET_PROBE, timeout=CALL_TIMEOUT, shown=text)
    if outcome.raised is not None and "ValueError" in raised_classes(outcome.raised):
        return
    if outcome.raised is not None:
        got = f"{outcome.raised.get('type')}: {outcome.raised.get('message', '')}"
    else:
        got = T("it built the net without complaint")
    ctx.fail(
        T("{function} should raise ValueError", function=ctx.function),
        input=text,
        expected="ValueError with a helpful message",
        got=got,
    )


def shapes_of(report: dict[str, Any]) -> list[tuple[int, ...]]:
    """The output shape (without the batch) of each layer that ran, a repeated shape once:
    an activation (a layer or a function) does not change it."""
    seen: list[tuple[int, ...]] = []
    for layer in report.get("layers") or []:
        shape = layer.get("shape")
        if shape is None:
            continue
        shape = tuple(shape[1:])
        if not seen or seen[-1] != shape:
            seen.append(shape)
    return seen


def follows(got: list[tuple[int, ...]], wanted: list[tuple[int, ...]]) -> bool:
    """``got`` is ``wanted`` with some shapes left out, and ends where ``wanted`` ends."""
    rest = iter(wanted)
    return bool(got) and got[-1] == wanted[-1] and all(shape in rest for shape in got)


def layer_name(layer: dict[str, Any]) -> str:
    """``Conv2d(1, 6, kernel_size=[5, 5], ...)``-like text for a reported layer."""
    settings = ", ".join(f"{k}={v}" for k, v in layer.items() if k != "type")
    return f"{layer.get('type')}({settings})"


def expect_moves(ctx: CheckContext, args: list[Any], X: torch.Tensor, text: Any) -> None:
    """``net.to(device)`` moves everything it needs: the output is on that device."""
    for device in ["meta"] + (["cuda"] if cuda_available() else []):
        shown = T(
            "{call}.to({device}) on X of shape {shape} on {device}",
            call=text,
            device=device,
            shape=tuple(X.shape),
        )
        outcome = ctx.run(
            args,
            "move",
            probe=NET_PROBE,
            options={"X": X, "to": device},
            timeout=META_TIMEOUT,
            shown=shown,
        )
        if device == "meta" and meta_cannot_run(outcome.raised):
            continue
        if not outcome.ok:
            ctx.fail(
                T(
                    "forward fails after .to({device}): {failure}",
                    device=device,
                    failure=outcome.describe_failure(),
                ),
                input=shown,
                hint="build every layer as a registered sub-module (an attribute or an "
                "nn.Sequential; a plain Python list is not registered) so .to(device) moves "
                "it, and create any new tensor on X.device.",
            )
        got = ctx.answer(outcome, (args, "move"), {}, shown=shown).get("result")
        if not isinstance(got, TransportedTensor) or got.device_type != device:
            ctx.fail(
                "the output is not on the net's device",
                input=shown,
                expected=T("a tensor on {device}", device=device),
                got=got,
            )


def expect_training(
    ctx: CheckContext, args: list[Any], text: Any, state: Any, data: dict[str, Any], ratio: float
) -> None:
    """The loss after the steps is below ``ratio`` times the first one, and a gradient
    reached every parameter at the first step."""
    answer = ask(ctx, args, "train", text, state=state, data=data)
    result = answer.get("result") or {}
    losses = result.get("losses") or []
    if not losses or not all(isinstance(v, float) and math.isfinite(v) for v in losses):
        ctx.fail("the loss is not finite", input=text, got=describe(losses))
    if not losses[-1] < ratio * losses[0]:
        ctx.fail(
            T(
                "{steps} steps of SGD did not lower the loss enough (to below {ratio} times "
                "the first)",
                steps=data["steps"],
                ratio=ratio,
            ),
            input=text,
            got=T("losses {losses}", losses=describe([round(v, 4) for v in losses])),
        )


# ---------------------------------------------------------------------------------------
# lenet
# ---------------------------------------------------------------------------------------
lenet = assignment.exercise("lenet")

LENET_SHAPES = [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5), (400,), (120,), (84,), (10,)]
LENET_PARAMETERS = [
    (6, 1, 5, 5),
    (6,),
    (16, 6, 5, 5),
    (16,),
    (120, 400),
    (120,),
    (84, 120),
    (84,),
    (10, 84),
    (10,),
]
# Fixed parameters, by shape (every LeNet parameter has a shape of its own), scaled like a
# default initialisation; the last layer small, so the first loss is near log(10).
LENET_STATE = [
    fixed(shape, 100 + i, scale)
    for i, (shape, scale) in enumerate(
        # Large enough that the sigmoids work away from their linear middle: an activation
        # and a pooling swapped (after either convolution) changes the logits by 4e-3 or more.
        zip(LENET_PARAMETERS, [0.2, 0.1, 0.3, 0.1, 0.15, 0.05, 0.3, 0.05, 0.5, 0.0])
    )
]
LENET_X = fixed((4, 1, 28, 28), 110).clamp(-2, 2) * 0.5 + 0.5
LENET_TEXT = "lenet() on X of shape (4, 1, 28, 28)"
LENET_HINT = (
    "d2l's LeNet, layer by layer: a 5x5 convolution to 6 channels with padding 2, sigmoid, "
    "2x2 average pooling with stride 2; a 5x5 convolution to 16 channels (no padding), "
    "sigmoid, the same pooling; flatten (16 * 5 * 5 = 400 features); linear layers to 120 "
    "and to 84, each followed by a sigmoid, and a last one to 10 with nothing after it."
)


def lenet_logits(
    X: torch.Tensor, state: list[torch.Tensor], relu: bool = False, max_pool: bool = False
) -> torch.Tensor:
    """d2l's LeNet with ``state``'s parameters, in torch's functional operations (or with
    ReLU activations, or max pooling: what a net that uses them gives)."""
    act = F.relu if relu else torch.sigmoid

    def pool(Y: torch.Tensor) -> torch.Tensor:
        return F.max_pool2d(Y, 2, 2) if max_pool else F.avg_pool2d(Y, 2, 2)

    w1, b1, w2, b2, w3, b3, w4, b4, w5, b5 = state
    Y = pool(act(F.conv2d(X, w1, b1, padding=2)))
    Y = pool(act(F.conv2d(Y, w2, b2))).flatten(1)
    Y = act(F.linear(Y, w3, b3))
    Y = act(F.linear(Y, w4, b4))
    return F.linear(Y, w5, b5)


@lenet.check(
    "each layer's output shape for (N, 1, 28, 28) images: 6x28x28, 6x14x14, 16x10x10, "
    "16x5x5, 400, 120, 84, 10",
    2,
    hint=LENET_HINT,
    contract="d2l's LeNet for `(N, 1, 28, 28)` images",
)
def _lenet_shapes(ctx: CheckContext) -> None:
    """An nn.Sequential of layers shows every shape.  A net of its own, seen through hooks on
    its layers, may pool or flatten with functions (F.avg_pool2d, X.view): what its layers
    show must then be LeNet's shapes in LeNet's order, ending with the 10 logits."""
    answer = ask(ctx, [], "layers", LENET_TEXT, X=LENET_X)
    report = answer.get("result") or {}
    got = shapes_of(report)
    if report.get("error"):
        ran = report.get("layers") or []
        failing = ran[-1]["layer"] if ran else {}
        before = got[-1] if got else None
        maps = next((shape for shape in reversed(got) if len(shape) == 3), None)
        if failing.get("type") == "Linear" and before is not None:
            flat = math.prod(before)
            inputs = failing.get("in_features")
            one_channel = maps is not None and maps[0] > 1 and inputs == flat // maps[0]
            ctx.fail(
                T(
                    "a linear layer takes in_features={inputs}, but what reaches it has "
                    "{flat} values per image{why}",
                    inputs=inputs,
                    flat=flat,
                    why=T(": it is sized for one channel, not {channels}", channels=maps[0])
                    if one_channel
                    else "",
                ),
                input=LENET_TEXT,
                got=report["error"],
                hint="the first linear layer takes every value of the flattened feature "
                "maps: nn.Linear(16 * 5 * 5, 120), 16 channels of 5x5.",
            )
        ctx.fail(
            T("the net fails on the images: {error}", error=report["error"]),
            input=LENET_TEXT,
            expected=describe(LENET_SHAPES),
            got=T("the shapes up to the failure: {shapes}", shapes=describe(got)),
        )
    if not follows(got, LENET_SHAPES) or not report.get("hooked") and got != LENET_SHAPES:
        ran = report.get("layers") or []
        alone = len(ran) == 1 and ran[0]["layer"].get("type") == answer.get("class")
        ctx.fail(
            "the layers' output shapes are not LeNet's",
            input=LENET_TEXT,
            expected=describe(LENET_SHAPES),
            got=describe(got),
            hint=T(
                "the net holds no registered layer: layers kept in a plain Python list are "
                "invisible to nn.Module (use nn.Sequential or nn.ModuleList). {hint}",
                hint=LENET_HINT,
            )
            if alone
            else LENET_HINT,
        )


@lenet.check(
    "61,706 parameters, in the shapes of d2l's layers",
    1,
    hint="two convolutions (6 filters of 1x5x5, 16 of 6x5x5, each with a bias) and three "
    "linear layers (400 -> 120 -> 84 -> 10): 156 + 2416 + 48120 + 10164 + 850 = 61706.",
    contract="61,706 parameters",
)
def _lenet_parameters(ctx: CheckContext) -> None:
    answer = ask(ctx, [], "layers", LENET_TEXT, X=LENET_X)
    shapes = sorted(tuple(shape) for _, shape in answer.get("parameters") or [])
    if answer.get("count") != 61706 or shapes != sorted(LENET_PARAMETERS):
        ctx.fail(
            T("lenet() has {count} parameters, not 61,706", count=answer.get("count")),
            input="lenet()",
            expected=describe(LENET_PARAMETERS),
            got=describe([tuple(shape) for _, shape in answer.get("parameters") or []]),
        )


def lenet_forward(ctx: CheckContext) -> dict[str, Any]:
    text = T("{call}, with fixed parameters", call=LENET_TEXT)
    answer = ask(ctx, [], "forward", text, X=LENET_X, state=LENET_STATE, mode="eval")
    if answer.get("unset"):
        ctx.fail(
            "could not load LeNet's parameters: their shapes are not those of d2l's layers",
            input=text,
            hint=LENET_HINT,
        )
    return answer


@lenet.check(
    "computes d2l's LeNet: sigmoid activations, average pooling (logits from fixed parameters)",
    2,
    hint=LENET_HINT,
    contract="`Conv2d(1, 6, 5, padding=2)`, sigmoid, `AvgPool2d(2, 2)`",
)
def _lenet_computes(ctx: CheckContext) -> None:
    """The output of the last linear layer (the logits, whatever comes after them: the
    next check judges that) against d2l's LeNet on the same parameters."""
    answer = lenet_forward(ctx)
    got = answer.get("last_linear")
    if got is None:
        got = answer.get("result")
    expected = lenet_logits(LENET_X, LENET_STATE)
    mine = values(got)
    if (
        mine is not None
        and mine.shape == expected.shape
        and not torch.allclose(mine, expected, rtol=1e-4, atol=1e-5)
    ):
        for message, wrong in (
            (
                T("the activations are ReLUs, not sigmoids"),
                lenet_logits(LENET_X, LENET_STATE, relu=True),
            ),
            (
                T("the pooling takes the maximum, not the average"),
                lenet_logits(LENET_X, LENET_STATE, max_pool=True),
            ),
        ):
            if torch.allclose(mine, wrong, rtol=1e-4, atol=1e-5):
                ctx.fail(
                    message,
                    input=T("{call}, with fixed parameters", call=LENET_TEXT),
                    expected=expected,
                    got=got,
                    hint="d2l's LeNet keeps LeCun's choices: nn.Sigmoid() after every "
                    "convolution and hidden linear layer, nn.AvgPool2d(kernel_size=2, "
                    "stride=2) after each convolution.",
                )
    expect_tensor(
        got,
        expected,
        input=T("{call}, with fixed parameters", call=LENET_TEXT),
        what="the last linear layer's output",
        rtol=1e-4,
        atol=1e-5,
    )


LOGITS_HINT = (
    "end with nn.Linear(84, 10) and nothing after it: the net returns logits, which may be "
    "negative; nn.CrossEntropyLoss applies the softmax itself."
)


@lenet.check(
    "returns logits: nothing after the last linear layer (no ReLU, sigmoid or softmax)",
    1,
    hint=LOGITS_HINT,
    contract="logits, no activation after the last layer",
)
def _lenet_logits(ctx: CheckContext) -> None:
    answer = lenet_forward(ctx)
    out, last = values(answer.get("result")), values(answer.get("last_linear"))
    text = T("{call}, with fixed parameters", call=LENET_TEXT)
    if out is None or last is None or out.shape != last.shape:
        ctx.fail(
            "the net's output is not the output of its last nn.Linear",
            input=text,
            got=answer.get("result"),
            hint=LOGITS_HINT,
        )
    if torch.equal(out, last):
        return
    for message, applied in (
        (T("a ReLU is applied to the logits: no output is negative"), F.relu(last)),
        (T("a softmax is applied to the logits: each row sums to 1"), F.softmax(last, dim=1)),
        (T("a sigmoid is applied to the logits: every output is in (0, 1)"), torch.sigmoid(last)),
        (T("a log-softmax is applied to the logits"), F.log_softmax(last, dim=1)),
    ):
        if torch.allclose(out, applied, rtol=1e-5, atol=1e-6):
            ctx.fail(message, input=text, expected=last, got=out, hint=LOGITS_HINT)
    ctx.fail(
        "the net's output is not the output of its last nn.Linear",
        input=text,
        expected=last,
        got=out,
        hint=LOGITS_HINT,
    )


def two_classes(n: int, size: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` images of ``size`` x ``size``: class 0 bright in the top half, class 1 in the
    bottom half, with noise."""
    X = torch.rand((n, 1, size, size), generator=torch.Generator().manual_seed(seed)) * 0.2
    y = torch.arange(n) % 2
    X[y == 0, :, : size // 2, :] += 0.8
    X[y == 1, :, size // 2 :, :] += 0.8
    return X, y


LENET_DATA = dict(zip(("X", "y"), two_classes(16, 28, 120))) | {"lr": 0.1, "steps": 5}


@lenet.check(
    "trains: 5 SGD steps on a small batch lower the cross-entropy",
    1,
    hint="every layer must be a registered sub-module (in nn.Sequential or an attribute; a "
    "plain Python list is not registered) and the forward pass differentiable, so the "
    "optimizer updates all of them.",
    contract="a few training steps on small data the check makes",
)
def _lenet_trains(ctx: CheckContext) -> None:
    """Deterministic: 16 images of two classes, the fixed parameters, SGD with lr 0.1.
    The reference's loss falls from 2.56 to 0.85 (a third); a correct net computes the same
    function, so it takes the same steps up to float32 rounding, far inside the threshold
    (below 0.6 times the first loss)."""
    text = T(
        "lenet() with fixed parameters, {steps} steps of SGD (lr={lr}) on 16 images of two classes",
        steps=LENET_DATA["steps"],
        lr=LENET_DATA["lr"],
    )
    expect_training(ctx, [], text, LENET_STATE, LENET_DATA, 0.6)


@lenet.check(
    "moves with .to(): the forward pass works on meta (and CUDA if present)",
    1,
    hidden=True,
    contract="A function works for tensors on any device",
)
def _lenet_moves(ctx: CheckContext) -> None:
    expect_moves(ctx, [], LENET_X, "lenet()")


# ---------------------------------------------------------------------------------------
# vgg_block
# ---------------------------------------------------------------------------------------
vgg_block = assignment.exercise("vgg_block")

VGG_HINT = (
    "num_convs 3x3 convolutions with padding 1 (the first from in_channels, the others from "
    "out_channels), each followed by a ReLU, then one 2x2 max pooling with stride 2, all in "
    "one nn.Sequential in that order."
)


def vgg_text(args: list[int], X: torch.Tensor) -> T:
    return T(
        "vgg_block({args}) on X of shape {shape}",
        args=", ".join(str(a) for a in args),
        shape=tuple(X.shape),
    )


@st.composite
def vgg_cases(draw: st.DrawFn) -> tuple[list[int], tuple[int, ...]]:
    num_convs, in_channels, out_channels = (
        draw(st.integers(1, 3)),
        draw(st.integers(1, 3)),
        draw(st.integers(1, 4)),
    )
    shape = (draw(st.integers(1, 2)), in_channels, draw(st.integers(2, 7)), draw(st.integers(2, 7)))
    return [num_convs, in_channels, out_channels], shape


@vgg_block.check(
    "the output is (N, out_channels, H // 2, W // 2) (generated sizes, odd ones included)",
    2,
    hint=VGG_HINT,
    contract="`(N, in_channels, H, W)` becomes `(N, out_channels, H // 2, W // 2)`",
)
def _vgg_shape(ctx: CheckContext) -> None:
    @ctx.given(vgg_cases(), max_examples=10)
    def _(case) -> None:
        args, shape = case
        X = fixed(shape, 200)
        text = vgg_text(args, X)
        report = ask(ctx, args, "layers", text, X=X).get("result") or {}
        n, _, h, w = shape
        expected = [n, args[2], h // 2, w // 2]
        got = report.get("output_shape")
        if report.get("error"):
            channels = "channels" in report["error"]
            ctx.fail(
                T("the block fails: {error}", error=report["error"]),
                input=text,
                expected=describe(tuple(expected)),
                hint=T(
                    "Only the first convolution takes in_channels; after it the channels are "
                    "out_channels (set in_channels = out_channels in the loop). {hint}",
                    hint=VGG_HINT,
                )
                if channels
                else VGG_HINT,
            )
        if got != expected:
            hint = VGG_HINT
            if got is not None and got[2:] == [h, w]:
                hint = T(
                    "the height and width did not halve: end the block with "
                    "nn.MaxPool2d(kernel_size=2, stride=2). {hint}",
                    hint=VGG_HINT,
                )
            ctx.fail(
                "the block's output has the wrong shape",
                input=text,
                expected=describe(tuple(expected)),
                got=describe(None if got is None else tuple(got)),
                hint=hint,
            )


VGG_ARGS = [3, 2, 4]
VGG_X = fixed((2, 2, 7, 6), 210)


@vgg_block.check(
    "an nn.Sequential of num_convs x (Conv2d 3x3 with padding 1, ReLU), first from "
    "in_channels, then MaxPool2d(2, 2)",
    2,
    hint=VGG_HINT,
    contract=(
        "an `nn.Sequential` of `num_convs` 3x3 convolutions with padding 1, each followed "
        "by a ReLU (the first from `in_channels`), then `MaxPool2d(2, 2)`"
    ),
)
def _vgg_layers(ctx: CheckContext) -> None:
    text = vgg_text(VGG_ARGS, VGG_X)
    answer = ask(ctx, VGG_ARGS, "layers", text, X=VGG_X)
    if not answer.get("sequential"):
        ctx.fail(
            T("vgg_block returned a {kind}, not an nn.Sequential", kind=answer.get("class")),
            input=text,
        )
    layers = answer.get("modules") or []
    num_convs, in_channels, out_channels = VGG_ARGS
    wanted: list[dict[str, Any]] = []
    for index in range(num_convs):
        wanted.append(
            {
                "type": "Conv2d",
                "in_channels": in_channels if index == 0 else out_channels,
                "out_channels": out_channels,
                "kernel_size": [3, 3],
                "stride": [1, 1],
                "padding": [1, 1],
                "bias": True,
            }
        )
        wanted.append({"type": "ReLU"})
    wanted.append({"type": "MaxPool2d", "kernel_size": 2, "stride": 2, "padding": 0})
    if layers == wanted:
        return
    ctx.fail(
        "the block's layers are not num_convs x (3x3 convolution, ReLU), then 2x2 max pooling",
        input=text,
        expected=join([layer_name(layer) for layer in wanted]),
        got=join([layer_name(layer) for layer in layers]),
        hint=T("{what} {hint}", what=vgg_difference(layers, wanted), hint=VGG_HINT),
    )


def vgg_difference(layers: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> T:
    """What is wrong with a VGG block's layers, in a sentence."""
    convs = [layer for layer in layers if layer.get("type") == "Conv2d"]
    wanted_convs = [layer for layer in wanted if layer.get("type") == "Conv2d"]
    if not layers or layers[-1].get("type") != "MaxPool2d":
        return T(
            "The block must end with nn.MaxPool2d(kernel_size=2, stride=2): it halves the "
            "height and width."
        )
    if len(convs) == len(wanted_convs):
        for setting, sentence in (
            (
                "in_channels",
                T(
                    "Only the first convolution takes in_channels; after it the channels are "
                    "out_channels (set in_channels = out_channels in the loop)."
                ),
            ),
            ("padding", T("padding=1 keeps the height and width through a 3x3 convolution.")),
            ("bias", T("The convolutions keep nn.Conv2d's default bias.")),
        ):
            if any(c.get(setting) != w[setting] for c, w in zip(convs, wanted_convs)):
                return sentence
    if sum(layer.get("type") == "ReLU" for layer in layers) != len(wanted_convs):
        return T("A ReLU follows every convolution.")
    if sum(layer.get("type") == "MaxPool2d" for layer in layers) != 1:
        return T("One pooling layer, at the end of the block, not one after every convolution.")
    return T("Compare the layers one by one.")


def vgg_convolutions(parameters: dict[str, torch.Tensor]) -> list[tuple[torch.Tensor, Any]]:
    """(weight, bias or None) of each convolution, in order, from the block's parameters
    (empty if they are not a chain of weights, each with at most one bias)."""
    convs: list[tuple[torch.Tensor, Any]] = []
    for value in parameters.values():
        if value.dim() == 4:
            convs.append((value, None))
        elif (
            value.dim() == 1
            and convs
            and convs[-1][1] is None
            and value.shape[0] == convs[-1][0].shape[0]
        ):
            convs[-1] = (convs[-1][0], value)
        else:
            return []
    return convs


def vgg_expected(
    parameters: dict[str, torch.Tensor], X: torch.Tensor, pool: Any = F.max_pool2d
) -> torch.Tensor | None:
    """relu(conv) for each convolution's weight (and bias), in order, then the pooling."""
    convs = vgg_convolutions(parameters)
    if not convs:
        return None
    Y = X
    for weight, bias in convs:
        if weight.shape[1] != Y.shape[1] or weight.shape[2:] != (3, 3):
            return None
        Y = F.relu(F.conv2d(Y, weight, bias, padding=1))
    return pool(Y, 2, 2)


@vgg_block.check(
    "computes relu(conv(X)) for each convolution with its own parameters, then the maximum "
    "of each 2x2 window",
    2,
    hint=VGG_HINT,
    contract="the forward pass from fixed parameters (compared with torch's functional operations)",
)
def _vgg_computes(ctx: CheckContext) -> None:
    text = vgg_text(VGG_ARGS, VGG_X)
    parameters = ask(ctx, VGG_ARGS, "parameters", text).get("result") or {}
    own = {name: values(value) for name, value in parameters.items()}
    if any(v is None for v in own.values()):
        ctx.fail("the probe's report could not be read", input=text)
    expected = vgg_expected(own, VGG_X)
    if expected is None:
        ctx.fail(
            "the block's parameters are not those of a chain of 3x3 convolutions from in_channels",
            input=text,
            got=describe({name: tuple(v.shape) for name, v in own.items()}),
            hint=VGG_HINT,
        )
    got = ask(ctx, VGG_ARGS, "forward", text, X=VGG_X).get("result")
    mine = values(got)
    if (
        mine is not None
        and mine.shape == expected.shape
        and not torch.allclose(mine, expected, rtol=1e-4, atol=1e-5)
    ):
        averaged = vgg_expected(own, VGG_X, F.avg_pool2d)
        if averaged is not None and torch.allclose(mine, averaged, rtol=1e-4, atol=1e-5):
            ctx.fail(
                "the pooling takes the average, not the maximum",
                input=text,
                expected=expected,
                got=got,
                hint="VGG pools with nn.MaxPool2d(kernel_size=2, stride=2).",
            )
    expect_tensor(got, expected, input=text, what="the block's output", rtol=1e-4, atol=1e-5)


@vgg_block.check(
    "raises ValueError if num_convs < 1",
    1,
    hint="if num_convs < 1: raise ValueError(...): a block of no convolution would be a lone "
    "pooling layer.",
    contract="`ValueError` if `num_convs < 1`.",
)
def _vgg_errors(ctx: CheckContext) -> None:
    for num_convs in (0, -1):
        expect_raises(ctx, [num_convs, 3, 8], T("vgg_block({n}, 3, 8)", n=num_convs))


@vgg_block.check(
    "the parameters of num_convs 3x3 convolutions with bias",
    1,
    hidden=True,
    hint="in_channels * out_channels * 9 + out_channels for the first convolution, "
    "out_channels * out_channels * 9 + out_channels for each other one.",
    contract="convolutions keep their default bias",
)
def _vgg_count(ctx: CheckContext) -> None:
    args = [2, 3, 5]
    X = fixed((1, 3, 4, 4), 220)
    answer = ask(ctx, args, "layers", vgg_text(args, X), X=X)
    wanted = (3 * 5 * 9 + 5) + (5 * 5 * 9 + 5)
    if answer.get("count") != wanted:
        ctx.fail(
            T(
                "the block has {count} parameters, not {wanted}",
                count=answer.get("count"),
                wanted=wanted,
            ),
            input=vgg_text(args, X),
            got=describe(answer.get("parameters")),
        )


# ---------------------------------------------------------------------------------------
# Residual
# ---------------------------------------------------------------------------------------
Residual = assignment.exercise("Residual")

RESIDUAL_HINT = (
    "the main path is conv1, bn1, ReLU, conv2, bn2; the shortcut is X itself, or conv3(X) "
    "when conv3 is set; the block returns the ReLU of their sum (no ReLU on the main path "
    "after bn2)."
)
CONFIGS = {
    "identity": [3, 3, False, 1],
    "channels": [3, 6, True, 1],
    "strided": [3, 6, True, 2],
    "same_channels_strided": [4, 4, True, 2],
}


def residual_text(args: list[Any], X: torch.Tensor | None = None) -> T:
    call = T(
        "Residual({i}, {o}, use_1x1conv={u}, stride={s})",
        i=args[0],
        o=args[1],
        u=args[2],
        s=args[3],
    )
    if X is None:
        return call
    return T("{call} on X of shape {shape}", call=call, shape=tuple(X.shape))


def residual_state(args: list[Any], seed: int) -> dict[str, torch.Tensor]:
    """Fixed parameters for the block, by d2l's names."""
    i, o, use_1x1conv, _ = args
    state = {
        "conv1.weight": fixed((o, i, 3, 3), seed, 0.3),
        "conv1.bias": fixed((o,), seed + 1, 0.1),
        "conv2.weight": fixed((o, o, 3, 3), seed + 2, 0.3),
        "conv2.bias": fixed((o,), seed + 3, 0.1),
        "bn1.weight": 1 + fixed((o,), seed + 4, 0.2),
        "bn1.bias": fixed((o,), seed + 5, 0.2),
        "bn2.weight": 1 + fixed((o,), seed + 6, 0.2),
        "bn2.bias": fixed((o,), seed + 7, 0.2),
    }
    if use_1x1conv:
        state["conv3.weight"] = fixed((o, i, 1, 1), seed + 8, 0.5)
        state["conv3.bias"] = fixed((o,), seed + 9, 0.1)
    return state


def residual_expected(
    args: list[Any],
    state: dict[str, torch.Tensor],
    X: torch.Tensor,
    training: bool,
    variant: str = "",
) -> torch.Tensor:
    """The block with ``state``, in functional operations (a fresh block's running
    statistics in evaluation: mean 0, variance 1); ``variant`` gives a known wrong block."""
    stride = args[3]
    channels = args[1]

    def norm(Y: torch.Tensor, name: str) -> torch.Tensor:
        mean, var = torch.zeros(channels), torch.ones(channels)
        return F.batch_norm(
            Y, mean, var, state[f"{name}.weight"], state[f"{name}.bias"], training, 0.1, 1e-5
        )

    Y = F.relu(norm(F.conv2d(X, state["conv1.weight"], state["conv1.bias"], stride, 1), "bn1"))
    Y = norm(F.conv2d(Y, state["conv2.weight"], state["conv2.bias"], 1, 1), "bn2")
    skip = X
    if "conv3.weight" in state:
        skip = F.conv2d(X, state["conv3.weight"], state["conv3.bias"], stride)
    if variant == "relu_before_sum":
        return F.relu(F.relu(Y) + skip)
    if variant == "no_skip":
        return F.relu(Y)
    if variant == "no_final_relu":
        return Y + skip
    return F.relu(Y + skip)


def residual_output_shape(args: list[Any], shape: tuple[int, ...]) -> list[int]:
    n, _, h, w = shape
    stride = args[3]
    return [n, args[1], (h - 1) // stride + 1, (w - 1) // stride + 1]


RESIDUAL_X = {
    name: fixed((2, args[0], 5, 7), 300 + k) for k, (name, args) in enumerate(CONFIGS.items())
}


@Residual.check(
    "the output is (N, out_channels, (H - 1) // stride + 1, (W - 1) // stride + 1): identity "
    "and 1x1 shortcuts, stride 1 and 2",
    2,
    hint=RESIDUAL_HINT,
    contract="every layer's output shape",
)
def _residual_shape(ctx: CheckContext) -> None:
    for name, args in CONFIGS.items():
        X = RESIDUAL_X[name]
        text = residual_text(args, X)
        report = ask(ctx, args, "layers", text, X=X).get("result") or {}
        expected = residual_output_shape(args, tuple(X.shape))
        if report.get("error"):
            ctx.fail(
                T("the block fails: {error}", error=report["error"]),
                input=text,
                expected=describe(tuple(expected)),
                hint=T(
                    "with use_1x1conv the shortcut is conv3(X), a 1x1 convolution from "
                    "in_channels to out_channels with the block's stride, so that it has Y's "
                    "shape. {hint}",
                    hint=RESIDUAL_HINT,
                ),
            )
        got = report.get("output_shape")
        if got != expected:
            ctx.fail(
                "the block's output has the wrong shape",
                input=text,
                expected=describe(tuple(expected)),
                got=describe(None if got is None else tuple(got)),
            )


def wanted_attributes(args: list[Any]) -> dict[str, Any]:
    i, o, use_1x1conv, stride = args
    conv = {"type": "Conv2d", "kernel_size": [3, 3], "padding": [1, 1], "bias": True}
    attributes: dict[str, Any] = {
        "conv1": conv | {"in_channels": i, "out_channels": o, "stride": [stride, stride]},
        "bn1": {"type": "BatchNorm2d", "num_features": o},
        "conv2": conv | {"in_channels": o, "out_channels": o, "stride": [1, 1]},
        "bn2": {"type": "BatchNorm2d", "num_features": o},
        "conv3": "None",
    }
    if use_1x1conv:
        attributes["conv3"] = {
            "type": "Conv2d",
            "in_channels": i,
            "out_channels": o,
            "kernel_size": [1, 1],
            "stride": [stride, stride],
            "padding": [0, 0],
            "bias": True,
        }
    return attributes


@Residual.check(
    "layers named as d2l's: conv1 (3x3, padding 1, stride), bn1, conv2 (3x3, padding 1), bn2, "
    "and conv3 a 1x1 convolution with the stride, or None",
    2,
    hint="conv1: a 3x3 convolution from in_channels to out_channels with padding 1 and the "
    "block's stride; conv2: 3x3 from out_channels to out_channels with padding 1; bn1 and "
    "bn2: batch norms over out_channels; conv3: a 1x1 convolution from in_channels to "
    "out_channels with the stride when use_1x1conv, else None.",
    contract="`conv1` (3x3, padding 1, `stride`), `bn1`, ReLU, `conv2` (3x3, padding 1), `bn2`",
)
def _residual_layers(ctx: CheckContext) -> None:
    for name in ("identity", "strided"):
        args = CONFIGS[name]
        text = residual_text(args)
        answer = ask(ctx, args, "layers", text, X=RESIDUAL_X[name])
        got = answer.get("attributes") or {}
        for attribute, wanted in wanted_attributes(args).items():
            mine = got.get(attribute)
            if isinstance(wanted, dict) and isinstance(mine, dict):
                mine = {k: v for k, v in mine.items() if k in wanted}
            if mine != wanted:
                ctx.fail(
                    T("the block has no attribute {attribute}", attribute=attribute)
                    if attribute not in got
                    else T("{attribute} is not what d2l's block has", attribute=attribute),
                    input=text,
                    expected=layer_name(wanted) if isinstance(wanted, dict) else wanted,
                    got=layer_name(mine) if isinstance(mine, dict) else describe(mine),
                )


@Residual.check(
    "computes relu(bn2(conv2(relu(bn1(conv1(X))))) + shortcut) in training and evaluation "
    "mode (fixed parameters)",
    2,
    hint=RESIDUAL_HINT,
    contract="then the ReLU of the sum",
)
def _residual_computes(ctx: CheckContext) -> None:
    for name in ("identity", "strided"):
        args = CONFIGS[name]
        X = RESIDUAL_X[name]
        state = residual_state(args, 310)
        for mode in ("train", "eval"):
            text = T(
                "{call}, fixed parameters, {mode} mode", call=residual_text(args, X), mode=mode
            )
            answer = ask(ctx, args, "forward", text, X=X, state=state, mode=mode)
            if answer.get("unset"):
                ctx.fail(
                    T("could not load the parameters {names}", names=answer["unset"]),
                    input=text,
                    hint="name the layers conv1, bn1, conv2, bn2 (and conv3 with the 1x1 "
                    "convolution), as d2l does.",
                )
            expected = residual_expected(args, state, X, mode == "train")
            got = answer.get("result")
            mine = values(got)
            if (
                mine is not None
                and mine.shape == expected.shape
                and not torch.allclose(mine, expected, rtol=1e-4, atol=1e-5)
            ):
                for variant, message, hint in (
                    (
                        "relu_before_sum",
                        T(
                            "the ReLU is applied to the main path before the sum: "
                            "relu(relu(Y) + shortcut)"
                        ),
                        T(
                            "add first, then apply the ReLU once: F.relu(Y + X). A ReLU on Y "
                            "before the sum means the block can never subtract from its input."
                        ),
                    ),
                    (
                        "no_shortcut",
                        T("the shortcut is not added: the output is relu(Y)"),
                        T(
                            "return F.relu(Y + X), with X = self.conv3(X) when there is a 1x1 "
                            "convolution."
                        ),
                    ),
                    (
                        "no_final_relu",
                        T("there is no ReLU after the sum"),
                        T("return F.relu(Y + X): the block ends with a ReLU of the sum."),
                    ),
                ):
                    wrong = residual_expected(args, state, X, mode == "train", variant)
                    if torch.allclose(mine, wrong, rtol=1e-4, atol=1e-5):
                        ctx.fail(message, input=text, expected=expected, got=got, hint=hint)
            expect_tensor(
                got, expected, input=text, what="the block's output", rtol=1e-4, atol=1e-5
            )


@Residual.check(
    "raises ValueError when the shortcut cannot be added (channels or size change without "
    "use_1x1conv)",
    1,
    hint="in __init__: if not use_1x1conv and (in_channels != out_channels or stride != 1): "
    "raise ValueError(...). Without the 1x1 convolution X keeps its channels and size, so "
    "Y + X cannot be computed.",
    contract="`ValueError` at construction when the shortcut could not be added.",
)
def _residual_errors(ctx: CheckContext) -> None:
    for args in ([3, 6, False, 1], [3, 3, False, 2], [4, 8, False, 2]):
        expect_raises(ctx, args, residual_text(args))


RESIDUAL_TRAIN = [1, 4, True, 2]
RESIDUAL_DATA = dict(zip(("X", "y"), two_classes(8, 6, 320))) | {
    "lr": 0.3,
    "steps": 5,
    "head": "pool",
    "head_state": {"weight": fixed((2, 4), 321, 0.5), "bias": torch.zeros(2)},
}


@Residual.check(
    "trains: gradients reach every layer and 5 SGD steps on a small batch lower the loss",
    1,
    hint="use every layer in forward (conv1, bn1, conv2, bn2 and conv3 when there is one) "
    "with differentiable operations, so that the optimizer updates them all.",
    contract="a few training steps on small data the check makes",
)
def _residual_trains(ctx: CheckContext) -> None:
    """Deterministic: the block with fixed parameters, then average pooling, flatten and a
    fixed linear layer to 2 classes; 8 images; SGD with lr 0.3.  The reference's loss falls
    from 0.71 to 0.25 (a third); a correct block takes the same steps up to float32 rounding,
    far inside the threshold (below 0.7 times the first loss)."""
    args = RESIDUAL_TRAIN
    text = T(
        "{call} with fixed parameters, then average pooling and a linear layer; {steps} "
        "steps of SGD (lr={lr}) on 8 images of two classes",
        call=residual_text(args),
        steps=RESIDUAL_DATA["steps"],
        lr=RESIDUAL_DATA["lr"],
    )
    state = residual_state(args, 330)
    answer = ask(ctx, args, "train", text, state=state, data=RESIDUAL_DATA)
    reached = set((answer.get("result") or {}).get("reached") or [])
    missing = sorted(set(state) - reached)
    if missing:
        ctx.fail(
            T("no gradient reached {names}", names=missing),
            input=text,
            hint="every layer must take part in forward: a layer built in __init__ but not "
            "used (bn2 skipped, the shortcut's conv3 ignored) never learns.",
        )
    expect_training(ctx, args, text, state, RESIDUAL_DATA, 0.7)


@Residual.check(
    "moves with .to(): the forward pass works on meta (and CUDA if present)",
    1,
    contract="A function works for tensors on any device",
)
def _residual_moves(ctx: CheckContext) -> None:
    args = CONFIGS["strided"]
    expect_moves(ctx, args, RESIDUAL_X["strided"], residual_text(args))


@Residual.check(
    "the parameters of d2l's block: two 3x3 convolutions, two batch norms, the 1x1 convolution",
    1,
    hidden=True,
    hint="conv1: in * out * 9 + out, conv2: out * out * 9 + out, bn1 and bn2: 2 * out each, "
    "conv3: in * out + out.",
    contract="the parameter count",
)
def _residual_count(ctx: CheckContext) -> None:
    args = CONFIGS["strided"]
    i, o = args[0], args[1]
    wanted = (i * o * 9 + o) + (o * o * 9 + o) + 4 * o + (i * o + o)
    answer = ask(ctx, args, "layers", residual_text(args), X=RESIDUAL_X["strided"])
    if answer.get("count") != wanted:
        ctx.fail(
            T(
                "the block has {count} parameters, not {wanted}",
                count=answer.get("count"),
                wanted=wanted,
            ),
            input=residual_text(args),
            got=describe(answer.get("parameters")),
        )
