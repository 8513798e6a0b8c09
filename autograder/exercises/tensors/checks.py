"""Checks for ``tensors.py``: broadcast_shapes, broadcast_to, gather."""

from __future__ import annotations

from typing import Any

import torch
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.exercises.strategies import FLOAT_DTYPES, shapes, tensors
from autograder.grading.context import CheckContext
from autograder.grading.contract import INPUTS_UNCHANGED, STAYS_ON_DEVICE
from autograder.grading.expect import expect_equal, expect_tensor
from autograder.grading.model import Assignment
from autograder.grading.properties import (
    expect_device_portable,
    expect_gradients,
    expect_inputs_unchanged,
)

assignment = Assignment("tensors")

# ---------------------------------------------------------------------------------------
# broadcast_shapes
# ---------------------------------------------------------------------------------------
broadcast_shapes = assignment.exercise(
    "broadcast_shapes",
    forbidden=(
        "torch.broadcast_shapes",
        "torch.broadcast_tensors",
        "torch.broadcast_to",
        "numpy.broadcast_shapes",
        "numpy.broadcast",
        "numpy.broadcast_to",
    ),
)

ALIGN_HINT = (
    "align the shapes from the trailing (rightmost) dimension; a missing leading dimension "
    "counts as 1, and in each position the sizes must be equal or one of them 1."
)


@st.composite
def broadcastable_shapes(draw: st.DrawFn) -> list[tuple[int, ...]]:
    count = draw(st.integers(1, 4))
    result = draw(
        hnp.mutually_broadcastable_shapes(
            num_shapes=count, min_dims=0, max_dims=5, min_side=0, max_side=4
        )
    )
    return list(result.input_shapes)


@st.composite
def clashing_shapes(draw: st.DrawFn) -> list[tuple[int, ...]]:
    """Shapes that do not broadcast: one aligned position holds two sizes, both not 1."""
    shapes_ = draw(broadcastable_shapes())
    target = draw(st.sampled_from(range(len(shapes_))))
    shape = list(shapes_[target]) or [draw(st.integers(2, 4))]
    position = draw(st.integers(0, len(shape) - 1))
    first = draw(st.sampled_from([0, 2, 3, 4]))
    second = draw(st.sampled_from([s for s in (0, 2, 3, 5) if s != first]))
    shape[position] = first
    other = [1] * (len(shape) - position - 1)
    clash = (second, *other)
    extra = draw(st.lists(st.integers(1, 3), max_size=2))
    shapes_[target] = tuple(shape)
    shapes_.insert(draw(st.integers(0, len(shapes_))), (*extra, *clash))
    return shapes_


@broadcast_shapes.check(
    "agrees with torch.broadcast_shapes on shapes that broadcast",
    4,
    hint=ALIGN_HINT,
    contract=(
        "The shape PyTorch and NumPy broadcast the given shapes (tuples, lists or `torch.Size`) to"
    ),
)
def _broadcast_shapes_agree(ctx: CheckContext) -> None:
    @ctx.given(broadcastable_shapes(), max_examples=10)
    def _(shape_list: list[tuple[int, ...]]) -> None:
        expected = ctx.reference.broadcast_shapes(*shape_list)
        got = ctx.call(*shape_list)
        expect_sizes(got, expected, input=ctx.input_text(*shape_list), hint=ALIGN_HINT)


def expect_sizes(got: Any, expected: tuple[int, ...], *, input: str, hint: str) -> None:
    """The sizes only: whether they come as a tuple of ints is the type check's property."""
    sizes = tuple(got) if isinstance(got, (tuple, list)) else got
    expect_equal(sizes, expected, input=input, hint=hint)


@broadcast_shapes.check(
    "edge cases: no shapes, one shape, size 0, lists and torch.Size",
    2,
    hidden=True,
    contract="No shapes give `()`.",
)
def _broadcast_shapes_edges(ctx: CheckContext) -> None:
    cases = [
        (),
        ((),),
        ((3,),),
        ((0,), (1,)),
        ((2, 0), (1, 1)),
        ([5, 1], (1, 4)),
        (torch.Size([2, 1, 3]), [4, 1]),
        ((1,), ()),
    ]
    for shape_list in cases:
        got = ctx.call(*shape_list)
        expect_sizes(
            got,
            ctx.reference.broadcast_shapes(*shape_list),
            input=ctx.input_text(*shape_list),
            hint="broadcast_shapes() is (); size 0 is a size like any other "
            "(it broadcasts with 1 and 0 only); accept lists and torch.Size.",
        )


@broadcast_shapes.check(
    "raises ValueError for shapes that do not broadcast",
    3,
    hint="when two aligned sizes differ and neither is 1, raise ValueError.",
    contract="Shapes that do not broadcast raise `ValueError`.",
)
def _broadcast_shapes_errors(ctx: CheckContext) -> None:
    @ctx.given(clashing_shapes(), max_examples=25)
    def _(shape_list: list[tuple[int, ...]]) -> None:
        ctx.expect_raises(ValueError, *shape_list, why="for shapes that do not broadcast")


@broadcast_shapes.check(
    "returns a tuple of ints", 1, contract="`broadcast_shapes(*shapes)` -> a tuple of ints."
)
def _broadcast_shapes_type(ctx: CheckContext) -> None:
    got = ctx.call((2, 1), [1, 3])
    if not isinstance(got, tuple) or not all(type(v) is int for v in got):
        ctx.fail(
            "broadcast_shapes should return a tuple of Python ints",
            input=ctx.input_text((2, 1), [1, 3]),
            expected=(2, 3),
            got=got,
        )


# ---------------------------------------------------------------------------------------
# broadcast_to
# ---------------------------------------------------------------------------------------
broadcast_to = assignment.exercise(
    "broadcast_to",
    forbidden=("torch.broadcast_to", "torch.Tensor.broadcast_to", "torch.broadcast_tensors"),
)

RECIPE_HINT = (
    "first insert leading size-1 dimensions (x.unsqueeze(0)) until x has len(shape) "
    "dimensions, then x.expand(shape)."
)


@st.composite
def broadcast_to_cases(draw: st.DrawFn, dtypes=FLOAT_DTYPES) -> tuple[torch.Tensor, tuple]:
    result = draw(
        hnp.mutually_broadcastable_shapes(
            num_shapes=1, min_dims=0, max_dims=4, min_side=0, max_side=4
        )
    )
    target = result.result_shape
    (source,) = result.input_shapes
    dtype = draw(st.sampled_from(dtypes))
    x = draw(tensors(source, dtype))
    if draw(st.booleans()) and x.dim() >= 2:
        x = x.transpose(0, -1).contiguous().transpose(0, -1)  # non-contiguous input
    if draw(st.booleans()):
        target = list(target)  # a list of sizes is a shape too
    return x, target


@broadcast_to.check(
    "agrees with torch.broadcast_to (shape, values, dtype)",
    4,
    hint=RECIPE_HINT,
    contract="a tensor with the values `torch.broadcast_to(x, shape)` gives",
)
def _broadcast_to_agrees(ctx: CheckContext) -> None:
    # Inputs with fewer dimensions than the target first: the other checks give x as many
    # dimensions as the target, so that only this check judges where the new ones go.
    for x, shape in (
        (torch.arange(3.0), (2, 3)),
        (torch.arange(6, dtype=torch.float64).reshape(2, 1, 3), (4, 2, 5, 3)),
        (torch.tensor(7.0), (2, 2)),
    ):
        expect_tensor(
            ctx.call(x, shape),
            ctx.reference.broadcast_to(x, shape),
            input=ctx.input_text(x, shape),
            rtol=0,
            atol=0,
            hint=RECIPE_HINT,
        )

    @ctx.given(broadcast_to_cases(), max_examples=10)
    def _(case: tuple[torch.Tensor, tuple]) -> None:
        x, shape = case
        expected = ctx.reference.broadcast_to(x, shape)
        expect_tensor(
            ctx.call(x, shape),
            expected,
            input=ctx.input_text(x, shape),
            rtol=0,
            atol=0,
            hint=RECIPE_HINT,
        )


@st.composite
def impossible_targets(draw: st.DrawFn) -> tuple[torch.Tensor, tuple]:
    source = draw(shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
    x = draw(tensors(source))
    if draw(st.booleans()):
        # Fewer dimensions than the input has.
        return x, tuple(source[1:])
    position = draw(st.integers(0, len(source) - 1))
    target = list(source)
    target[position] = draw(st.sampled_from([s for s in (0, 1, 5, 7) if s != source[position]]))
    leading = draw(st.lists(st.integers(1, 3), max_size=2))
    return x, (*leading, *target)


@broadcast_to.check(
    "raises ValueError when the shape is impossible",
    2,
    hint="a size of x must equal the target size or be 1; x cannot have more "
    "dimensions than the target. Raise ValueError (expand raises RuntimeError).",
    contract="Impossible targets raise `ValueError`.",
)
def _broadcast_to_errors(ctx: CheckContext) -> None:
    @ctx.given(impossible_targets(), max_examples=40)
    def _(case: tuple[torch.Tensor, tuple]) -> None:
        x, shape = case
        ctx.expect_raises(ValueError, x, shape, why="when x cannot be broadcast to shape")


@broadcast_to.check(
    "keeps the device (meta, default-device trap, CUDA if present)", 2, contract=STAYS_ON_DEVICE
)
def _broadcast_to_device(ctx: CheckContext) -> None:
    # As many dimensions as the target: where missing dimensions go is the agreement's.
    x = torch.arange(6, dtype=torch.float64).reshape(1, 2, 1, 3)
    expect_device_portable(ctx, x, (4, 2, 5, 3))


@broadcast_to.check(
    "is differentiable: gradients sum over the broadcast dimensions",
    1,
    contract="Differentiable in `x`: the gradient sums over the broadcast dimensions.",
)
def _broadcast_to_grad(ctx: CheckContext) -> None:
    # Fewer dimensions than the target (an in-place unsqueeze_ must show), but sizes 1 only:
    # front or back, the new dimensions give the same result (that is the agreement's).
    x = torch.tensor([[0.5]], dtype=torch.float64)
    expect_gradients(ctx, x, (4, 2, 5, 3))


@broadcast_to.check("does not modify its input", 1, contract=INPUTS_UNCHANGED)
def _broadcast_to_no_mutation(ctx: CheckContext) -> None:
    # Fewer dimensions (an in-place unsqueeze_ must show) into a square target, which takes
    # the new dimension at the front or the back: where it goes is the agreement's.
    expect_inputs_unchanged(ctx, torch.arange(3.0), (3, 3))


# ---------------------------------------------------------------------------------------
# gather
# ---------------------------------------------------------------------------------------
gather = assignment.exercise(
    "gather",
    forbidden=(
        "torch.gather",
        "torch.Tensor.gather",
        "torch.take_along_dim",
        "torch.Tensor.take_along_dim",
    ),
)

GATHER_HINT = (
    "out has index's shape; along `dim` take input's element number index[...], and keep "
    "every other coordinate: out[i][j][k] = input[i][index[i][j][k]][k] for dim == 1."
)


@st.composite
def gather_cases(draw: st.DrawFn, dtypes=FLOAT_DTYPES) -> tuple[torch.Tensor, int, torch.Tensor]:
    source = draw(shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    dim = draw(st.integers(-len(source), len(source) - 1))
    positive = dim % len(source)
    index_shape = tuple(
        draw(st.integers(0, 5)) if d == positive else draw(st.integers(0, source[d]))
        for d in range(len(source))
    )
    x = draw(tensors(source, draw(st.sampled_from(dtypes))))
    index = draw(tensors(index_shape, torch.int64, 0, source[positive] - 1))
    return x, dim, index


@gather.check(
    "agrees with torch.gather on generated inputs (every dim, negative dims)",
    4,
    hint=GATHER_HINT,
    contract=(
        "what `torch.gather(input, dim, index)` returns (for `dim == 1`, `out[i][j][k] = "
        "input[i][index[i][j][k]][k]`), negative `dim` included."
    ),
)
def _gather_agrees(ctx: CheckContext) -> None:
    # Along a dim other than 0 first: the gradient, device and no-mutation checks gather
    # along dim 0, so that only this check judges which dimension is indexed.
    for x, dim, index in (
        (torch.arange(12.0).reshape(3, 4), 1, torch.tensor([[0, 3], [1, 2], [3, 3]])),
        (torch.arange(24.0).reshape(2, 3, 4), -1, torch.tensor([[[3], [0], [2]], [[1], [3], [0]]])),
    ):
        expect_tensor(
            ctx.call(x, dim, index),
            ctx.reference.gather(x, dim, index),
            input=ctx.input_text(x, dim, index),
            rtol=0,
            atol=0,
            hint=GATHER_HINT,
        )

    @ctx.given(gather_cases(), max_examples=20)
    def _(case: tuple[torch.Tensor, int, torch.Tensor]) -> None:
        x, dim, index = case
        expected = ctx.reference.gather(x, dim, index)
        expect_tensor(
            ctx.call(x, dim, index),
            expected,
            input=ctx.input_text(x, dim, index),
            rtol=0,
            atol=0,
            hint=GATHER_HINT,
        )


@st.composite
def bad_index_shapes(draw: st.DrawFn) -> tuple[torch.Tensor, int, torch.Tensor]:
    source = draw(shapes(min_dims=1, max_dims=3, min_side=1, max_side=3))
    dim = draw(st.integers(0, len(source) - 1))
    x = draw(tensors(source))
    if len(source) == 1 or draw(st.booleans()):
        extra = draw(st.sampled_from([-1, 1])) if len(source) > 1 else 1
        index_shape = (1,) * (len(source) + extra)
    else:
        other = draw(st.sampled_from([d for d in range(len(source)) if d != dim]))
        index_shape = tuple(source[d] + 1 if d == other else 1 for d in range(len(source)))
    return x, dim, torch.zeros(index_shape, dtype=torch.int64)


@gather.check(
    "raises ValueError for an index of the wrong shape",
    2,
    hint="check index.dim() == input.dim(), and index.size(d) <= input.size(d) for "
    "every d != dim, before indexing; raise ValueError.",
    contract=(
        "`ValueError` when `index` has another number of dimensions than `input`, or is larger "
        "than `input` along a dimension other than `dim`"
    ),
)
def _gather_shape_errors(ctx: CheckContext) -> None:
    @ctx.given(bad_index_shapes(), max_examples=10)
    def _(case: tuple[torch.Tensor, int, torch.Tensor]) -> None:
        ctx.expect_raises(ValueError, *case, why="when index's shape does not fit input's")


NEGATIVE_INDEX_HINT = (
    "a negative index does not count from the end here: torch.gather refuses it, and so "
    "should you. Check index.min() >= 0."
)
LARGE_INDEX_HINT = "an index must be below input.size(dim): check index.max() < input.size(dim)."
DIM_HINT = (
    "dim must lie in [-input.dim(), input.dim()) (0 or -1 for a 1-D input): check it before "
    "turning a negative dim into a positive one; dim % input.dim() alone accepts any dim."
)


@gather.check(
    "raises IndexError for an index outside [0, input.size(dim)) or a dim out of range",
    1,
    hint="check dim against [-input.dim(), input.dim()) and every index against "
    "[0, input.size(dim)) before gathering, and raise IndexError.",
    contract=(
        "`IndexError` for an index outside `[0, input.size(dim))` or a `dim` out of range, as "
        "torch does."
    ),
)
def _gather_index_errors(ctx: CheckContext) -> None:
    """Each case has the hint of its kind: an index too large, a negative index, a dim
    out of range (a hint about negative indices on a bad dim would mislead)."""
    x = torch.arange(12.0).reshape(3, 4)
    for dim, bad in ((1, 4), (1, -1), (0, 3), (-1, 9)):
        index = torch.tensor([[0, 1], [bad, 0]])
        hint = NEGATIVE_INDEX_HINT if bad < 0 else LARGE_INDEX_HINT
        ctx.expect_raises(IndexError, x, dim, index, why="when an index is out of range", hint=hint)
    vector = torch.arange(3.0)
    ctx.expect_raises(  # one index: a check that needs two would miss it
        IndexError,
        vector,
        0,
        torch.tensor([-1]),
        why="when an index is out of range",
        hint=NEGATIVE_INDEX_HINT,
    )
    for dim in (-2, 1):  # a 1-D input has dims 0 and -1 only
        ctx.expect_raises(
            IndexError,
            vector,
            dim,
            torch.tensor([0]),
            why="when dim is out of range",
            hint=DIM_HINT,
        )


@gather.check(
    "is differentiable in input, like torch.gather",
    1,
    contract="Differentiable in `input`, as `torch.gather` is.",
)
def _gather_grad(ctx: CheckContext) -> None:
    # Along dim 0: which dimension is indexed is the agreement check's property.
    x = torch.linspace(-2, 2, 12, dtype=torch.float64).reshape(3, 4)
    index = torch.tensor([[0, 2, 2, 1], [1, 1, 0, 0], [2, 0, 1, 2]])
    expect_gradients(ctx, x, 0, index)


@gather.check(
    "keeps the device (default-device trap, CUDA if present)", 1, contract=STAYS_ON_DEVICE
)
def _gather_device(ctx: CheckContext) -> None:
    x = torch.arange(24.0, dtype=torch.float64).reshape(2, 3, 4)
    index = torch.tensor([[[0, 1, 1, 0]], [[1, 0, 1, 1]]])
    expect_device_portable(ctx, x, 0, index, meta=False)


@gather.check("does not modify its inputs", 1, contract=INPUTS_UNCHANGED)
def _gather_no_mutation(ctx: CheckContext) -> None:
    x = torch.arange(6.0).reshape(2, 3)
    expect_inputs_unchanged(ctx, x, 0, torch.tensor([[1, 0, 1], [0, 1, 1]]))
