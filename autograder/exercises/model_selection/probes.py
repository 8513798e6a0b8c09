"""Probes for ``model_selection.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.engine.answers import ANY, Kind, ListOf, Report


def every_fold(
    function: Callable[..., Any], k: int, X: torch.Tensor, y: torch.Tensor
) -> dict[str, Any]:
    """Call ``get_k_fold_data(k, i, X, y)`` for every ``i`` in ``range(k)``.

    ``result`` holds one entry per fold: what the call returned, or
    ``{"raised": "Type: message"}`` when it raised, so the judge can name the fold.
    """
    folds: list[Any] = []
    for i in range(k):
        try:
            folds.append(function(k, i, X, y))
        except Exception as error:  # noqa: BLE001 - reported to the judge as data
            if isinstance(error, NotImplementedError) or (
                type(error).__name__ == "ForbiddenCallError"
            ):
                raise
            folds.append({"raised": f"{type(error).__name__}: {error}"[:500]})
    return {"result": folds}


def _every_fold_report(arguments: dict[str, Any]) -> Kind:
    """One entry per fold asked for."""
    return Report({"result": ListOf(ANY, length=int(arguments["k"]))})


# What each probe here reports (see autograder.engine.answers).
REPORTS = {"every_fold": _every_fold_report}
