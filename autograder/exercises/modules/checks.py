"""Checks for ``modules.py``: MLP, init_normal, count_parameters, CenteredLayer, MyLinear.

Classes are graded through their behaviour, in the runner (this folder's ``probes.py``):
the probe constructs the student's class, loads fixed parameters into it where values are
compared, calls ``forward`` in training or evaluation mode, backpropagates, moves it with
``.to(device)`` and reports plain data.  Expected values are computed here from those same
parameters with torch's own functions, so the kit needs no reference.

The seeds' mistakes are recognised and explained: a method named ``__format__`` where
``forward`` was meant (nn.Module then has no forward), a ReLU on the final logits (no
logit can be negative), ``weight.data`` in ``forward`` (no gradient reaches the
parameter), dropout still active after ``eval()``, a shared layer counted twice.

Random parts (``init_normal``'s and ``MyLinear``'s draws) are graded with the confidence
bounds of :mod:`autograder.grading.stats`: 9 statistics at ``1e-11`` each, so a correct
submission loses points to chance with probability at most ``9e-11 < 1e-9``; the seeds are
fixed, so grading is deterministic.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch.nn import functional as F

from autograder.engine.protocol import TransportedTensor
from autograder.exercises.modules import probes
from autograder.grading.context import CheckContext, describe
from autograder.grading.model import Assignment
from autograder.grading.properties import META_TIMEOUT, cuda_available, meta_cannot_run
from autograder.grading.registry import probe_name
from autograder.grading.stats import chi_square_interval, gaussian_mean_radius, hoeffding_radius
from autograder.i18n import T, join, phrase

assignment = Assignment("modules")

MODULE_PROBE = probe_name("modules", "module_task")
INIT_PROBE = probe_name("modules", "init_task")
COUNT_PROBE = probe_name("modules", "count_task")
CALL_TIMEOUT = 30.0

FORWARD_HINT = (
    "nn.Module calls the method named forward: define `def forward(self, X):` (not "
    "__format__, __call__ or foward) and return the result."
)


def _values(got: Any) -> torch.Tensor | None:
    return got.values if isinstance(got, TransportedTensor) else None


def fixed(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """Parameters and inputs the checks load: seeded, so every grading sees the same."""
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def ask(ctx: CheckContext, ctor: list[Any], task: str, text: str, **options: Any) -> dict:
    """Run one probe task; fail with an explanation if the class has no forward.

    ``text`` is how a failure shows the call: the constructor's arguments and the inputs'
    shapes (the probe's own arguments would say ``MLP([12, 8, 4], 'forward')``)."""
    outcome = ctx.run(
        ctor, task, probe=MODULE_PROBE, options=options, timeout=CALL_TIMEOUT, shown=text
    )
    answer = ctx.answer(outcome, (ctor, task), {}, shown=text)
    if answer.get("is_module") is False:
        ctx.fail(
            T("{function}(...) did not make an nn.Module", function=ctx.function),
            input=text,
            got=answer.get("result"),
            hint="subclass nn.Module (class Name(nn.Module):) and call super().__init__() "
            "first in __init__.",
        )
    explain_missing_forward(ctx, answer, text)
    return answer


def explain_missing_forward(ctx: CheckContext, answer: dict, text: str) -> None:
    """Fail with what happened when the class has no ``forward`` (the probe's report)."""
    if "missing_forward" in answer:
        methods = [m for m in answer["missing_forward"] if m not in ("__init__",)]
        ctx.fail(
            T(
                "{function} has no forward method, so calling it raised nn.Module's "
                "'missing the required \"forward\" function'; the class defines {methods}",
                function=ctx.function,
                methods=join(methods, ", ") if methods else T("no other method"),
            ),
            input=text,
            hint=T(
                "{hint} __format__ is Python's hook for format() and f-strings: nn.Module "
                "never calls it.",
                hint=FORWARD_HINT,
            )
            if "__format__" in methods
            else FORWARD_HINT,
        )


def parameter_table(answer: dict) -> dict[str, tuple[int, ...]]:
    rows = answer.get("result") if isinstance(answer.get("result"), list) else []
    return {str(row[0]): tuple(row[1]) for row in rows if isinstance(row, list) and len(row) >= 2}


def ask_loaded(
    ctx: CheckContext,
    ctor: list[Any],
    task: str,
    text: str,
    state: dict[str, torch.Tensor],
    **options: Any,
) -> tuple[dict, dict[str, str]]:
    """Run ``task`` with ``state`` loaded, and the names it was loaded under (contract name
    -> the module's own name).

    The names and layout of the parameters are the structure check's property: a module
    whose parameters, in order, have other names (one nn.Sequential) or a transposed
    weight gets the same numbers under its own names, in its own layout, so that only the
    structure check judges them."""
    answer = ask(ctx, ctor, task, text, state=state, **options)
    same = {name: name for name in state}
    if not answer.get("unset"):
        return answer, same
    table = list(parameter_table(ask(ctx, ctor, "structure", text)).items())
    if len(table) != len(state):
        return answer, same
    renamed: dict[str, torch.Tensor] = {}
    for value, (own, shape) in zip(state.values(), table):
        if tuple(value.shape) == shape:
            renamed[own] = value
        elif value.dim() == 2 and tuple(value.T.shape) == shape:
            renamed[own] = value.T.contiguous()
        else:
            return answer, same
    return ask(ctx, ctor, task, text, state=renamed, **options), dict(zip(state, renamed))


# ---------------------------------------------------------------------------------------
# MLP
# ---------------------------------------------------------------------------------------
MLP = assignment.exercise("MLP")

SIZES = [12, 8, 4]
MLP_STATE = {
    "hidden.weight": fixed((8, 12), 1),
    "hidden.bias": fixed((8,), 2),
    "output.weight": fixed((4, 8), 3),
    "output.bias": fixed((4,), 4) - 1.0,
}
# Flat (N, num_inputs) input for every check but the flatten one, which feeds the same
# rows as images: a net that forgets to flatten loses that check alone.
MLP_X = fixed((5, 12), 5)
MLP_IMAGES = MLP_X.reshape(5, 3, 4)
LOGITS_HINT = (
    "return self.output(...) as it is: logits can be negative. nn.CrossEntropyLoss applies "
    "the softmax itself; a ReLU after the last layer turns every negative logit into 0."
)


def mlp_text(sizes: list[Any], extra: str = "") -> str:
    return T("MLP({sizes}){extra}", sizes=", ".join(str(s) for s in sizes), extra=extra)


def mlp_call(sizes: list[Any], mode: str, X: torch.Tensor = MLP_X) -> str:
    """How a forward call shows in feedback: the constructor's arguments, the mode, X's shape."""
    return T(
        "{net} in {mode} mode, on X of shape {shape}",
        net=mlp_text(sizes),
        mode=mode,
        shape=tuple(X.shape),
    )


def mlp_expected(state: dict[str, torch.Tensor], X: torch.Tensor, hidden_scale: float = 1.0):
    """The logits of the net with ``state``, every hidden unit scaled (0: all dropped)."""
    H = F.relu(F.linear(X.flatten(1), state["hidden.weight"], state["hidden.bias"]))
    return F.linear(H * hidden_scale, state["output.weight"], state["output.bias"])


@MLP.check(
    "hidden and output are nn.Linear layers of the right sizes; the parameters are theirs",
    2,
    hint="in __init__: first nn.Module's own __init__, then an nn.Linear from num_inputs to "
    "num_hiddens features as self.hidden and one from num_hiddens to num_outputs as "
    "self.output; layers assigned to attributes are registered, and their parameters are "
    "the net's.",
    contract=(
        "applies the linear layer `hidden`, ReLU, dropout (training mode only), then the linear "
        "layer `output`"
    ),
)
def _mlp_structure(ctx: CheckContext) -> None:
    text = mlp_text(SIZES)
    answer = ask(ctx, SIZES, "structure", text)
    layers = answer.get("layers") or {}
    for name, size in (("hidden", (12, 8)), ("output", (8, 4))):
        layer = layers.get(name) or {}
        if not layer.get("linear") or (layer.get("in"), layer.get("out")) != size:
            ctx.fail(
                T("net.{name} is not nn.Linear{size}", name=name, size=size),
                input=text,
                got=T(
                    "{kind} with in_features={i}, out_features={o}",
                    kind=layer.get("type"),
                    i=layer.get("in"),
                    o=layer.get("out"),
                ),
            )
    wanted = {name: tuple(value.shape) for name, value in MLP_STATE.items()}
    got = parameter_table(answer)
    if got != wanted:
        ctx.fail(
            "the net's parameters are not exactly those of its two linear layers",
            input=text,
            expected=describe(wanted),
            got=describe(got),
        )


@MLP.check(
    "forward gives the logits output(relu(hidden(X))) of flat input (N, num_inputs), "
    "negative ones included",
    2,
    hint=FORWARD_HINT,
    contract="returning logits (no activation after the last layer).",
)
def _mlp_forward(ctx: CheckContext) -> None:
    text = mlp_call(SIZES, "eval")
    answer, _ = ask_loaded(ctx, SIZES, "forward", text, MLP_STATE, inputs=[MLP_X], mode="eval")
    if answer.get("unset"):
        ctx.fail(
            T("could not load the parameters {names}", names=answer["unset"]),
            input=text,
            hint="name the layers hidden and output, nn.Linear(num_inputs, num_hiddens) and "
            "nn.Linear(num_hiddens, num_outputs).",
        )
    expected = mlp_expected(MLP_STATE, MLP_X)
    got = (answer.get("result") or [[None]])[0][0]
    values = _values(got)
    if values is None or values.shape != expected.shape:
        ctx.fail("forward should return the logits, shape (n, num_outputs)", input=text, got=got)
    if torch.allclose(values, expected, rtol=1e-4, atol=1e-5):
        return
    relu_on_logits = torch.allclose(values, F.relu(expected), rtol=1e-4, atol=1e-5)
    ctx.fail(
        "forward gave the wrong logits: no logit is negative, a ReLU is applied to the "
        "final layer's output"
        if relu_on_logits
        else "forward gave the wrong logits",
        input=text,
        expected=expected,
        got=values,
        hint=LOGITS_HINT if relu_on_logits else FORWARD_HINT,
    )


# The hidden layer's parameters: zeroed, the net's own logits are those of every hidden unit
# dropped (what dropout = 1 gives in training mode).
SILENT = ("hidden.weight", "hidden.bias")
SILENT_TEXT = T(
    "{net} in eval mode with hidden.weight and hidden.bias 0, on X of shape {shape}",
    net=mlp_text(SIZES),
    shape=tuple(MLP_X.shape),
)

FLATTEN_HINT = (
    "flatten each example into one row of features before the first linear layer (a "
    "flattening layer of the net, or a reshape that keeps the batch dimension). nn.Linear "
    "multiplies the last dimension only, so images of shape (N, 3, 4) reach it with 4 "
    "features instead of 12."
)


@MLP.check(
    "flattens its input: images (N, 3, 4) give the logits of their rows flattened (N, 12)",
    1,
    hint=FLATTEN_HINT,
    contract="an `nn.Module` that flattens its input",
)
def _mlp_flatten(ctx: CheckContext) -> None:
    """The net's own logits on the flat rows are the reference: only flattening is judged
    (wrong logits cost the forward check)."""
    text = mlp_call(SIZES, "eval", MLP_IMAGES)
    answer, _ = ask_loaded(
        ctx, SIZES, "forward", text, MLP_STATE, inputs=[MLP_IMAGES, MLP_X], mode="eval"
    )
    images, rows = ((answer.get("result") or [[None], [None]]) + [[None]])[:2]
    got, wanted = _values(images[0]), _values(rows[0])
    if wanted is None:
        return  # no logits for flat rows either: the forward check says why
    if got is None or got.shape != wanted.shape or not torch.allclose(got, wanted):
        ctx.fail(
            "the logits of images differ from those of the same rows flattened",
            input=text,
            expected=T("{net}'s logits on X.flatten(1)", net=mlp_text(SIZES)),
            got=images[0],
        )


@MLP.check(
    "dropout acts in training mode only: dropout = 1 drops every hidden unit in train(), "
    "nothing in eval()",
    2,
    hint="make the dropout a layer of the net (an nn.Dropout of probability dropout, an attribute "
    "set in __init__) applied after the hidden ReLU: net.eval() switches a registered "
    "nn.Dropout off. F.dropout(H, p) without training=self.training, or a dropout of your "
    "own, stays on after eval().",
    contract="ReLU, dropout (training mode only)",
)
def _mlp_dropout(ctx: CheckContext) -> None:
    """Deterministic, and judged against the net's own logits so that only dropout is judged
    (wrong logits cost the forward check): with dropout = 1 in training mode every hidden
    unit is dropped, so the logits are those the same net gives when its hidden layer is
    silent (hidden weight and bias 0); in evaluation mode nothing is dropped, so they are
    those of the net built without dropout."""
    silent = dict(MLP_STATE, **{name: torch.zeros_like(MLP_STATE[name]) for name in SILENT})
    own = {
        "train": ask_loaded(ctx, SIZES, "forward", SILENT_TEXT, silent, inputs=[MLP_X])[0],
        "eval": ask_loaded(
            ctx, SIZES, "forward", mlp_call(SIZES, "eval"), MLP_STATE, inputs=[MLP_X]
        )[0],
    }
    ctor = [*SIZES, 1.0]
    for mode, reference in own.items():
        wanted = _values((reference.get("result") or [[None]])[0][0])
        if wanted is None:
            ctx.fail(
                "forward should return the logits, shape (n, num_outputs)",
                input=SILENT_TEXT,
                hint=FORWARD_HINT,
            )
        text = mlp_call(ctor, mode)
        answer, _ = ask_loaded(ctx, ctor, "forward", text, MLP_STATE, inputs=[MLP_X], mode=mode)
        pair = (answer.get("result") or [[None, None]])[0]
        values = [_values(v) for v in pair]
        if all(
            v is not None and v.shape == wanted.shape and torch.allclose(v, wanted) for v in values
        ):
            continue
        ctx.fail(
            "dropout is still active after net.eval(): the logits change from call to "
            "call or are not those of the net built with dropout = 0"
            if mode == "eval"
            else "in training mode with dropout = 1, every hidden unit should be dropped: "
            "the logits should be those of the same net with a silent hidden layer",
            input=text,
            expected=T(
                "{net}'s logits, {which}",
                net=mlp_text(SIZES),
                which=phrase("with hidden.weight and hidden.bias 0")
                if mode == "train"
                else phrase("in eval mode"),
            ),
            got=pair[0],
        )


@MLP.check(
    "gradients reach all four parameters",
    1,
    hint="compute forward with the layers themselves: .detach(), .data or torch.tensor(...) "
    "cut the graph before the hidden layer.",
    contract="Gradients reach all four parameters.",
)
def _mlp_grads(ctx: CheckContext) -> None:
    text = T("{net} on X of shape {shape}", net=mlp_text(SIZES), shape=tuple(MLP_X.shape))
    answer, names = ask_loaded(ctx, SIZES, "grads", text, MLP_STATE, inputs=[MLP_X])
    grads = answer.get("result") or {}
    missing = sorted(name for name in MLP_STATE if _values(grads.get(names[name])) is None)
    if missing:
        ctx.fail(
            T("no gradient reached {names}", names=missing),
            input=T("{call}: backward of the logits", call=text),
        )


@MLP.check(
    "moves with .to(device): forward works on meta (and CUDA if present)",
    1,
    hidden=True,
    contract="moved with `.to(device)`.",
)
def _mlp_device(ctx: CheckContext) -> None:
    expect_moves(ctx, SIZES, [MLP_X], (5, 4), mlp_text(SIZES))


def expect_moves(
    ctx: CheckContext, ctor: list[Any], inputs: list[torch.Tensor], shape: tuple, text: str
) -> None:
    """``module.to(device)`` moves everything it needs: the output is on that device."""
    for device in ["meta"] + (["cuda"] if cuda_available() else []):
        shown = T(
            "{call}.to({device}) on X of shape {shape} on {device}",
            call=text,
            device=device,
            shape=", ".join(str(tuple(X.shape)) for X in inputs),
        )
        outcome = ctx.run(
            ctor,
            "device",
            probe=MODULE_PROBE,
            options={"inputs": inputs, "device": device},
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
                hint="register every tensor the module needs (nn.Parameter, a sub-module, or "
                "self.register_buffer) so .to(device) moves it, and create new tensors on "
                "X.device.",
            )
        answer = ctx.answer(outcome, (ctor, "device"), {}, shown=shown)
        explain_missing_forward(ctx, answer, shown)
        got = answer.get("result")
        if not isinstance(got, TransportedTensor) or got.device_type != device:
            ctx.fail(
                "the output is not on the module's device",
                input=shown,
                expected=T("a tensor on {device}", device=device),
                got=got,
            )


# ---------------------------------------------------------------------------------------
# init_normal
# ---------------------------------------------------------------------------------------
init_normal = assignment.exercise("init_normal")

INIT_HINT = (
    "change only an nn.Linear (ask the module's type): its weight filled in place from "
    "N(0, 0.01**2) and its bias with zeros, with nn.init's in-place functions (names ending "
    "in _). std is the standard deviation 0.01, not the variance."
)
LINEAR_NAMES = ("0.weight", "0.bias", "2.weight", "2.bias")
OTHER_NAMES = ("4.weight", "4.bias", "5.weight", "5.bias")
NET_TEXT = (
    "net.apply(init_normal) on nn.Sequential(nn.Linear(200, 100), nn.ReLU(), "
    "nn.Linear(100, 50), nn.Unflatten(1, (2, 5, 5)), nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3))"
)
NORMAL_BEYOND_ONE_STD = math.erfc(1 / math.sqrt(2))  # 0.3173


def normal_problems(values: torch.Tensor, std: float) -> list[str]:
    """Mean, mean square and tail fraction of ``values`` against ``N(0, std**2)``."""
    v = values.double().flatten()
    n = v.numel()
    mean, square = float(v.mean()), float((v * v).mean())
    low, high = chi_square_interval(n)
    beyond = float((v.abs() > std).double().mean())
    problems = []
    if abs(mean) > gaussian_mean_radius(n, std):
        problems.append(T("the mean is {mean}, not 0", mean=f"{mean:.3g}"))
    if not low <= square / std**2 <= high:
        problems.append(
            T(
                "the standard deviation is {got}, not {std}",
                got=f"{math.sqrt(square):.3g}",
                std=std,
            )
        )
    if abs(beyond - NORMAL_BEYOND_ONE_STD) > hoeffding_radius(n):
        problems.append(
            T(
                "{beyond} of the values lie beyond one std; a normal distribution puts 31.7% there",
                beyond=f"{beyond:.1%}",
            )
        )
    return problems


def init_answer(ctx: CheckContext, **options: Any) -> dict:
    return ctx.probe(probe=INIT_PROBE, options=options, timeout=CALL_TIMEOUT, shown=NET_TEXT)


@init_normal.check(
    "every nn.Linear gets weights from N(0, 0.01**2) and a zero bias (statistical bound)",
    3,
    hint=INIT_HINT,
    contract=(
        "an `nn.Linear` gets weights from a normal distribution with standard deviation 0.01 and a"
        " zero bias"
    ),
)
def _init_values(ctx: CheckContext) -> None:
    """Two weights of 20000 and 5000 values: mean, mean square and the fraction beyond one
    std, 6 statistics at 1e-11 each (mean within 0.01 * sqrt(2 ln(2e11) / n), mean square
    over 0.0001 in the chi-square interval, tail fraction within Hoeffding's
    sqrt(ln(2e11) / 2n) of 0.3173).  The biases must be exactly 0."""
    answer = init_answer(ctx)
    values = answer.get("values") or {}
    for name in ("0.bias", "2.bias"):
        bias = _values(values.get(name))
        if bias is None or bool((bias != 0).any()):
            ctx.fail(
                T("{name} is not all zeros", name=name),
                input=NET_TEXT,
                got=values.get(name),
                hint=INIT_HINT,
            )
    for name in ("0.weight", "2.weight"):
        weight = _values(values.get(name))
        problems = (
            normal_problems(weight, 0.01) if weight is not None else [T("the weight is missing")]
        )
        if problems:
            ctx.fail(
                T(
                    "{name} is not drawn from N(0, 0.01**2): {problems}",
                    name=name,
                    problems=join(problems, "; "),
                ),
                input=NET_TEXT,
                hint=INIT_HINT,
            )


@init_normal.check(
    "leaves every other module unchanged (convolution, batch norm)",
    1,
    hint="net.apply calls the function on every module: change a module only when "
    "isinstance(m, nn.Linear); hasattr(m, 'weight') is also true of convolutions and batch "
    "norm.",
    contract="other modules are left alone.",
)
def _init_others(ctx: CheckContext) -> None:
    answer = init_answer(ctx)
    changed = [n for n in OTHER_NAMES if not (answer.get("unchanged") or {}).get(n)]
    if changed:
        ctx.fail(T("it changed {names}", names=changed), input=NET_TEXT)


@init_normal.check(
    "changes the parameters in place: the same nn.Parameter objects, dtype and device kept",
    1,
    hint="fill the existing parameters (nn.init.normal_, nn.init.zeros_, or weight.normal_ "
    "inside torch.no_grad()): m.weight = nn.Parameter(...) or m.weight.data = torch.normal(...) "
    "replaces them (on the CPU, in float32).",
    contract="in place (the same parameters, their dtype and device kept)",
)
def _init_in_place(ctx: CheckContext) -> None:
    for options in ({}, {"dtype": torch.float64}, {"device": "meta"}):
        text = T("{call} with the net in {what}", call=NET_TEXT, what=describe(options))
        outcome = ctx.run(probe=INIT_PROBE, options=options, timeout=META_TIMEOUT, shown=text)
        if options.get("device") == "meta" and meta_cannot_run(outcome.raised):
            continue
        answer = ctx.answer(outcome, (), {}, shown=text)
        same = answer.get("same_objects") or {}
        if not all(same.get(n) for n in LINEAR_NAMES):
            ctx.fail("the layers' parameters were replaced by new objects", input=text)
        wanted_dtype = options.get("dtype", torch.float32)
        wanted_device = options.get("device", "cpu")
        for name in LINEAR_NAMES:
            got = (answer.get("values") or {}).get(name)
            if (
                not isinstance(got, TransportedTensor)
                or got.dtype != wanted_dtype
                or got.device_type != wanted_device
            ):
                ctx.fail(
                    T("{name} changed its dtype or device", name=name),
                    input=text,
                    expected=T("{dtype} on {device}", dtype=wanted_dtype, device=wanted_device),
                    got=got,
                )


# ---------------------------------------------------------------------------------------
# count_parameters
# ---------------------------------------------------------------------------------------
count_parameters = assignment.exercise("count_parameters")

COUNT_HINT = (
    "add up the sizes (numel()) of the net's distinct parameters: net.parameters() yields "
    "each of them once."
)
NETS = {
    "mlp": "nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))",
    "nested": "nested nn.Sequential blocks of Linear layers (one without bias)",
    "batch_norm": "nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), "
    "nn.Linear(36, 2))",
    "frozen": "nn.Sequential(nn.Linear(5, 7), nn.ReLU(), nn.Linear(7, 2)) with the first "
    "layer frozen (requires_grad_(False))",
    "shared": "d2l's shared layer: nn.Sequential(nn.Linear(4, 8), nn.ReLU(), shared, "
    "nn.ReLU(), shared, nn.ReLU(), nn.Linear(8, 1)) with shared = nn.Linear(8, 8)",
    "tied": "two nn.Linear(6, 6) layers with one weight tied (net[2].weight = net[0].weight)",
}


def expected_count(name: str) -> int:
    return sum(p.numel() for p in probes.counted_net(name).parameters())


def expect_count(ctx: CheckContext, name: str, hint: str, device: str = "cpu") -> Any:
    text = T("count_parameters({net})", net=NETS[name])
    got = ctx.probe(name, probe=COUNT_PROBE, options={"device": device})["result"]
    wanted = expected_count(name)
    number = got if isinstance(got, int) else _values(got)
    number = int(number) if isinstance(number, torch.Tensor) and number.numel() == 1 else number
    if number != wanted:
        ctx.fail(
            "count_parameters gave the wrong count", input=text, expected=wanted, got=got, hint=hint
        )
    return got


@count_parameters.check(
    "counts the scalar parameters (nested blocks, no bias, batch norm's buffers not counted, "
    "frozen ones counted)",
    2,
    hint="add up the sizes (numel()) of the net's distinct parameters: net.parameters() yields "
    "each of them once. Buffers (state_dict's running_mean) are not parameters; a frozen "
    "parameter (requires_grad=False) still is.",
    contract="`count_parameters(net)` -> the number of scalar parameters",
)
def _count_plain(ctx: CheckContext) -> None:
    for name in ("mlp", "nested", "batch_norm", "frozen"):
        expect_count(ctx, name, COUNT_HINT)


SHARED_HINT = (
    "a layer used twice holds one set of parameters: net.parameters() yields each once. "
    "Adding up the parameters of each layer in net (or named_parameters(remove_duplicate="
    "False)) counts a shared layer twice."
)


@count_parameters.check(
    "counts a shared parameter once (d2l's shared layer, tied weights)",
    2,
    hint=SHARED_HINT,
    contract="a parameter shared by several layers counted once.",
)
def _count_shared(ctx: CheckContext) -> None:
    for name in ("shared", "tied"):
        expect_count(ctx, name, SHARED_HINT)


@count_parameters.check(
    "returns a Python int and needs no values (meta nets)",
    1,
    hint="p.numel() is an int and sum of ints is an int; torch.tensor sums and .float() "
    "are not, and .item() cannot read a meta tensor.",
    contract="the number of scalar parameters as a Python int",
)
def _count_type(ctx: CheckContext) -> None:
    for device in ("cpu", "meta"):
        text = T("count_parameters({net}) on {device}", net=NETS["mlp"], device=device)
        outcome = ctx.run("mlp", probe=COUNT_PROBE, options={"device": device})
        if not outcome.ok:
            ctx.fail(
                T("count_parameters fails: {failure}", failure=outcome.describe_failure()),
                input=text,
            )
        got = ctx.answer(outcome, ("mlp",), {})["result"]
        if type(got) is not int:
            ctx.fail(
                "count_parameters should return a Python int",
                input=text,
                expected=expected_count("mlp"),
                got=got,
            )


# ---------------------------------------------------------------------------------------
# CenteredLayer
# ---------------------------------------------------------------------------------------
CenteredLayer = assignment.exercise("CenteredLayer")

CENTERED_HINT = "subtract from every element the mean of all of X's elements, one number."
CENTERED_INPUTS = [
    torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]),
    fixed((4, 3), 11) * 3 + 1,
    fixed((2, 3, 4), 12).double(),
    torch.zeros(3, 0),
]


def centered_expected(X: torch.Tensor) -> torch.Tensor:
    return X - torch.mean(X) if X.numel() else X.clone()


@CenteredLayer.check(
    "forward returns X - X.mean() (the mean of all elements; vectors, matrices, float64)",
    2,
    hint=CENTERED_HINT,
    contract="`forward(X)` returns `X - X.mean()`",
)
def _centered_forward(ctx: CheckContext) -> None:
    text = T(
        "CenteredLayer()(X) for X of shapes {shapes}",
        shapes=[tuple(x.shape) for x in CENTERED_INPUTS],
    )
    answer = ask(ctx, [], "forward", text, inputs=CENTERED_INPUTS, mode="eval")
    for X, pair in zip(CENTERED_INPUTS, answer.get("result") or []):
        expected = centered_expected(X)
        values = _values(pair[0])
        if (
            values is None
            or values.shape != expected.shape
            or values.dtype != expected.dtype
            or not torch.allclose(values, expected, rtol=1e-5, atol=1e-6, equal_nan=True)
        ):
            ctx.fail(
                "forward gave the wrong values",
                input=T(
                    "CenteredLayer()(X), X of shape {shape}: {x}",
                    shape=tuple(X.shape),
                    x=describe(X, 200),
                ),
                expected=expected,
                got=pair[0],
                hint=CENTERED_HINT,
            )


@CenteredLayer.check(
    "has no parameters",
    1,
    hint="the mean is computed from X at every call: nothing to learn, so no nn.Parameter.",
    contract="`CenteredLayer()`: no parameters;",
)
def _centered_parameters(ctx: CheckContext) -> None:
    text = "CenteredLayer()"
    answer = ask(ctx, [], "structure", text, inputs=[CENTERED_INPUTS[0]])
    table = parameter_table(answer)
    if table:
        ctx.fail("CenteredLayer should hold no parameters", input=text, got=describe(table))


@CenteredLayer.check(
    "is differentiable and does not modify X",
    1,
    hint="compute a new tensor (X - X.mean()); X -= X.mean() writes into the caller's X.",
    contract="differentiable in `X`.",
)
def _centered_autograd(ctx: CheckContext) -> None:
    X = fixed((3, 4), 13)
    text = T(
        "CenteredLayer()(X), X of shape {shape}: {x}, then backward",
        shape=tuple(X.shape),
        x=describe(X, 200),
    )
    plain = ask(ctx, [], "forward", text, inputs=[X])
    after = _values((plain.get("inputs_after") or [None])[0])
    if after is None or not torch.equal(after, X):
        ctx.fail(
            "CenteredLayer modified its input X in place",
            input=text,
            expected=X,
            got=after,
        )
    answer = ask(ctx, [], "input_grad", text, inputs=[X])
    after = _values(answer.get("input_after"))
    if after is None or not torch.equal(after, X):
        ctx.fail(
            "CenteredLayer modified its input X in place",
            input=text,
            expected=X,
            got=answer.get("input_after"),
        )
    pattern = torch.linspace(0.0, 1.0, X.numel()).reshape(X.shape)
    expected = pattern - pattern.mean()
    grad = _values(answer.get("result"))
    if grad is None or grad.shape != X.shape or not torch.allclose(grad, expected, atol=1e-5):
        ctx.fail(
            "the gradient with respect to X is wrong (or missing)",
            input=text,
            expected=expected,
            got=answer.get("result"),
            hint="compute with differentiable tensor operations on X: X.mean().item() or "
            "torch.tensor(...) take the mean out of the graph.",
        )


@CenteredLayer.check(
    "works on any device (meta, CUDA if present)", 1, contract="moved with `.to(device)`."
)
def _centered_device(ctx: CheckContext) -> None:
    expect_moves(ctx, [], [fixed((3, 4), 14)], (3, 4), "CenteredLayer()")


# ---------------------------------------------------------------------------------------
# MyLinear
# ---------------------------------------------------------------------------------------
MyLinear = assignment.exercise(
    "MyLinear",
    forbidden=("torch.nn.Linear", "torch.nn.LazyLinear", "torch.nn.functional.linear"),
)

MY_STATE = {"weight": fixed((5, 3), 21), "bias": fixed((3,), 22)}
MY_X = fixed((4, 5), 23)
PARAMETER_HINT = (
    "wrap a weight of shape (in_units, units) and a bias of shape (units,), both drawn from "
    "N(0, 1), in nn.Parameter, as self.weight and self.bias: nn.Parameter registers them "
    "(requires grad, listed by parameters(), moved by .to())."
)


@MyLinear.check(
    "weight (in_units, units) and bias (units,) are registered nn.Parameters",
    2,
    hint=PARAMETER_HINT,
    contract=(
        "`MyLinear(in_units, units)`: parameters `weight` `(in_units, units)` and `bias` `(units,)`"
    ),
)
def _my_structure(ctx: CheckContext) -> None:
    text = "MyLinear(5, 3)"
    answer = ask(ctx, [5, 3], "structure", text, inputs=[MY_X])
    got = parameter_table(answer)
    wanted = {"weight": (5, 3), "bias": (3,)}
    if got != wanted:
        hint = PARAMETER_HINT
        if got.get("weight") == (3, 5):
            hint = T(
                "weight is (in_units, units) in d2l, so that X @ weight works; (units, "
                "in_units) is nn.Linear's layout. {hint}",
                hint=PARAMETER_HINT,
            )
        ctx.fail(
            "the layer's parameters are not weight (in_units, units) and bias (units,)",
            input=text,
            expected=describe(wanted),
            got=describe(got),
            hint=hint,
        )


@MyLinear.check(
    "weight and bias are drawn from N(0, 1) (statistical bound)",
    1,
    hint="torch.randn draws from N(0, 1); torch.rand is uniform on [0, 1).",
    contract="drawn from a standard normal;",
)
def _my_init(ctx: CheckContext) -> None:
    """MyLinear(200, 100)'s weight, 20000 values: mean, mean square and tail fraction
    against N(0, 1), 3 statistics at 1e-11 each (see init_normal's check)."""
    text = "MyLinear(200, 100)"
    answer = ask(ctx, [200, 100], "values", text)
    values = answer.get("result") or {}
    weight = _values(values.get("weight"))
    if weight is None:
        ctx.fail("the layer has no parameter named weight", input=text, hint=PARAMETER_HINT)
    problems = normal_problems(weight, 1.0)
    if problems:
        ctx.fail(
            T("weight is not drawn from N(0, 1): {problems}", problems=join(problems, "; ")),
            input=text,
        )


@MyLinear.check(
    "forward returns relu(X @ weight + bias)",
    2,
    hint="the product of X and self.weight, plus self.bias, then the ReLU of that.",
    contract="`forward(X)` returns `relu(X @ weight + bias)`",
)
def _my_forward(ctx: CheckContext) -> None:
    text = T("MyLinear(5, 3) with fixed parameters, on X of shape {shape}", shape=(4, 5))
    answer, _ = ask_loaded(ctx, [5, 3], "forward", text, MY_STATE, inputs=[MY_X], mode="eval")
    if answer.get("unset"):
        ctx.fail(
            T("could not load the parameters {names}", names=answer["unset"]),
            input=text,
            hint=PARAMETER_HINT,
        )
    expected = F.relu(MY_X @ MY_STATE["weight"] + MY_STATE["bias"])
    got = (answer.get("result") or [[None]])[0][0]
    values = _values(got)
    if (
        values is None
        or values.shape != expected.shape
        or not torch.allclose(values, expected, rtol=1e-4, atol=1e-5)
    ):
        ctx.fail("forward gave the wrong values", input=text, expected=expected, got=got)


@MyLinear.check(
    "gradients reach weight and bias (no .data in forward)",
    2,
    hint="compute with self.weight and self.bias themselves. self.weight.data has the same "
    "values but is cut from autograd: the loss's gradient never reaches the parameter, and "
    "the layer never learns (d2l's listing has this bug).",
    contract=(
        "with gradients reaching both parameters (computing with `weight.data` would cut them)."
    ),
)
def _my_grads(ctx: CheckContext) -> None:
    text = T(
        "MyLinear(5, 3) with fixed parameters: backward of forward(X), X of shape {shape}",
        shape=(4, 5),
    )
    answer, names = ask_loaded(ctx, [5, 3], "grads", text, MY_STATE, inputs=[MY_X])
    grads = answer.get("result") or {}
    missing = sorted(name for name in MY_STATE if _values(grads.get(names[name])) is None)
    if missing:
        ctx.fail(T("no gradient reached {names}", names=missing), input=text)


@MyLinear.check(
    "moves with .to(device): forward works on meta (and CUDA if present)",
    1,
    contract="moved with `.to(device)`.",
)
def _my_device(ctx: CheckContext) -> None:
    expect_moves(ctx, [5, 3], [MY_X], (4, 3), "MyLinear(5, 3)")
