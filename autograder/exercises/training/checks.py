"""Checks for ``training.py``: train_epoch, evaluate_accuracy, train.

A training loop is graded by what it does.  The runner builds a small net, an SGD optimizer
and deterministic batches from data sent by the judge (this folder's ``probes.py``), runs
the student's function on them and reports the parameters afterwards, the returned values
and what a recorder saw at every forward pass and loss call.  The judge runs the same probe
in-process with the reference and compares.  Known mistakes are recognised, so the feedback
names the likely cause: a loop without ``zero_grad`` (or stopping after the first batch) by
replaying it on the same data; ``loss.backward`` without parentheses, ``step`` before
``backward`` or ``zero_grad`` between ``backward`` and ``step`` by parameters that never
moved (or autograd's in-place error); averaging batch means by recomputing the averages
from the student's own per-batch losses.

``train`` is graded with stand-ins for ``train_epoch`` and ``evaluate_accuracy`` (declared
below; :mod:`autograder.grading.lending`): doubles that give the reference's results and
parameter updates to the calls the reference's ``train`` makes on the check's inputs, so a
mistake in a helper costs points there only, in the grade of record and in the kit alike.
They log what they were given: the hidden device check reads it.

Devices without a GPU: the net sits on ``meta`` while the batches come from the CPU, and the
recorder notes where each batch reaches the net and the loss (see the probe's docstring);
with a GPU the whole comparison also runs with the net on CUDA.

Nothing here is random at grading time: weights and batches come from fixed seeds, and the
real-data check uses a seeded loader, so the same submission always gets the same score.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import torch
from torch import nn

from autograder import data
from autograder.exercises.training import probes
from autograder.grading.context import CheckContext, describe, raised_classes
from autograder.grading.expect import as_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import cuda_available
from autograder.grading.registry import probe_name
from autograder.grading.truth import AnswerMissing
from autograder.i18n import T, join, phrase

assignment = Assignment("training")

PROBE = probe_name("training", "loop")
# Generous: a fresh runner pays torch's one-time imports (torch._dynamo, several seconds on
# a busy machine) in its first training call.  A loop that hangs is stopped after this long.
CALL_TIMEOUT = 30.0
REAL_DATA_PROBE = probe_name("training", "fit_real_data")

STEP_HINT = (
    "one training step, in this order: the forward pass, the batch's loss, the optimizer's "
    "zero_grad, backward from the loss, the optimizer's step."
)

# ---------------------------------------------------------------------------------------
# Fixed nets and batches
# ---------------------------------------------------------------------------------------
MLP = {"sizes": [12, 6, 4]}
DROPOUT_MLP = {"sizes": [12, 6, 4], "dropout": 0.5}
SGD = {"lr": 0.5}
TRAIN_SIZES = (8, 8, 8, 5)  # a smaller last batch
TEST_SIZES = (7, 7, 3)


def initial_state(spec: dict[str, Any], seed: int) -> dict[str, torch.Tensor]:
    """The weights every run of a check starts from (PyTorch's default init, seeded)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = probes.build_net(spec)
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


def make_batches(sizes: tuple[int, ...], seed: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Batches of ``(X, y)``: ``X`` of shape ``(n, 3, 4)``, 4 classes that a small net can
    learn (``y`` is the argmax of a fixed linear map of ``X``, one label in five random)."""
    generator = torch.Generator().manual_seed(seed)
    teacher = torch.randn(12, 4, generator=torch.Generator().manual_seed(1234))
    batches = []
    for n in sizes:
        X = torch.randn(n, 3, 4, generator=generator)
        y = (X.reshape(n, 12) @ teacher).argmax(dim=1)
        noise = torch.rand(n, generator=generator) < 0.2
        y = torch.where(noise, torch.randint(0, 4, (n,), generator=generator), y)
        batches.append((X, y))
    return batches


def net_text(spec: dict[str, Any]) -> str:
    sizes = spec["sizes"]
    layers = ["Flatten()"]
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        if i:
            layers.append("ReLU()")
            if spec.get("dropout"):
                layers.append(f"Dropout({spec['dropout']})")
        layers.append(f"Linear({a}, {b})")
    return f"nn.Sequential({', '.join(layers)})"


def batches_text(batches: list[tuple[torch.Tensor, torch.Tensor]]) -> str:
    if not batches:
        return "an empty iterator"
    sizes = [len(y) for _, y in batches]
    return f"{len(batches)} batches (X of shape (n, 3, 4), y int64) of sizes {sizes}"


def optimizer_text(spec: dict[str, Any]) -> str:
    extra = "".join(f", {k}={v}" for k, v in spec.items() if k != "lr")
    return f"torch.optim.SGD(net.parameters(), lr={spec['lr']}{extra})"


def call_text(function: str, options: dict[str, Any]) -> str:
    """How a probe run is shown to the student."""
    where = options.get("net_device", "cpu")
    parts = [f"net={net_text(options['net'])} on {where}"]
    if function in ("train_epoch", "train"):
        parts.append(f"train_iter={batches_text(options.get('train', []))}")
    if function in ("evaluate_accuracy", "train"):
        key = "data_iter" if function == "evaluate_accuracy" else "test_iter"
        parts.append(f"{key}={batches_text(options.get('test', []))}")
    if function in ("train_epoch", "train"):
        parts.append("loss=nn.CrossEntropyLoss()")
    if function == "train":
        parts.append(f"num_epochs={options.get('num_epochs', 1)}")
    if function in ("train_epoch", "train"):
        parts.append(f"optimizer={optimizer_text(options['optimizer'])}")
    if options.get("pass_device"):
        parts.append(f"device={options.get('device')!r}")
    text = f"{function}({', '.join(parts)})"
    if "training" in options:  # the mode checks start from the other mode
        text += f" with the net in {'training' if options['training'] else 'evaluation'} mode"
    return text


def options_for(function: str, **overrides: Any) -> dict[str, Any]:
    """The probe options of a standard run of ``function``, with ``overrides``."""
    spec = overrides.pop("net", MLP)
    options: dict[str, Any] = {
        "task": function,
        "net": spec,
        "state": initial_state(spec, seed=0),
        "train": make_batches(TRAIN_SIZES, seed=1) if function != "evaluate_accuracy" else [],
        "test": make_batches(TEST_SIZES, seed=2) if function != "train_epoch" else [],
    }
    if function != "evaluate_accuracy":
        options["optimizer"] = SGD
    options.update(overrides)
    return options


# ---------------------------------------------------------------------------------------
# Running the student (runner) and the reference (in-process)
# ---------------------------------------------------------------------------------------
DEVICE_TYPO_HINT = (
    "that is not a device PyTorch knows: 'cuda:0' (not 'cida:0'), 'cpu' or 'meta'. With "
    "device=None use the net's own device: next(net.parameters()).device."
)
STEP_FIRST_HINT = T(
    "optimizer.step() changed the weights in place before l.backward() used them: "
    "backpropagate first, then step. {step_hint}",
    step_hint=phrase(STEP_HINT),
)


def failure_hint(outcome: Any) -> str | None:
    """A hint for exceptions with a known cause (the seed's device typo, step first)."""
    message = str((outcome.raised or {}).get("message", ""))
    if "device string" in message:
        return phrase(DEVICE_TYPO_HINT)
    if "modified by an inplace operation" in message:
        return STEP_FIRST_HINT
    return None


def student_run(ctx: CheckContext, options: dict[str, Any], timeout: float = CALL_TIMEOUT):
    """The probe's report on the student's function; fails the check if it raised."""
    text = call_text(ctx.function, options)
    outcome = ctx.run(probe=PROBE, options=options, timeout=timeout)
    if not outcome.ok:
        ctx.fail(
            T(
                "{function} did not return a value: {reason}",
                function=ctx.function,
                reason=outcome.describe_failure(),
            ),
            input=text,
            hint=failure_hint(outcome),
        )
    if not isinstance(outcome.value, dict) or "result" not in outcome.value:
        ctx.fail("the runner's answer could not be read", input=text)
    return outcome.value


def forward_passes(ctx: CheckContext, **overrides: Any) -> tuple[list[dict[str, Any]], str]:
    """What the recorder saw at every forward pass of a run (the check fails if none)."""
    options = options_for(ctx.function, **overrides)
    text = call_text(ctx.function, options)
    forwards = student_run(ctx, options).get("forwards") or []
    if not forwards:
        ctx.fail(T("{function} never called the net", function=ctx.function), input=text)
    return forwards, text


def reference_run(ctx: CheckContext, options: dict[str, Any]) -> dict[str, Any]:
    """The same probe with the reference solution, in the judge, seeded like the runner (in
    the student kit: the answer recorded from the reference when the kit was built)."""

    def run() -> dict[str, Any]:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            return probes.loop(ctx.reference_function, **options)

    return ctx.truth.answer(("loop", ctx.function, options), run)


def reference_reach(ctx: CheckContext, options: dict[str, Any], dataset: str, root: Any) -> float:
    """The held-out accuracy the reference's ``train_epoch`` reaches with these settings."""

    def run() -> float:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            reference = probes.fit_real_data(ctx.reference_function, **options)
        return held_out_accuracy(reference["state"], dataset, root)

    return ctx.truth.answer(("fit_real_data", options), run)


def state_differs(got: Any, expected: dict[str, torch.Tensor], rtol: float, atol: float) -> bool:
    if not isinstance(got, dict) or set(got) != set(expected):
        return True
    for key, want in expected.items():
        values = as_tensor(got[key])
        if values is None or values.shape != want.shape:
            return True
        if not torch.allclose(values.to(want.dtype), want, rtol=rtol, atol=atol):
            return True
    return False


def largest_change(got: dict[str, Any], expected: dict[str, torch.Tensor]) -> str:
    worst, where = -1.0, ""
    for key, want in expected.items():
        values = as_tensor(got.get(key))
        if values is None or values.shape != want.shape:
            return f"{key}: {describe(got.get(key), 200)}"
        gap = float((values.to(want.dtype) - want).abs().max()) if want.numel() else 0.0
        if gap > worst:
            worst, where = gap, key
    return T("largest difference {gap} in {where}", gap=f"{worst:.3g}", where=repr(where))


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def close(a: float, b: float, rtol: float = 1e-5, atol: float = 1e-7) -> bool:
    return math.isfinite(a) and abs(a - b) <= atol + rtol * abs(b)


NUMBER_HINT = (
    "return Python floats: l.item() for the loss, and divide counts that are "
    "Python ints. Adding up tensors instead keeps every batch's autograd graph alive."
)


# ---------------------------------------------------------------------------------------
# Replaying known mistakes, to name the likely cause of a wrong result
# ---------------------------------------------------------------------------------------
def replay(options: dict[str, Any], mistake: str) -> dict[str, torch.Tensor]:
    """The parameters after one epoch of a loop that makes ``mistake``."""
    net = probes.build_net(options["net"], options["state"])
    net.train()
    optimizer = probes.build_optimizer(net, options["optimizer"])
    loss = nn.CrossEntropyLoss()
    batches = options["train"][:1] if mistake == "first batch only" else options["train"]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        for X, y in batches:
            batch_loss = loss(net(X), y)
            if mistake != "no zero_grad":
                optimizer.zero_grad()
            batch_loss.backward()
            optimizer.step()
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


MISTAKES = {
    "no zero_grad": phrase(
        "The parameters match a loop that never clears the gradients: backward() *adds* "
        "into p.grad, so without optimizer.zero_grad() in every batch each step uses the sum "
        "of all gradients so far. Call optimizer.zero_grad() inside the loop, before "
        "l.backward()."
    ),
    "first batch only": phrase(
        "The parameters match one step on the first batch only: is the return statement "
        "inside the for loop?"
    ),
}

UNCHANGED = (
    "The parameters did not change at all: no gradient reached optimizer.step(). "
    "`loss.backward` without parentheses only names the method and does nothing (write "
    "l.backward()); optimizer.step() right after optimizer.zero_grad(), before "
    "l.backward(), has no gradients to step with; optimizer.zero_grad() between "
    "l.backward() and optimizer.step() erases them before they are used."
)


def diagnose_parameters(options: dict[str, Any], got: dict[str, Any]) -> str:
    if not state_differs(got, options["state"], rtol=0, atol=0):
        return phrase(UNCHANGED)
    for mistake, message in MISTAKES.items():
        if not state_differs(got, replay(options, mistake), rtol=1e-5, atol=1e-6):
            return message
    return T(
        "The parameters after one epoch differ from the reference's. {step_hint}",
        step_hint=phrase(STEP_HINT),
    )


def diagnose_averages(losses: list[dict[str, Any]], got: tuple[float, float]) -> str:
    """Name the averaging mistake that gives ``got`` from the per-batch values."""
    entries = [e for e in losses if "value" in e and e["size"]]
    values = [e["value"] for e in entries]
    sizes = [e["size"] for e in entries]
    correct = [e["correct"] for e in entries]
    n, batches = sum(sizes), len(entries)
    right = (sum(v * s for v, s in zip(values, sizes)) / n, sum(correct) / n)
    loss_mistakes = {
        phrase("the mean of the batch means"): sum(values) / batches,
        phrase("the sum of the batch means divided by the number of examples"): sum(values) / n,
        phrase("the total loss, not divided by the number of examples"): sum(
            v * s for v, s in zip(values, sizes)
        ),
        phrase("divided by (number of batches x first batch size)"): sum(
            v * s for v, s in zip(values, sizes)
        )
        / (batches * sizes[0]),
    }
    acc_mistakes = {
        phrase("the mean of the per-batch accuracies"): sum(c / s for c, s in zip(correct, sizes))
        / batches,
        phrase("the number of correct predictions, not divided by the number of examples"): sum(
            correct
        ),
        phrase("divided by the number of batches"): sum(correct) / batches,
        phrase("divided by (number of batches x first batch size)"): sum(correct)
        / (batches * sizes[0]),
    }
    loss_found = accuracy_found = None
    for what, value in loss_mistakes.items():
        if not close(got[0], right[0]) and close(got[0], value, rtol=1e-5, atol=1e-9):
            loss_found = what
            break
    for what, value in acc_mistakes.items():
        if not close(got[1], right[1], 1e-9, 1e-12) and close(got[1], value, 1e-6, 1e-9):
            accuracy_found = what
            break
    advice = phrase(
        "loss returns the batch *mean*: add l.item() * len(y) per batch and the number of "
        "correct predictions, then divide both totals by the number of examples, so that a "
        "smaller last batch counts by its size."
    )
    if loss_found and accuracy_found:
        return T(
            "It looks like the mean loss is {loss_mistake} and the accuracy is "
            "{accuracy_mistake}. {advice}",
            loss_mistake=loss_found,
            accuracy_mistake=accuracy_found,
            advice=advice,
        )
    if loss_found:
        return T(
            "It looks like the mean loss is {loss_mistake}. {advice}",
            loss_mistake=loss_found,
            advice=advice,
        )
    if accuracy_found:
        return T(
            "It looks like the accuracy is {accuracy_mistake}. {advice}",
            accuracy_mistake=accuracy_found,
            advice=advice,
        )
    return advice


# ---------------------------------------------------------------------------------------
# Device checks without a GPU (meta) and with one (CUDA)
# ---------------------------------------------------------------------------------------
MOVE_HINT = (
    "with device=None use the net's device (where its first parameter is), and move every "
    "batch there, X and y (.to returns a new tensor; it does not move X in place). Never "
    "hard-code 'cpu' or 'cuda:0' (nor 'cida:0')."
)


def expect_batches_reach(
    ctx: CheckContext, options: dict[str, Any], want: str, *, check_y: bool, hint: str
) -> None:
    """In a traced run, X must reach the net, and y the loss or comparison, on ``want``."""
    text = call_text(ctx.function, options)
    report = student_run(ctx, options)
    forwards = report.get("forwards") or []
    error = report.get("error") or {}
    ended = (
        T("it raised {kind}: {message}", kind=error.get("type"), message=error.get("message"))
        if error
        else phrase("it returned")
    )
    if not forwards:
        ctx.fail(
            T("{function} never called the net ({ended})", function=ctx.function, ended=ended),
            input=text,
            hint=hint,
        )
    seen = forwards[0].get("device")
    if str(seen).split(":")[0] != want:
        ctx.fail(
            T("the first batch X reached the net on {seen}, not on {want}", seen=seen, want=want),
            input=text,
            expected=T("X on {device}", device=want),
            got=T("X on {device}", device=seen),
            hint=hint,
        )
    if not check_y:
        return
    losses = report.get("losses") or []
    if losses and str(losses[0].get("y_device")).split(":")[0] != want:
        ctx.fail(
            T(
                "the labels y reached the loss on {seen}, not on {want}",
                seen=losses[0].get("y_device"),
                want=want,
            ),
            input=text,
            expected=T("y on {device}", device=want),
            got=T("y on {device}", device=losses[0].get("y_device")),
            hint="move y as well as X to the device (.to returns new tensors).",
        )
    mixed = report.get("mixed") or []
    if mixed:
        ctx.fail(
            T(
                "an operation combined tensors on different devices ({operation}): "
                "a batch (X or y) was not moved to the net's device",
                operation=mixed[0],
            ),
            input=text,
            hint="move y as well as X to the device (.to returns new tensors).",
        )


GIVEN_DEVICE_HINT = (
    "use the device argument when it is not None: move X and y there (.to returns new tensors)."
)


def expect_default_device(ctx: CheckContext, stop_at: str | None) -> None:
    """device=None with the net on meta: X (and y) must reach it there; CUDA if present.

    ``stop_at="loss"`` ends a training run at its first loss, once y has been seen.
    """
    options = options_for(ctx.function, net_device="meta", trace=True, stop_at=stop_at)
    expect_batches_reach(ctx, options, "meta", check_y=True, hint=MOVE_HINT)
    expect_same_on_cuda(ctx, options_for(ctx.function), compare_state=stop_at is not None)


def expect_given_device(ctx: CheckContext, hint: str, **overrides: Any) -> None:
    """device='meta' with the net on the CPU: the first batch must reach the net on meta."""
    options = options_for(
        ctx.function, pass_device=True, device="meta", trace=True, stop_at="forward", **overrides
    )
    expect_batches_reach(ctx, options, "meta", check_y=False, hint=hint)


def expect_same_on_cuda(ctx: CheckContext, options: dict[str, Any], compare_state: bool) -> None:
    """With a GPU: the net on CUDA, batches on the CPU, ``device=None``; same results."""
    if not cuda_available():
        return
    expected = reference_run(ctx, options)
    cuda_options = {**options, "net_device": "cuda"}
    report = student_run(ctx, cuda_options)
    text = call_text(ctx.function, cuda_options)
    if compare_state and state_differs(report.get("state"), expected["state"], 1e-4, 1e-5):
        ctx.fail(
            "with the net on CUDA the parameters end elsewhere than on the CPU",
            input=text,
            got=largest_change(report.get("state") or {}, expected["state"]),
            hint=MOVE_HINT,
        )
    got, want = report.get("result"), expected["result"]
    numbers = got if isinstance(got, (tuple, list)) else [got]
    wanted = want if isinstance(want, (tuple, list)) else [want]
    if len(numbers) != len(wanted) or not all(
        is_number(g) and close(float(g), float(w), 1e-4, 1e-6) for g, w in zip(numbers, wanted)
    ):
        ctx.fail(
            "with the net on CUDA the result differs from the CPU result",
            input=text,
            expected=describe(want),
            got=describe(got),
            hint=MOVE_HINT,
        )


# ---------------------------------------------------------------------------------------
# train_epoch
# ---------------------------------------------------------------------------------------
train_epoch = assignment.exercise("train_epoch")


@train_epoch.check(
    "one epoch moves the parameters exactly as the reference does (smaller last batch too)",
    4,
    hint=STEP_HINT,
    contract=(
        "for each batch, move it to the device, compute the loss, clear the old gradients, "
        "back-propagate, step."
    ),
)
def _train_epoch_parameters(ctx: CheckContext) -> None:
    options = options_for("train_epoch")
    report = student_run(ctx, options)
    expected = reference_run(ctx, options)
    got = report.get("state")
    if state_differs(got, expected["state"], rtol=1e-5, atol=1e-6):
        ctx.fail(
            "after one epoch the parameters are not where the reference's are",
            input=call_text("train_epoch", options),
            got=largest_change(got if isinstance(got, dict) else {}, expected["state"]),
            hint=diagnose_parameters(options, got if isinstance(got, dict) else {}),
        )


@train_epoch.check(
    "returns (mean loss, accuracy) over all examples, the last batch weighted by its size",
    2,
    contract=(
        "The mean is per example and the accuracy counts `argmax` hits over all examples (a short "
        "last batch weighs by its size)."
    ),
)
def _train_epoch_returns(ctx: CheckContext) -> None:
    options = options_for("train_epoch")
    text = call_text("train_epoch", options)
    report = student_run(ctx, options)
    got = report["result"]
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        ctx.fail(
            "train_epoch should return a pair (mean_loss, accuracy)",
            input=text,
            got=describe(got),
        )
    if not all(is_number(v) for v in got):
        ctx.fail(
            "train_epoch should return two Python numbers",
            input=text,
            got=describe(got),
            hint=NUMBER_HINT,
        )
    # The student's own per-batch losses and predictions, as the loss function saw them:
    # an update bug (graded above) does not cost these points again.
    losses = [e for e in report.get("losses") or [] if "value" in e and e.get("size")]
    if not losses:
        ctx.fail(
            "the loss function passed in was never called with a batch",
            input=text,
            hint="compute the loss with the `loss` argument: l = loss(net(X), y).",
        )
    n = sum(e["size"] for e in losses)
    mean_loss = sum(e["value"] * e["size"] for e in losses) / n
    accuracy = sum(e["correct"] for e in losses) / n
    if not (close(float(got[0]), mean_loss) and close(float(got[1]), accuracy, 1e-9, 1e-12)):
        ctx.fail(
            "the mean loss or the accuracy is not averaged over all examples",
            input=text,
            expected=f"({mean_loss:.6g}, {accuracy:.6g})",
            got=f"({float(got[0]):.6g}, {float(got[1]):.6g})",
            hint=diagnose_averages(losses, (float(got[0]), float(got[1]))),
        )


@train_epoch.check(
    "trains in training mode (net.train()), with gradients on",
    1,
    hint="call net.train() at the start: a net left in evaluation mode by evaluate_accuracy "
    "would train with dropout switched off.",
    contract="over one pass: training mode;",
)
def _train_epoch_mode(ctx: CheckContext) -> None:
    forwards, text = forward_passes(ctx, net=DROPOUT_MLP, training=False)
    if not all(f.get("all_training") for f in forwards):
        ctx.fail(
            "the net was in evaluation mode during training (dropout off)",
            input=text,
            expected="every forward pass in training mode",
            got="net.training == False",
        )
    if not all(f.get("grad_enabled") for f in forwards):
        ctx.fail(
            "the forward pass ran without gradient tracking",
            input=text,
            hint="only evaluation runs under torch.no_grad(); training needs the graph.",
        )


@train_epoch.check(
    "raises ValueError for an empty iterator",
    1,
    hint="the mean over zero examples is undefined: after the loop, if no example was "
    "seen, raise ValueError with a message (instead of dividing by zero).",
    contract="`ValueError` for an empty iterator.",
)
def _train_epoch_empty(ctx: CheckContext) -> None:
    expect_empty_refused(ctx, options_for("train_epoch", train=[]))


def expect_empty_refused(ctx: CheckContext, options: dict[str, Any]) -> None:
    """An iterator without batches: ``ValueError`` (the mean of nothing), not a division by 0."""
    text = call_text(ctx.function, options)
    outcome = ctx.run(probe=PROBE, options=options, timeout=CALL_TIMEOUT)
    if outcome.raised is not None and "ValueError" in raised_classes(outcome.raised):
        return
    if outcome.raised is not None:
        got = f"{outcome.raised.get('type')}: {outcome.raised.get('message', '')}"
    else:
        got = T("it returned {value}", value=describe((outcome.value or {}).get("result"), 200))
    ctx.fail(
        T(
            "{function} should raise ValueError for an iterator without batches",
            function=ctx.function,
        ),
        input=text,
        expected="ValueError with a helpful message",
        got=got,
    )


@train_epoch.check(
    "device=None: batches go to the net's device (meta here; CUDA when present)",
    1,
    hint=MOVE_HINT,
    contract="`device=None` means the device of the net's first parameter.",
)
def _train_epoch_default_device(ctx: CheckContext) -> None:
    expect_default_device(ctx, stop_at="loss")


@train_epoch.check(
    "batches go to the device passed as device=",
    1,
    hint="when device is given, move X and y there (the caller has put the net there).",
    contract="for each batch, move it to the device",
)
def _train_epoch_given_device(ctx: CheckContext) -> None:
    expect_given_device(ctx, phrase(GIVEN_DEVICE_HINT))


# Real data: softmax regression on scikit-learn's digits, and on Fashion-MNIST when the
# grader is given its files (autograder grade --data-root DIR).
DIGITS = {
    "dataset": "digits",
    "optimizer": {"lr": 0.1, "momentum": 0.9},
    "batch_size": 32,
    "num_epochs": 5,
    "threshold": 0.90,
}
FASHION_MNIST = {  # d2l's settings (plain SGD, lr 0.1, batch 256), 3 epochs instead of 10
    "dataset": "fashion_mnist",
    "optimizer": {"lr": 0.1},
    "batch_size": 256,
    "num_epochs": 3,
    "threshold": 0.70,  # the bar d2l's own train_ch3 asserts (it reports about 0.83)
}


def softmax_initial_state(inputs: int) -> dict[str, torch.Tensor]:
    """d2l's initialisation of softmax regression: weights N(0, 0.01^2), zero bias."""
    generator = torch.Generator().manual_seed(0)
    return {
        "1.weight": torch.randn(10, inputs, generator=generator) * 0.01,
        "1.bias": torch.zeros(10),
    }


@functools.lru_cache(maxsize=2)
def held_out_set(dataset: str, root: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The test images and labels the judge measures accuracy on."""
    if dataset == "digits":
        _, _, X, y = data.digits_tensors()
        return X, y
    _, test_iter = data.load_data_fashion_mnist(1000, root)
    pairs = list(test_iter)
    return torch.cat([X for X, _ in pairs]), torch.cat([y for _, y in pairs])


def held_out_accuracy(state: Any, dataset: str, root: str | None = None) -> float | None:
    """Accuracy of softmax regression with ``state`` on the test set (None if unusable)."""
    X, y = held_out_set(dataset, root)
    inputs = X[0].numel()
    if not isinstance(state, dict):
        return None
    tensors = {k: as_tensor(v) for k, v in state.items()}
    if set(tensors) != {"1.weight", "1.bias"} or any(v is None for v in tensors.values()):
        return None
    net = probes.build_net({"sizes": [inputs, 10]})
    try:
        net.load_state_dict({k: v.float() for k, v in tensors.items()})
    except RuntimeError:
        return None
    with torch.no_grad():
        return float((net(X).argmax(dim=1) == y).float().mean())


def expect_learns(ctx: CheckContext, settings: dict[str, Any], root: str | None = None) -> None:
    dataset = settings["dataset"]
    inputs = 64 if dataset == "digits" else 784
    name = (
        phrase("scikit-learn's digits")
        if dataset == "digits"
        else T("Fashion-MNIST in {root}", root=root)
    )
    options = {
        "dataset": dataset,
        "state": softmax_initial_state(inputs),
        "optimizer": settings["optimizer"],
        "batch_size": settings["batch_size"],
        "num_epochs": settings["num_epochs"],
        "data_root": root,
    }
    text = (
        f"{settings['num_epochs']} calls of train_epoch(net=nn.Sequential(nn.Flatten(), "
        f"nn.Linear({inputs}, 10)), train_iter=<{name}, batch_size={settings['batch_size']}>, "
        f"loss=nn.CrossEntropyLoss(), optimizer={optimizer_text(settings['optimizer'])})"
    )
    timeout = 90.0 if dataset == "digits" else 600.0
    if ctx.truth.record_to is not None and root is None:
        # Recording the kit's answers: the reach a failure quotes, though the reference passes.
        reference_reach(ctx, options, dataset, root)
    outcome = ctx.run(probe=REAL_DATA_PROBE, options=options, timeout=timeout)
    if not outcome.ok:
        ctx.fail(
            T("training on {data} failed: {reason}", data=name, reason=outcome.describe_failure()),
            input=text,
            hint=failure_hint(outcome),
        )
    report = outcome.value if isinstance(outcome.value, dict) else {}
    accuracy = held_out_accuracy(report.get("state"), dataset, root)
    threshold = settings["threshold"]
    if accuracy is None or not accuracy >= threshold:
        shown = phrase("unusable parameters") if accuracy is None else f"{accuracy:.3f}"
        try:
            reached = f"{reference_reach(ctx, options, dataset, root):.3f}"
        except AnswerMissing:  # a kit built without this data set's answer
            reached = "?"
        ctx.fail(
            T(
                "softmax regression trained with your train_epoch on {data} does not reach "
                "{threshold} test accuracy",
                data=name,
                threshold=f"{threshold:.0%}",
            ),
            input=text,
            expected=T(
                "test accuracy >= {threshold} (the reference loop reaches {reached} with "
                "these settings)",
                threshold=f"{threshold:.2f}",
                reached=reached,
            ),
            got=T(
                "test accuracy {accuracy}; train_epoch returned {result}",
                accuracy=shown,
                result=describe(report.get("result"), 300),
            ),
            hint="a correct loop learns this easily: look for gradients that are never "
            "cleared (optimizer.zero_grad() in every batch), a backward() that is not called, "
            "or a step taken before backward.",
        )


@train_epoch.check(
    "trains softmax regression on real data to the target test accuracy "
    "(digits >= 90%; Fashion-MNIST >= 70% too when --data-root is given)",
    2,
    contract=(
        "for each batch, move it to the device, compute the loss, clear the old gradients, "
        "back-propagate, step."
    ),
)
def _train_epoch_real_data(ctx: CheckContext) -> None:
    expect_learns(ctx, DIGITS)
    root = ctx.config.data_root
    if root is not None:
        data.prepare_fashion_mnist(root)
        expect_learns(ctx, FASHION_MNIST, str(root))


# ---------------------------------------------------------------------------------------
# evaluate_accuracy
# ---------------------------------------------------------------------------------------
evaluate_accuracy = assignment.exercise("evaluate_accuracy")

COUNT_HINT = (
    "count correct predictions ((net(X).argmax(dim=1) == y).sum()) and examples (len(y)) "
    "over all batches, and divide once at the end; the mean of per-batch accuracies "
    "over-weights a smaller last batch."
)


@evaluate_accuracy.check(
    "the fraction of correct predictions over all examples (smaller last batch, one example)",
    3,
    hint=COUNT_HINT,
    contract=(
        "`evaluate_accuracy(net, data_iter, device=None)` -> the fraction of correct predictions"
    ),
)
def _evaluate_value(ctx: CheckContext) -> None:
    # The standard batches (a smaller last one), and a data set of one example.
    for overrides in ({}, {"test": make_batches((1,), seed=3)}):
        expect_accuracy(ctx, options_for("evaluate_accuracy", training=False, **overrides))


def expect_accuracy(ctx: CheckContext, options: dict[str, Any]) -> None:
    text = call_text("evaluate_accuracy", options)
    got = student_run(ctx, options)["result"]
    expected = reference_run(ctx, options)["result"]
    if not is_number(got):
        ctx.fail(
            "evaluate_accuracy should return a Python float",
            input=text,
            expected=describe(expected),
            got=describe(got),
            hint="use int(...) or .item() on the count of correct predictions.",
        )
    if not close(float(got), expected, 1e-9, 1e-12):
        per_batch = per_batch_mean(options)
        hint = COUNT_HINT
        if close(float(got), per_batch, 1e-9, 1e-12):
            hint = T(
                "you averaged the per-batch accuracies. {count_hint}",
                count_hint=phrase(COUNT_HINT),
            )
        ctx.fail(
            "the accuracy is wrong",
            input=text,
            expected=describe(expected),
            got=describe(got),
            hint=hint,
        )


@evaluate_accuracy.check(
    "raises ValueError for an empty iterator",
    1,
    hint="the accuracy of zero examples is undefined: after the loop, if no example was "
    "seen, raise ValueError with a message (instead of dividing by zero).",
    contract="`ValueError` for an empty iterator.",
)
def _evaluate_empty(ctx: CheckContext) -> None:
    expect_empty_refused(ctx, options_for("evaluate_accuracy", test=[], training=False))


def per_batch_mean(options: dict[str, Any]) -> float:
    net = probes.build_net(options["net"], options["state"]).eval()
    with torch.no_grad():
        rates = [float((net(X).argmax(dim=1) == y).float().mean()) for X, y in options["test"]]
    return sum(rates) / len(rates)


@evaluate_accuracy.check(
    "evaluates in evaluation mode (net.eval(): dropout off)",
    1.5,
    hint="call net.eval() (with parentheses) before the loop: in training mode dropout "
    "zeroes activations at random and the accuracy is noisy and too low.",
    contract="in evaluation mode and without recording gradients",
)
def _evaluate_mode(ctx: CheckContext) -> None:
    forwards, text = forward_passes(ctx, net=DROPOUT_MLP, training=True)
    if any(f.get("any_training") for f in forwards):
        ctx.fail(
            "the net was still in training mode while evaluating",
            input=text,
            expected="net.training == False at every forward pass",
            got="net.training == True",
        )


@evaluate_accuracy.check(
    "tracks no gradients (torch.no_grad())",
    1.5,
    hint="wrap the loop in `with torch.no_grad():` so no autograd graph is built: "
    "evaluation needs no gradients, and the graph costs time and memory.",
    contract="in evaluation mode and without recording gradients",
)
def _evaluate_no_grad(ctx: CheckContext) -> None:
    forwards, text = forward_passes(ctx, training=True)
    if any(f.get("grad_enabled") for f in forwards):
        ctx.fail(
            "gradient tracking was on during evaluation",
            input=text,
            expected="torch.is_grad_enabled() == False at every forward pass",
            got="torch.is_grad_enabled() == True",
        )


@evaluate_accuracy.check(
    "device=None: batches go to the net's device (meta here; CUDA when present)",
    1,
    hint=MOVE_HINT,
    contract="`device=None` means the device of the net's first parameter.",
)
def _evaluate_default_device(ctx: CheckContext) -> None:
    expect_default_device(ctx, stop_at=None)


@evaluate_accuracy.check(
    "batches go to the device passed as device=",
    1,
    hint="when device is given, move X and y there (.to returns new tensors).",
    contract="`evaluate_accuracy(net, data_iter, device=None)`",
)
def _evaluate_given_device(ctx: CheckContext) -> None:
    expect_given_device(ctx, phrase(GIVEN_DEVICE_HINT))


# ---------------------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------------------
# Built on train_epoch and evaluate_accuracy: a mistake there costs points there only.
train = assignment.exercise("train", lends=("train_epoch", "evaluate_accuracy"))

KEYS = ("epoch", "train_loss", "train_acc", "test_acc")
HISTORY_HINT = (
    "for epoch in range(1, num_epochs + 1): call train_epoch on train_iter, then "
    "evaluate_accuracy on test_iter, and append {'epoch': epoch, 'train_loss': ..., "
    "'train_acc': ..., 'test_acc': ...}."
)


def expect_history_shape(
    ctx: CheckContext, got: Any, epochs: int, text: str, *, strict: bool = True
) -> list[dict]:
    """A list of dicts holding the three numbers; ``strict``: one per epoch, numbered."""
    if not isinstance(got, list):
        ctx.fail("train should return a list (one dict per epoch)", input=text, got=describe(got))
    if strict and len(got) != epochs:
        ctx.fail(
            T("train should return {epochs} dicts, one per epoch", epochs=epochs),
            input=text,
            expected=T("a list of {epochs} dicts", epochs=epochs),
            got=T("a list of {count} items: {items}", count=len(got), items=describe(got, 300)),
            hint=HISTORY_HINT,
        )
    for position, entry in enumerate(got, start=1):
        wanted = KEYS if strict else KEYS[1:]
        if not isinstance(entry, dict) or not set(wanted) <= set(entry):
            keys = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            ctx.fail(
                T(
                    "entry {position} should be a dict with keys {keys}",
                    position=position,
                    keys=", ".join(wanted),
                ),
                input=text,
                got=describe(keys),
                hint=HISTORY_HINT,
            )
        if strict and (entry["epoch"] != position or isinstance(entry["epoch"], bool)):
            ctx.fail(
                "the epochs are numbered from 1",
                input=text,
                expected=T("'epoch': {position} in entry {position}", position=position),
                got=T("'epoch': {value}", value=describe(entry["epoch"])),
                hint=HISTORY_HINT,
            )
        if not all(is_number(entry[key]) for key in KEYS[1:]):
            ctx.fail(
                T("entry {position} should hold Python numbers", position=position),
                input=text,
                got=describe(entry),
                hint=NUMBER_HINT,
            )
    return got


@train.check(
    "returns one dict per epoch: epoch (from 1), train_loss, train_acc, test_acc",
    2,
    hint=HISTORY_HINT,
    contract='one dict per epoch: `{"epoch": n (from 1), "train_loss", "train_acc", "test_acc"}`.',
)
def _train_shape(ctx: CheckContext) -> None:
    for epochs in (3, 0):
        options = options_for("train", num_epochs=epochs)
        text = call_text("train", options)
        expect_history_shape(ctx, student_run(ctx, options)["result"], epochs, text)


def stand_in_note(report: dict[str, Any], helper: str) -> T | None:
    """Why the lent ``helper`` answered nan: train called it otherwise than the reference's
    train does (see autograder.engine.lending)."""
    if all(
        call.get("foreseen")
        for call in report.get("lent") or []
        if isinstance(call, dict) and call.get("helper") == helper
    ):
        return None
    return T(
        "{helper} answered nan: while train is graded, train_epoch and evaluate_accuracy are "
        "stand-ins that give the reference's results to the calls the reference's train "
        "makes on these inputs (so that a mistake in them costs no points here), and this "
        "call was not one of them (other arguments, or the net's parameters not where the "
        "reference's train has them at that point).",
        helper=helper,
    )


def with_note(hint: Any, note: T | None) -> Any:
    return hint if note is None else T("{note} {hint}", note=note, hint=phrase(hint))


def history_and_reference(ctx: CheckContext) -> tuple[dict, dict, list[dict], str]:
    options = options_for("train", num_epochs=3)
    text = call_text("train", options)
    report = student_run(ctx, options)
    history = expect_history_shape(ctx, report["result"], 3, text, strict=False)
    return report, reference_run(ctx, options), history, text


@train.check(
    "trains one epoch of train_epoch per entry (losses, accuracies, final parameters)",
    2,
    hint=HISTORY_HINT,
    contract="Each epoch trains with `train_epoch`",
)
def _train_values(ctx: CheckContext) -> None:
    report, expected, history, text = history_and_reference(ctx)
    # Every epoch is checked: a loop can be right in epoch 1 and wrong from epoch 2 on.
    wrong = [
        (want["epoch"], key, want[key], float(got[key]))
        for got, want in zip(history, expected["result"])
        for key in ("train_loss", "train_acc")
        if not close(float(got[key]), want[key])
    ]
    if wrong:
        ctx.fail(
            T(
                "not what train_epoch returns: {which}",
                which=join([T("{key} of epoch {epoch}", key=k, epoch=e) for e, k, _, _ in wrong]),
            ),
            input=text,
            expected=join(
                [
                    T("epoch {epoch}: {key} = {value}", epoch=e, key=k, value=f"{w:.6g}")
                    for e, k, w, _ in wrong
                ],
                "; ",
            ),
            got=join(
                [
                    T("epoch {epoch}: {key} = {value}", epoch=e, key=k, value=f"{g:.6g}")
                    for e, k, _, g in wrong
                ],
                "; ",
            ),
            hint=with_note(
                "call train_epoch(net, train_iter, loss, optimizer, device) once per "
                "epoch and record what it returns.",
                stand_in_note(report, "train_epoch"),
            ),
        )
    if state_differs(report.get("state"), expected["state"], rtol=1e-5, atol=1e-6):
        ctx.fail(
            "after training the parameters are not where the reference's are",
            input=text,
            got=largest_change(report.get("state") or {}, expected["state"]),
            hint=with_note(
                "train exactly num_epochs epochs with train_epoch and the optimizer given.",
                stand_in_note(report, "train_epoch"),
            ),
        )


@train.check(
    "test_acc is measured on test_iter after each epoch's training",
    2,
    contract="and then measures `test_acc` with `evaluate_accuracy` on `test_iter`",
)
def _train_test_accuracy(ctx: CheckContext) -> None:
    report, expected, history, text = history_and_reference(ctx)
    wrong = [
        (want["epoch"], want["test_acc"], float(got["test_acc"]))
        for got, want in zip(history, expected["result"])
        if not close(float(got["test_acc"]), want["test_acc"], 1e-9, 1e-12)
    ]
    if not wrong:
        return
    history_key = "test_acc"  # a key of the history, not a sentence
    order = report.get("iterations") or []
    hint = phrase(
        "after train_epoch, call evaluate_accuracy(net, test_iter, device) and record it as "
        "test_acc."
    )
    if "test_iter" not in order:
        hint = T(
            "test_iter was never read: evaluate on test_iter, not on train_iter. {hint}",
            hint=hint,
        )
    elif order and order[0] == "test_iter":
        hint = T("test_iter was read before the first epoch of training. {hint}", hint=hint)
    hint = with_note(hint, stand_in_note(report, "evaluate_accuracy"))
    ctx.fail(
        T(
            "test_acc is wrong in epochs {epochs}",
            epochs=", ".join(str(epoch) for epoch, _, _ in wrong),
        ),
        input=text,
        expected=join(
            [
                T("epoch {epoch}: {key} = {value}", epoch=e, key=history_key, value=f"{w:.6g}")
                for e, w, _ in wrong
            ],
            "; ",
        ),
        got=T(
            "{value} (iterators read in the order {order})",
            value=join(
                [
                    T("epoch {epoch}: {key} = {value}", epoch=e, key=history_key, value=f"{g:.6g}")
                    for e, _, g in wrong
                ],
                "; ",
            ),
            order=order,
        ),
        hint=hint,
    )


def lent_device(call: Any) -> Any:
    """The device a logged call of a lent helper was given (None for ``device=None``)."""
    arguments = call.get("arguments") if isinstance(call, dict) else None
    device = (arguments or {}).get("device") if isinstance(arguments, dict) else None
    if not isinstance(device, dict):
        return None
    return device.get("device", device.get("value", device.get("type")))


@train.check(
    "passes device on to train_epoch and evaluate_accuracy",
    1,
    hidden=True,
    hint="call train_epoch(net, train_iter, loss, optimizer, device) and "
    "evaluate_accuracy(net, test_iter, device).",
    contract="both given `device`.",
)
def _train_device(ctx: CheckContext) -> None:
    """device='meta' given to train: the lent helpers log what they were given; each of
    their calls must get it (the reference's train_epoch fails on it at the first batch,
    the net being on the CPU: only the calls made until then are judged)."""
    options = options_for("train", pass_device=True, device="meta", trace=True, num_epochs=1)
    text = call_text("train", options)
    calls = [c for c in student_run(ctx, options).get("lent") or [] if isinstance(c, dict)]
    hint = phrase("call train_epoch(net, train_iter, loss, optimizer, device): pass device on.")
    if not any(call.get("helper") == "train_epoch" for call in calls):
        ctx.fail("train never called train_epoch", input=text, hint=hint)
    for call in calls:
        device = lent_device(call)
        if device != "meta":
            ctx.fail(
                T(
                    "{helper} was called with device={device}, not the device train was given",
                    helper=str(call.get("helper")),
                    device=repr(device),
                ),
                input=text,
                expected=T("device={device}", device=repr("meta")),
                got=T("device={device}", device=repr(device)),
                hint=hint,
            )
