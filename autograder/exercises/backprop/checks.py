"""Checks for ``backprop.py``: perceptron_backward, mlp_backward, himmelblau, minimize.

The two backward passes forbid autograd in every form
(:data:`autograder.exercises.by_hand.AUTOGRAD`); their ground truth is autograd in float64
on the forward pass, in the judge (this folder's ``oracle.py``, in the instructor's grader
and the kit alike).  Their values are compared with the inputs in float64 and in float32,
against the float64 truth rounded to the dtype, as ``|got - expected| <= atol + rtol *
|expected|`` with ``rtol = 4 c eps`` and ``atol = 4 c eps * scale``: ``eps`` the dtype's
machine epsilon, ``c`` the number of terms summed on the longest way from the inputs to the
result (for the perceptron ``N K + N D + D + 16``), ``scale`` the size of the sum without
cancellation (``|δ|ᵀ |X|`` for a gradient).  In float64 that is within about 1e-13.

``himmelblau`` is compared with the formula, and graded by its effect: Adam (this folder's
probe, not the student's ``minimize``) run on it from ``(0, 0)`` must end at the minimum
``(3, 2)``; with the notes' wrong second term ``(x^2 + y - 7)^2`` it ends on the valley
``x^2 + y = 9``, at ``(0, 9)``, and the feedback says so.  ``minimize`` is compared with
``torch.optim.Adam``'s own steps on objectives the probe makes, with few steps and large
learning rates (cheap); the contract's default claim (``lr = 1e-3``, 20000 steps reach
``(3, 2)``) is checked once, in a hidden check, by the defaults of the signature: those
20000 steps would take seconds.  Nothing is random.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
from hypothesis import strategies as st

from autograder.engine.protocol import Placed, TransportedTensor
from autograder.exercises.backprop import oracle as autograd_truth
from autograder.exercises.backprop import probes
from autograder.exercises.by_hand import AUTOGRAD
from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors
from autograder.grading.context import CheckContext, describe
from autograder.grading.contract import ANY_DEVICE, INPUTS_UNCHANGED, KEEPS_DTYPE
from autograder.grading.expect import as_tensor, expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    cuda_available,
    expect_device_portable,
    expect_gradients,
    expect_inputs_unchanged,
)
from autograder.grading.registry import probe_name
from autograder.i18n import T, phrase

assignment = Assignment("backprop")

DESCEND_PROBE = probe_name("backprop", "descend")
MINIMIZE_PROBE = probe_name("backprop", "run_minimize")
DEFAULTS_PROBE = probe_name("backprop", "defaults")

BY_HAND = AUTOGRAD + ("torch.nn.functional.mse_loss", "torch.nn.MSELoss", "torch._C._nn.mse_loss")


def tolerance(dtype: torch.dtype, terms: int, scale: float) -> dict[str, float]:
    """``rtol = 4 c eps`` and ``atol = 4 c eps * scale`` for ``c = terms`` (module doc)."""
    slack = 4 * terms * torch.finfo(dtype).eps
    return {"rtol": slack, "atol": slack * scale}


def diagnosis(got: Any, candidates: Sequence[tuple[torch.Tensor, str]], default: str) -> str:
    """The hint of the first known mistake whose values ``got`` has, else ``default``."""
    values = as_tensor(got)
    if values is None:
        return default
    for wrong, hint in candidates:
        if values.shape == wrong.shape and bool(
            torch.isclose(values.double(), wrong.double(), rtol=1e-3, atol=1e-9).all()
        ):
            return hint
    return default


def parts(ctx: CheckContext, args: tuple[Any, ...], count: int) -> tuple[tuple, Any]:
    """The student's result for ``args`` as a tuple of ``count`` parts, and the input text."""
    got = ctx.call(*args)
    text = ctx.input_text(*args)
    if not isinstance(got, tuple) or len(got) != count:
        ctx.fail(
            T("the result should be a tuple of {count} tensors", count=count),
            input=text,
            got=describe(got),
            hint=RETURN_HINT,
        )
    return got, text


RETURN_HINT = "return the error and the gradient(s) as a tuple: return E, dW (E, dW1, dW2)."
HALF_SUM_HINT = (
    "E = sum((O - T)^2) / 2 over all elements: the 1/2 cancels the 2 of the square's derivative."
)
MEAN_ERROR_HINT = (
    "that is a mean without the 1/2, what F.mse_loss gives: this exercise's error is the "
    "half sum, E = sum((O - T)^2) / 2."
)
NO_HALF_HINT = "that is sum((O - T)^2): E has a 1/2 in front, sum((O - T)^2) / 2."
MEAN_GRADIENT_HINT = (
    "that is the gradient of the mean, 2 / (N K) times the right one (F.mse_loss's error): "
    "the error here is the half sum E = sum((O - T)^2) / 2, whose gradient is "
    "((O - T) * O * (1 - O)).T @ X, with no factor in front."
)
GRADIENT_SIGN_HINT = (
    "the sign is wrong: δ = (O - T) * O * (1 - O), not (T - O) * ...: the gradient points "
    "uphill, where E grows."
)
NO_SIGMOID_HINT = (
    "the sigmoid's derivative is missing: O = σ(X @ W.T), so ∂O/∂z = O (1 - O) and "
    "δ = (O - T) * O * (1 - O)."
)
SIGMOID_TWICE_HINT = (
    "σ'(z) = σ(z) (1 - σ(z)) = O (1 - O) with O = σ(z) already: σ(O) (1 - σ(O)) applies "
    "the sigmoid twice."
)

# ---------------------------------------------------------------------------------------
# perceptron_backward
# ---------------------------------------------------------------------------------------
perceptron_backward = assignment.exercise("perceptron_backward", forbidden=BY_HAND)

DW_HINT = "δ = (O - T) * O * (1 - O) with O = torch.sigmoid(X @ W.T), then dW = δ.T @ X."


@st.composite
def perceptron_inputs(draw: st.DrawFn) -> tuple[torch.Tensor, ...]:
    """(X, W, T) in float64: N, D in 1..4, K in 1..3, |X|, |W| <= 2, T in [0, 1]."""
    n, d, k = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    X = draw(tensors((n, d), torch.float64, -2.0, 2.0))
    W = draw(tensors((k, d), torch.float64, -2.0, 2.0))
    T = draw(tensors((n, k), torch.float64, 0.0, 1.0))
    return X, W, T


def perceptron_terms(X: torch.Tensor, W: torch.Tensor) -> int:
    (n, d), k = X.shape, W.shape[0]
    return n * k + n * d + d + 16


def perceptron_pieces(X: torch.Tensor, W: torch.Tensor, T: torch.Tensor) -> dict[str, Any]:
    """The forward pass in float64, for the tolerances and the known mistakes."""
    X, W, T = (t.to(torch.float64) for t in (X, W, T))
    O = torch.sigmoid(X @ W.T)  # noqa: E741 - the notes' name
    delta = (O - T) * O * (1 - O)
    return {"X": X, "O": O, "T": T, "delta": delta, "scale": float((delta.abs().T @ X.abs()).max())}


@perceptron_backward.check(
    "E agrees with sum((O - T)^2) / 2 (float64 and float32)",
    1,
    hint=HALF_SUM_HINT,
    contract="`E = sum((O - T)²) / 2` (0-dim)",
)
def _perceptron_error(ctx: CheckContext) -> None:
    @ctx.given(
        perceptron_inputs(), st.sampled_from((torch.float64, torch.float32)), max_examples=10
    )
    def _(case, dtype) -> None:
        X, W, T = (t.to(dtype) for t in case)
        (E, _), text = parts(ctx, (X, W, T), 2)
        want, _ = autograd_truth.perceptron_backward(X, W, T)
        n, k = T.shape
        mistakes = [(want * 2 / (n * k), phrase(MEAN_ERROR_HINT)), (want * 2, phrase(NO_HALF_HINT))]
        expect_tensor(
            E,
            want,
            input=text,
            what="E",
            check_dtype=False,
            hint=diagnosis(E, mistakes, HALF_SUM_HINT),
            **tolerance(dtype, perceptron_terms(X, W), float(want)),
        )


@perceptron_backward.check(
    "dW agrees with autograd's dE/dW (float64 and float32)",
    3,
    hint=DW_HINT,
    contract="`dW = ∂E/∂W` (`W`'s shape)",
)
def _perceptron_gradient(ctx: CheckContext) -> None:
    @ctx.given(
        perceptron_inputs(), st.sampled_from((torch.float64, torch.float32)), max_examples=10
    )
    def _(case, dtype) -> None:
        X, W, T = (t.to(dtype) for t in case)
        (_, dW), text = parts(ctx, (X, W, T), 2)
        _, want = autograd_truth.perceptron_backward(X, W, T)
        pieces = perceptron_pieces(X, W, T)
        O, Xd, Td = pieces["O"], pieces["X"], pieces["T"]  # noqa: E741 - the notes' name
        n, k = Td.shape
        s = torch.sigmoid(O)
        mistakes = [
            (want * 2 / (n * k), phrase(MEAN_GRADIENT_HINT)),
            (-want, phrase(GRADIENT_SIGN_HINT)),
            ((O - Td).T @ Xd, phrase(NO_SIGMOID_HINT)),
            (((O - Td) * (s - s * s)).T @ Xd, phrase(SIGMOID_TWICE_HINT)),
        ]
        expect_tensor(
            dW,
            want,
            input=text,
            what="dW",
            check_dtype=False,
            hint=diagnosis(dW, mistakes, DW_HINT),
            **tolerance(dtype, perceptron_terms(X, W), pieces["scale"]),
        )


SHAPES_HINT = (
    "E is a 0-dim tensor (sum over every element, no keepdim); each gradient has its "
    "weight's shape: dW = δ.T @ X is (K, D), not X.T @ δ (D, K)."
)


def expect_shapes(ctx: CheckContext, got: tuple, wanted: Sequence[tuple[str, tuple]], text) -> None:
    for part, (what, shape) in zip(got, wanted):
        if not isinstance(part, TransportedTensor) or tuple(part.shape) != shape:
            ctx.fail(
                T("{what} has the wrong shape", what=what),
                input=text,
                expected=T("shape {shape}", shape=shape),
                got=T("shape {shape}", shape=tuple(part.shape))
                if isinstance(part, TransportedTensor)
                else describe(part),
                hint=SHAPES_HINT,
            )


RECTANGLE = tuple(
    torch.tensor(values, dtype=torch.float64)
    for values in (
        [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]],
        [[0.3, -0.2, 0.1], [-0.4, 0.6, 0.2], [1.0, 0.5, -1.0], [0.0, 0.2, 0.4]],
        [[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.5, 0.0]],
    )
)


@perceptron_backward.check(
    "returns (E, dW): a 0-dim E and dW shaped like W",
    1,
    hint=SHAPES_HINT,
    contract="`perceptron_backward(X, W, T)` -> `(E, dW)`",
)
def _perceptron_shapes(ctx: CheckContext) -> None:
    X, W, T = RECTANGLE
    got, text = parts(ctx, (X, W, T), 2)
    expect_shapes(ctx, got, [("E", ()), ("dW", tuple(W.shape))], text)


@perceptron_backward.check(
    "raises ValueError for shapes that do not fit",
    1,
    hint="check first: X (N, D), W (K, D) and T (N, K) must be matrices with matching "
    "sizes: raise ValueError, not AssertionError; broadcasting T would hide the mistake.",
    contract="`ValueError` if the shapes do not fit.",
)
def _perceptron_errors(ctx: CheckContext) -> None:
    X, W, T = RECTANGLE
    for args, why in (
        ((X, W[:, :2], T), "when W's columns are not X's"),
        ((X, W, T[:, :3]), "when T has another number of columns than W has rows"),
        ((X, W, T[:1]), "when T has another number of rows than X"),
        ((X, W, T[:, :1]), "when T would only broadcast"),
        ((X[0], W, T), "for a 1-D X"),
    ):
        ctx.expect_raises(ValueError, *args, why=why)


def dtype_check(ctx: CheckContext, args: tuple[torch.Tensor, ...], count: int, hint: str) -> None:
    for dtype in FLOAT_DTYPES:
        typed = tuple(t.to(dtype) for t in args)
        got, text = parts(ctx, typed, count)
        for part in got:
            expect_tensor(part, typed[0], input=text, judging="dtype", hint=hint)


BACKWARD_DTYPE_HINT = (
    "return the inputs' dtype: compute with the inputs' own tensors (no .float(), no "
    "torch.zeros(...) without dtype=)."
)


@perceptron_backward.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=BACKWARD_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _perceptron_dtype(ctx: CheckContext) -> None:
    dtype_check(ctx, RECTANGLE, 2, BACKWARD_DTYPE_HINT)


@perceptron_backward.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=ANY_DEVICE
)
def _perceptron_device(ctx: CheckContext) -> None:
    expect_device_portable(ctx, *RECTANGLE, against="self")


@perceptron_backward.check(
    "does not modify its inputs",
    1,
    hint="W -= ... or O.sub_(T) on an input write into the caller's tensors: the backward "
    "pass computes the gradient, the optimiser's step changes W.",
    contract=INPUTS_UNCHANGED,
)
def _perceptron_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, *RECTANGLE)


# ---------------------------------------------------------------------------------------
# mlp_backward
# ---------------------------------------------------------------------------------------
mlp_backward = assignment.exercise("mlp_backward", forbidden=BY_HAND)

DW2_HINT = "δK = (O - T) * O * (1 - O); dW2 = δK.T @ H, with H the hidden layer's output."
DW1_HINT = (
    "each hidden unit j collects Σ_k δK[k] W2[k, j]: δJ = H * (1 - H) * (δK @ W2), then "
    "dW1 = δJ.T @ X."
)
NO_HIDDEN_DERIVATIVE_HINT = (
    "the hidden layer's sigmoid derivative is missing: δJ = H * (1 - H) * (δK @ W2), "
    "H (1 - H) being σ' at the hidden layer."
)
TRANSPOSED_W2_HINT = (
    "δK @ W2.T runs the weights the wrong way round: W2 is (K, J), so the hidden units' "
    "sums Σ_k δ_k w_jk are δK @ W2 ((N, K) @ (K, J))."
)
OUTPUT_NOT_HIDDEN_HINT = (
    "dW2 takes the hidden layer's output: dW2 = δK.T @ H, not the output O or the input X."
)


@st.composite
def mlp_inputs(draw: st.DrawFn) -> tuple[torch.Tensor, ...]:
    """(X, T, W1, W2) in float64: N, I, J in 1..4, K in 1..3 (J == K now and then)."""
    n, i, j, k = (draw(st.integers(1, 4)) for _ in range(4))
    k = min(k, 3)
    X = draw(tensors((n, i), torch.float64, -2.0, 2.0))
    T = draw(tensors((n, k), torch.float64, 0.0, 1.0))
    W1 = draw(tensors((j, i), torch.float64, -2.0, 2.0))
    W2 = draw(tensors((k, j), torch.float64, -2.0, 2.0))
    return X, T, W1, W2


def mlp_forward(X, T, W1, W2) -> dict[str, torch.Tensor]:
    X, T, W1, W2 = (t.to(torch.float64) for t in (X, T, W1, W2))
    H = (X @ W1.T).sigmoid()
    O = (H @ W2.T).sigmoid()  # noqa: E741 - the notes' name
    delta_K = (O - T) * O * (1 - O)
    delta_J = (delta_K @ W2) * H * (1 - H)
    return {"X": X, "T": T, "W2": W2, "H": H, "O": O, "dK": delta_K, "dJ": delta_J}


def mlp_terms(X: torch.Tensor, W1: torch.Tensor, W2: torch.Tensor) -> int:
    (n, i), j, k = X.shape, W1.shape[0], W2.shape[0]
    return n * k + n * j + n * i + j * k + i + j + 16


def mlp_case(ctx: CheckContext, case: tuple, dtype: torch.dtype) -> tuple:
    X, T, W1, W2 = (t.to(dtype) for t in case)
    got, text = parts(ctx, (X, T, W1, W2), 3)
    return (X, T, W1, W2), got, text, autograd_truth.mlp_backward(X, T, W1, W2)


@mlp_backward.check(
    "E agrees with sum((O - T)^2) / 2 (float64 and float32)",
    1,
    hint=HALF_SUM_HINT,
    contract="`O = sigmoid(H @ W2.T)` and the same `E`",
)
def _mlp_error(ctx: CheckContext) -> None:
    @ctx.given(mlp_inputs(), st.sampled_from((torch.float64, torch.float32)), max_examples=10)
    def _(case, dtype) -> None:
        (X, T, W1, W2), got, text, (want, _, _) = mlp_case(ctx, case, dtype)
        n, k = T.shape
        mistakes = [(want * 2 / (n * k), phrase(MEAN_ERROR_HINT)), (want * 2, phrase(NO_HALF_HINT))]
        expect_tensor(
            got[0],
            want,
            input=text,
            what="E",
            check_dtype=False,
            hint=diagnosis(got[0], mistakes, HALF_SUM_HINT),
            **tolerance(dtype, mlp_terms(X, W1, W2), float(want)),
        )


@mlp_backward.check(
    "dW2 agrees with autograd's dE/dW2 (float64 and float32)",
    2,
    hint=DW2_HINT,
    contract="`O = sigmoid(H @ W2.T)` and the same `E`",
)
def _mlp_output_gradient(ctx: CheckContext) -> None:
    @ctx.given(mlp_inputs(), st.sampled_from((torch.float64, torch.float32)), max_examples=10)
    def _(case, dtype) -> None:
        (X, T, W1, W2), got, text, (_, _, want) = mlp_case(ctx, case, dtype)
        f = mlp_forward(X, T, W1, W2)
        n, k = f["T"].shape
        mistakes = [
            (want * 2 / (n * k), phrase(MEAN_GRADIENT_HINT)),
            (-want, phrase(GRADIENT_SIGN_HINT)),
            ((f["O"] - f["T"]).T @ f["H"], phrase(NO_SIGMOID_HINT)),
            (f["dK"].T @ f["O"], phrase(OUTPUT_NOT_HIDDEN_HINT)),
        ]
        scale = float((f["dK"].abs().T @ f["H"]).max())
        expect_tensor(
            got[2],
            want,
            input=text,
            what="dW2",
            check_dtype=False,
            hint=diagnosis(got[2], mistakes, DW2_HINT),
            **tolerance(dtype, mlp_terms(X, W1, W2), scale),
        )


@mlp_backward.check(
    "dW1 agrees with autograd's dE/dW1 (float64 and float32)",
    3,
    hint=DW1_HINT,
    contract="`H = sigmoid(X @ W1.T)`",
)
def _mlp_hidden_gradient(ctx: CheckContext) -> None:
    @ctx.given(mlp_inputs(), st.sampled_from((torch.float64, torch.float32)), max_examples=10)
    def _(case, dtype) -> None:
        (X, T, W1, W2), got, text, (_, want, _) = mlp_case(ctx, case, dtype)
        f = mlp_forward(X, T, W1, W2)
        n, k = f["T"].shape
        mistakes = [
            (want * 2 / (n * k), phrase(MEAN_GRADIENT_HINT)),
            (-want, phrase(GRADIENT_SIGN_HINT)),
            ((f["dK"] @ f["W2"]).T @ f["X"], phrase(NO_HIDDEN_DERIVATIVE_HINT)),
        ]
        if f["W2"].shape[0] == f["W2"].shape[1]:
            wrong = (f["H"] * (1 - f["H"]) * (f["dK"] @ f["W2"].T)).T @ f["X"]
            mistakes.append((wrong, phrase(TRANSPOSED_W2_HINT)))
        scale = float((f["dJ"].abs().T @ f["X"].abs()).max()) + float(
            ((f["dK"].abs() @ f["W2"].abs()).T @ f["X"].abs()).max()
        )
        expect_tensor(
            got[1],
            want,
            input=text,
            what="dW1",
            check_dtype=False,
            hint=diagnosis(got[1], mistakes, DW1_HINT),
            **tolerance(dtype, mlp_terms(X, W1, W2), scale),
        )


NETWORK = (
    torch.tensor([[0.5, -1.0], [1.5, 0.0], [-0.5, 2.0]], dtype=torch.float64),
    torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], dtype=torch.float64),
    torch.tensor([[0.3, -0.2], [-0.4, 0.6], [1.0, 0.5]], dtype=torch.float64),
    torch.tensor([[0.2, -0.7, 0.4], [0.9, 0.1, -0.3]], dtype=torch.float64),
)


@mlp_backward.check(
    "returns (E, dW1, dW2): a 0-dim E and gradients shaped like W1 and W2",
    1,
    hint=SHAPES_HINT,
    contract="`mlp_backward(X, T, W1, W2)` -> `(E, dW1, dW2)`",
)
def _mlp_shapes(ctx: CheckContext) -> None:
    X, T, W1, W2 = NETWORK
    got, text = parts(ctx, NETWORK, 3)
    expect_shapes(ctx, got, [("E", ()), ("dW1", tuple(W1.shape)), ("dW2", tuple(W2.shape))], text)


@mlp_backward.check(
    "raises ValueError for shapes that do not fit",
    1,
    hint="check first: X (N, I), W1 (J, I), W2 (K, J) and T (N, K) must be matrices with "
    "matching sizes: raise ValueError.",
    contract="`ValueError` if the shapes do not fit.",
)
def _mlp_errors(ctx: CheckContext) -> None:
    X, T, W1, W2 = NETWORK
    for args, why in (
        ((X, T, W1[:, :1], W2), "when W1's columns are not X's"),
        ((X, T, W1, W2[:, :2]), "when W2's columns are not W1's rows"),
        ((X, T[:, :1], W1, W2), "when T has another number of columns than W2 has rows"),
        ((X, T[:2], W1, W2), "when T has another number of rows than X"),
        ((X[0], T, W1, W2), "for a 1-D X"),
        ((X, T, W1[0], W2), "for a 1-D W1"),
        ((X, T, W1, W2[0]), "for a 1-D W2"),
    ):
        ctx.expect_raises(ValueError, *args, why=why)


@mlp_backward.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=BACKWARD_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _mlp_dtype(ctx: CheckContext) -> None:
    dtype_check(ctx, NETWORK, 3, BACKWARD_DTYPE_HINT)


@mlp_backward.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=ANY_DEVICE
)
def _mlp_device(ctx: CheckContext) -> None:
    expect_device_portable(ctx, *NETWORK, against="self")


@mlp_backward.check(
    "does not modify its inputs",
    1,
    hint="W1 -= ... or H.mul_(...) on an input write into the caller's tensors: compute "
    "new tensors.",
    contract=INPUTS_UNCHANGED,
)
def _mlp_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, *NETWORK)


# ---------------------------------------------------------------------------------------
# himmelblau
# ---------------------------------------------------------------------------------------
himmelblau = assignment.exercise("himmelblau")

HIMMELBLAU_HINT = (
    "(x² + y - 11)² + (x + y² - 7)² with x and y the two entries of P's last dimension: "
    "index that dimension from the end, and every other one is kept."
)
SECOND_TERM_HINT = (
    "the second term is (x + y^2 - 7)^2: x plain and y squared. The notes' code has "
    "(x[0] ** 2 + x[1] - 7) ** 2, which repeats the first term's x^2 + y."
)


def wrong_second_term(P: torch.Tensor) -> torch.Tensor:
    x, y = P[..., 0].double(), P[..., 1].double()
    return (x**2 + y - 11) ** 2 + (x**2 + y - 7) ** 2


@st.composite
def points(draw: st.DrawFn) -> tuple[torch.Tensor, Any]:
    """(P in float64, float32 or float64): shape (..., 2) with up to 3 dimensions, |P| <= 5."""
    dtype = draw(st.sampled_from((torch.float32, torch.float64)))
    leading = draw(shapes(min_dims=0, max_dims=2, min_side=0, max_side=4))
    return draw(tensors((*leading, 2), torch.float64, -5.0, 5.0)), dtype


@himmelblau.check(
    "agrees with (x^2 + y - 11)^2 + (x + y^2 - 7)^2 on points of shape (..., 2)",
    2,
    hint=HIMMELBLAU_HINT,
    contract=(
        "`himmelblau(P)` -> `(x² + y - 11)² + (x + y² - 7)²` for points `P` of shape `(..., 2)`"
    ),
)
def _himmelblau_agrees(ctx: CheckContext) -> None:
    @ctx.given(points(), max_examples=10)
    def _(case) -> None:
        P, dtype = case
        for Pd in (P, P.to(dtype)):
            want = ctx.reference.himmelblau(Pd.to(torch.float64)).to(Pd.dtype)
            got = ctx.call(Pd)
            eps = torch.finfo(Pd.dtype).eps
            expect_tensor(
                got,
                want,
                input=ctx.input_text(Pd),
                check_dtype=False,
                hint=diagnosis(
                    got, [(wrong_second_term(Pd), phrase(SECOND_TERM_HINT))], HIMMELBLAU_HINT
                ),
                rtol=16 * eps,
                atol=16 * eps * 1e3,
            )


START = torch.zeros(2, dtype=torch.float64)
DESCENT = {"lr": 0.1, "steps": 400}


@himmelblau.check(
    "Adam on it from (0, 0) ends at its minimum (3, 2)",
    2,
    hint=HIMMELBLAU_HINT,
    contract="Adam run on it from `(0, 0)` must end at the minimum `(3, 2)`.",
)
def _himmelblau_descent(ctx: CheckContext) -> None:
    """Adam (lr=0.1, 400 steps, in float64) reaches (3, 2) within 1e-6 on the formula: the
    probe's own loop, so only the function is the student's.  With the notes' second term
    it ends at (0, 8.9...) on the valley x^2 + y = 9 (at (0, 9) after the notes' 20000
    steps of lr=1e-3)."""
    answer = ctx.probe(START, probe=DESCEND_PROBE, options=DESCENT)
    result = answer.get("result")
    point = result.get("point") if isinstance(result, dict) else None
    values = as_tensor(point)
    text = T(
        "torch.optim.Adam([P], lr={lr}) for {steps} steps on himmelblau(P) from P = (0, 0)",
        **DESCENT,
    )
    if values is None or values.shape != (2,) or not bool(torch.isfinite(values).all()):
        ctx.fail("Adam did not end at a point", input=text, got=describe(result))
    target = torch.tensor([3.0, 2.0], dtype=torch.float64)
    if not bool(((values.double() - target).abs() <= 1e-3).all()):
        value = result.get("value") if isinstance(result, dict) else None
        ctx.fail(
            "the minimiser ends elsewhere than Himmelblau's minimum (3, 2)",
            input=text,
            expected="(3, 2), where the function is 0",
            got=T(
                "({x}, {y}), where your function is {value}",
                x=f"{float(values[0]):.4f}",
                y=f"{float(values[1]):.4f}",
                value=describe(value),
            ),
            hint=diagnosis(
                ctx.call(SAMPLE_POINTS),
                [(wrong_second_term(SAMPLE_POINTS), phrase(SECOND_TERM_HINT))],
                HIMMELBLAU_HINT,
            ),
        )


MINIMA = torch.tensor(
    [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]],
    dtype=torch.float64,
)
SAMPLE_POINTS = torch.tensor([[0.0, 0.0], [1.0, -2.0], [2.5, 1.5]], dtype=torch.float64)


@himmelblau.check(
    "is 0 at its four minima", 1, hint=HIMMELBLAU_HINT, contract="`(x² + y - 11)² + (x + y² - 7)²`"
)
def _himmelblau_minima(ctx: CheckContext) -> None:
    """The minima other than (3, 2) are given to 6 decimals: f there is below 1e-9."""
    got = ctx.call(MINIMA)
    values = as_tensor(got)
    if values is None or values.shape != (4,) or not bool((values.abs() <= 1e-9).all()):
        ctx.fail(
            "the function is not 0 at Himmelblau's minima",
            input=ctx.input_text(MINIMA),
            expected="[0, 0, 0, 0] (within 1e-9)",
            got=got,
            hint=diagnosis(
                got, [(wrong_second_term(MINIMA), phrase(SECOND_TERM_HINT))], HIMMELBLAU_HINT
            ),
        )


@himmelblau.check(
    "is differentiable: autograd's gradient agrees",
    1,
    hint="compute with tensor operations on P (no .item(), float(...) or torch.tensor(...) "
    "of its values): minimize backpropagates through it.",
    contract="of shape `P.shape[:-1]`, differentiable.",
)
def _himmelblau_gradient(ctx: CheckContext) -> None:
    expect_gradients(ctx, SAMPLE_POINTS, seed=5)
    expect_gradients(ctx, SAMPLE_POINTS[0], seed=6)


@himmelblau.check(
    "raises ValueError if the last dimension is not 2",
    1,
    hint="check first: if P.dim() == 0 or P.shape[-1] != 2: raise ValueError(...).",
    contract="`ValueError` if the last dimension is not 2.",
)
def _himmelblau_errors(ctx: CheckContext) -> None:
    for P in (torch.zeros(3), torch.zeros(2, 3), torch.tensor(1.0), torch.zeros(2, 0)):
        ctx.expect_raises(ValueError, P, why="when the last dimension is not 2")


HIMMELBLAU_DTYPE_HINT = "return P's dtype: no .float() or torch.tensor(...) of the result."


@himmelblau.check(
    "keeps the dtype (float16, bfloat16, float32, float64)",
    1,
    hint=HIMMELBLAU_DTYPE_HINT,
    contract=KEEPS_DTYPE,
)
def _himmelblau_dtype(ctx: CheckContext) -> None:
    for dtype in FLOAT_DTYPES:
        P = SAMPLE_POINTS.to(dtype)
        expect_tensor(
            ctx.call(P), P, input=ctx.input_text(P), judging="dtype", hint=HIMMELBLAU_DTYPE_HINT
        )


@himmelblau.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 1, contract=ANY_DEVICE
)
def _himmelblau_device(ctx: CheckContext) -> None:
    expect_device_portable(ctx, SAMPLE_POINTS, against="self")


@himmelblau.check(
    "does not modify its input",
    1,
    hint="P[..., 0] is a view of P: x **= 2 or x.pow_(2) writes into the caller's tensor; "
    "use x**2.",
    contract=INPUTS_UNCHANGED,
)
def _himmelblau_no_mutation(ctx: CheckContext) -> None:
    expect_inputs_unchanged(ctx, SAMPLE_POINTS)


# ---------------------------------------------------------------------------------------
# minimize
# ---------------------------------------------------------------------------------------
minimize = assignment.exercise("minimize")

ADAM_HINT = (
    "Adam optimises a detached copy of x0 that requires grad; each of the steps clears the "
    "gradients, backpropagates f at the point and lets the optimizer step."
)

# (objective, x0, lr, steps): few steps of large learning rates, cheap.
RUNS = (
    ("himmelblau", torch.tensor([0.0, 0.0], dtype=torch.float64), 0.1, 7),
    ("himmelblau", torch.tensor([-1.0, 1.5]), 0.5, 25),
    ("bowl", torch.tensor([[0.5, -1.0, 2.0], [0.0, 3.0, 1.0]], dtype=torch.float64), 0.2, 40),
    ("bowl", torch.tensor([4.0, -2.0, 0.0]), 0.05, 1),
    ("bowl", torch.tensor([0.5, 0.25], dtype=torch.float64), 0.3, 0),
)


def adam_truth(objective: str, x0: torch.Tensor, lr: float, steps: int) -> tuple:
    return probes.adam(probes.OBJECTIVES[objective], x0, lr, steps)


def minimize_answer(
    ctx: CheckContext, objective: str, x0: torch.Tensor, options: dict, grad=None
) -> tuple[dict, Any]:
    arguments = {"objective": objective, "x0": x0, "options": options}
    if grad is not None:
        arguments["grad"] = grad
    answer = ctx.probe(probe=MINIMIZE_PROBE, options=arguments)
    text = T(
        "minimize({objective}, x0={x0}, {options})",
        objective=objective,
        x0=describe(x0, 120),
        options=", ".join(f"{k}={v}" for k, v in options.items()),
    )
    return answer, text


def minimize_parts(ctx: CheckContext, answer: dict, text: Any) -> tuple[Any, Any]:
    result = answer.get("result")
    if not isinstance(result, tuple) or len(result) != 2:
        ctx.fail(
            "minimize should return a tuple (x, fx)",
            input=text,
            got=describe(result),
            hint="return the optimised point detached, and f there as a Python float.",
        )
    return result


@minimize.check(
    "takes torch.optim.Adam's steps (a few steps of larger learning rates, 0 steps too)",
    3,
    hint=ADAM_HINT,
    contract="`steps` steps of `torch.optim.Adam(lr=lr)` on a copy of `x0`",
)
def _minimize_steps(ctx: CheckContext) -> None:
    for objective, x0, lr, steps in RUNS:
        answer, text = minimize_answer(ctx, objective, x0, {"lr": lr, "steps": steps})
        point, _ = minimize_parts(ctx, answer, text)
        want, _ = adam_truth(objective, x0, lr, steps)
        eps = torch.finfo(x0.dtype).eps
        expect_tensor(
            point,
            want,
            input=text,
            what="the final point",
            check_dtype=False,
            hint=ADAM_HINT,
            rtol=1e3 * eps,
            atol=1e3 * eps,
        )


@minimize.check(
    "returns f at the returned point, as a Python float",
    1,
    hint="after the loop, evaluate f at the final point (under torch.no_grad()), as a float: "
    "the value "
    "computed before the last step belongs to the point before it.",
    contract="and `f` there as a Python float.",
)
def _minimize_value(ctx: CheckContext) -> None:
    for objective, x0, lr, steps in RUNS[:3]:
        answer, text = minimize_answer(ctx, objective, x0, {"lr": lr, "steps": steps})
        point, value = minimize_parts(ctx, answer, text)
        values = as_tensor(point)
        if type(value) is not float:
            ctx.fail("fx should be a Python float", input=text, got=describe(value))
        if values is None or values.shape != x0.shape:
            continue  # the point's checks judge it
        wanted = float(probes.OBJECTIVES[objective](values.to(x0.dtype)))
        both_nan = math.isnan(value) and math.isnan(wanted)
        if not (both_nan or math.isclose(value, wanted, rel_tol=1e-9, abs_tol=1e-12)):
            ctx.fail(
                "fx is not f at the returned point",
                input=text,
                expected=T("f(x) = {value}", value=wanted),
                got=describe(value),
            )


@minimize.check(
    "returns the point detached, with x0's shape, dtype and device",
    1,
    hint="return x.detach(): the copy you optimised, not a tensor that still requires grad, "
    "nor x.tolist() or torch.tensor(...) of it (float32 on the CPU).",
    contract="the final point detached with `x0`'s shape, dtype and device",
)
def _minimize_point(ctx: CheckContext) -> None:
    for objective, x0, lr, steps in RUNS[1:3]:
        answer, text = minimize_answer(ctx, objective, x0, {"lr": lr, "steps": steps})
        point, _ = minimize_parts(ctx, answer, text)
        expect_tensor(point, x0, input=text, what="the final point", judging="dtype")
        if not isinstance(point, TransportedTensor) or tuple(point.shape) != tuple(x0.shape):
            ctx.fail(
                "the final point should have x0's shape",
                input=text,
                expected=T("shape {shape}", shape=tuple(x0.shape)),
                got=describe(point),
            )
        if point.requires_grad:
            ctx.fail("the final point still requires grad: return it detached", input=text)
    placed_device_check(ctx)


def placed_device_check(ctx: CheckContext) -> None:
    """On CUDA where present: the point comes back on x0's device."""
    if not cuda_available():
        return
    x0 = torch.tensor([0.5, -1.0], dtype=torch.float64)
    answer, text = minimize_answer(ctx, "bowl", Placed(x0, "cuda"), {"lr": 0.1, "steps": 3})
    point, _ = minimize_parts(ctx, answer, text)
    expect_tensor(point, x0, input=text, what="the final point", device="cuda", judging="device")


@minimize.check(
    "leaves x0 and its .grad as they were",
    1,
    hint="optimise a copy of x0, detached from it, that requires grad. "
    "Adam([x0]) changes the caller's tensor, and backward() on it adds to x0.grad.",
    contract="(`x0` and its `.grad` unchanged)",
)
def _minimize_keeps_x0(ctx: CheckContext) -> None:
    for grad in (None, torch.tensor([0.25, -0.5], dtype=torch.float64)):
        x0 = torch.tensor([1.0, 1.0], dtype=torch.float64)
        answer, text = minimize_answer(ctx, "himmelblau", x0, {"lr": 0.1, "steps": 5}, grad)
        after = as_tensor(answer.get("x0_after"))
        if after is None or not torch.equal(after.double(), x0):
            ctx.fail("minimize changed x0", input=text, expected=describe(x0), got=describe(after))
        grad_after = answer.get("x0_grad_after")
        kept = (grad is None and grad_after is None) or (
            grad is not None
            and as_tensor(grad_after) is not None
            and torch.equal(as_tensor(grad_after).double(), grad)
        )
        if not kept:
            ctx.fail(
                "minimize changed x0.grad",
                input=T("{call} with x0.grad = {grad}", call=text, grad=describe(grad)),
                expected=describe(grad),
                got=describe(grad_after),
            )


@minimize.check(
    "raises ValueError if steps < 0",
    1,
    hint="check first: if steps < 0: raise ValueError(...) (range(-1) would run no step "
    "and hide the mistake).",
    contract="`ValueError` if `steps < 0`.",
)
def _minimize_errors(ctx: CheckContext) -> None:
    for steps in (-1, -100):
        ctx.expect_raises(
            ValueError,
            probe=MINIMIZE_PROBE,
            options={"objective": "bowl", "x0": torch.zeros(2), "options": {"steps": steps}},
            why="for steps < 0",
        )


@minimize.check(
    "defaults to the notes' lr = 1e-3 and 20000 steps, which reach (3, 2) from (0, 0)",
    1,
    hidden=True,
    hint="def minimize(f, x0, lr=1e-3, steps=20000): the notes' Adam run.",
    contract="From `(0, 0)` with the defaults Himmelblau's function ends within 1e-3 of `(3, 2)`.",
)
def _minimize_defaults(ctx: CheckContext) -> None:
    """Cheap: the signature's defaults read in the runner, and one step taken with the
    default lr (20000 steps would take seconds), compared with the submission's own step
    with lr = 1e-3 passed: whether that step is Adam's is the first check's property, and
    that Adam with the defaults reaches (3, 2) from (0, 0) is tests/test_backprop.py's."""
    x0 = torch.tensor([0.5, -1.0], dtype=torch.float64)
    answer = ctx.probe(probe=DEFAULTS_PROBE, options={"x0": x0})
    found = answer.get("result")
    wanted = {"lr": 1e-3, "steps": 20000}
    text = T("minimize's signature, and minimize(bowl, x0, steps=1) with the default lr")
    if not isinstance(found, dict) or any(
        not isinstance(found.get(name), int | float) or found.get(name) != value
        for name, value in wanted.items()
    ):
        ctx.fail(
            "minimize's defaults are not the notes' lr = 1e-3 and steps = 20000",
            input=text,
            expected="lr=0.001, steps=20000",
            got=describe({k: v for k, v in found.items() if k != "one_step"})
            if isinstance(found, dict)
            else describe(found),
        )
    step = found.get("one_step")
    point = step[0] if isinstance(step, tuple) and step else step
    explicit, explicit_text = minimize_answer(ctx, "bowl", x0, {"lr": 1e-3, "steps": 1})
    own = explicit.get("result")
    want = as_tensor(own[0] if isinstance(own, tuple) and own else own)
    values = as_tensor(point)
    if want is None:
        ctx.fail(
            "minimize returned no point for one step with lr = 1e-3",
            input=explicit_text,
            got=describe(own),
        )
    if values is None or values.shape != want.shape or not torch.equal(values, want):
        ctx.fail(
            "one step with the default lr differs from the same step with lr = 1e-3 passed",
            input=text,
            expected=T("as {call}: {point}", call=explicit_text, point=describe(want)),
            got=describe(point),
        )
