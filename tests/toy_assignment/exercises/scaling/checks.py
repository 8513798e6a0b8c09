"""Checks for ``scaling.py``: scale."""

from __future__ import annotations

import torch
from hypothesis import strategies as st

from autograder.exercises.strategies import shapes, tensors
from autograder.grading.context import CheckContext
from autograder.grading.expect import expect_tensor
from autograder.grading.model import Assignment

assignment = Assignment("scaling")

scale = assignment.exercise("scale", forbidden=("torch.mul", "torch.Tensor.mul"))


@scale.check("agrees with x * factor", 2, hint="multiply every element by factor.")
def _scale_values(ctx: CheckContext) -> None:
    factors = st.floats(-4, 4, allow_nan=False).map(lambda f: round(f, 2))

    @ctx.given(tensors(shapes()), factors, max_examples=20)
    def _(x: torch.Tensor, factor: float) -> None:
        expect_tensor(
            ctx.call(x, factor),
            ctx.reference.scale(x, factor),
            input=ctx.input_text(x, factor),
        )
