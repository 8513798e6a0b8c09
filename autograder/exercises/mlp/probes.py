"""Probes for ``mlp.py``: random functions need several calls, initialisers need identity.

They run inside the runner next to the student's function and return plain data; the
judge draws every conclusion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.engine.answers import ANY, BOOL, TENSOR, ListOf, Report


def dropout_generator(function: Callable[..., Any], X: torch.Tensor, dropout: float) -> dict:
    """How the function uses torch's global generator.

    - ``same_seed``: two calls, each after ``torch.manual_seed(1)``: must be equal.
    - ``other_seed``: a call after ``torch.manual_seed(2)``: must differ from those.
    - ``in_a_row``: two calls in a row after one ``torch.manual_seed(3)``: must differ.
    - ``after``: ``torch.rand(8)`` drawn right after a call, once after
      ``torch.manual_seed(4)`` and once after ``torch.manual_seed(5)``: equal draws mean
      the function reseeded the global generator.
    - ``consumed``: whether the global generator's state moved during a call.
    """
    same_seed = []
    for _ in range(2):
        torch.manual_seed(1)
        same_seed.append(function(X, dropout))
    torch.manual_seed(2)
    other_seed = function(X, dropout)
    torch.manual_seed(3)
    in_a_row = [function(X, dropout), function(X, dropout)]
    after = []
    for seed in (4, 5):
        torch.manual_seed(seed)
        function(X, dropout)
        after.append(torch.rand(8))
    torch.manual_seed(6)
    state = torch.get_rng_state()
    function(X, dropout)
    consumed = not torch.equal(state, torch.get_rng_state())
    return {
        "result": same_seed[0],
        "same_seed": same_seed,
        "other_seed": other_seed,
        "in_a_row": in_a_row,
        "after": after,
        "consumed": consumed,
    }


def _storage(tensor: torch.Tensor) -> int:
    try:
        return tensor.untyped_storage().data_ptr()
    except (RuntimeError, NotImplementedError):
        return -1


def init_in_place(
    function: Callable[..., Any],
    tensor: torch.Tensor,
    *args: Any,
    parameter: bool = False,
    **kwargs: Any,
) -> dict:
    """Call an initialiser on ``tensor`` (an ``nn.Parameter`` if asked) and report on it.

    ``values`` is the tensor as it is after the call, whatever the function returned;
    ``same_object`` whether it returned that very tensor; ``same_storage`` whether the
    tensor still uses its original memory (``tensor.data = ...`` replaces it).
    """
    if parameter:
        tensor = torch.nn.Parameter(tensor)
    storage = _storage(tensor)
    result = function(tensor, *args, **kwargs)
    return {
        "result": result,
        "same_object": result is tensor,
        "values": tensor.detach(),
        "same_storage": _storage(tensor) == storage,
        "requires_grad": bool(tensor.requires_grad),
        "is_leaf": bool(tensor.is_leaf),
    }


# What each probe here reports (see autograder.engine.answers).
REPORTS = {
    "dropout_generator": Report(
        {
            "result": ANY,
            "same_seed": ListOf(ANY, length=2),
            "other_seed": ANY,
            "in_a_row": ListOf(ANY, length=2),
            "after": ListOf(TENSOR, length=2),
            "consumed": BOOL,
        }
    ),
    "init_in_place": Report(
        {
            "result": ANY,
            "same_object": BOOL,
            "values": TENSOR,
            "same_storage": BOOL,
            "requires_grad": BOOL,
            "is_leaf": BOOL,
        }
    ),
}
