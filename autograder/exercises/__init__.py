"""The checks of every assignment, one module each, in course order.

Each module ``autograder.exercises.<name>`` defines ``assignment``: an
:class:`~autograder.grading.model.Assignment` whose reference is
``autograder_solutions.<name>`` (the folder ``solutions/``).
"""

from __future__ import annotations

import importlib
import importlib.util

from autograder.grading.model import Assignment

COURSE_ORDER = (
    "tensors",
    "softmax_regression",
    "mlp",
    "model_selection",
    "cnn",
    "training",
)

# The assignments whose checks exist in this version of the grader.
ASSIGNMENT_NAMES = tuple(
    name for name in COURSE_ORDER if importlib.util.find_spec(f"{__name__}.{name}") is not None
)


def load_assignment(name: str) -> Assignment:
    """The assignment called ``name`` (the student's file is ``<name>.py``)."""
    if name not in ASSIGNMENT_NAMES:
        raise KeyError(f"no assignment called {name!r}")
    return importlib.import_module(f"{__name__}.{name}").assignment
