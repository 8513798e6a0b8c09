"""The course's assignments: one folder each under ``autograder/exercises/``, found by looking.

An assignment is the folder ``autograder/exercises/<name>/`` (``docs/adding-an-assignment.md``
says how to add one)::

    __init__.py        POSITION (where it comes in the course) and SUMMARY (one line)
    checks.py          ``assignment``: the checks of every exercise of ``<name>.py``
    probes.py          code the checks run inside the sandboxed runner (optional)
    oracle.py          the student kit's ground truth, built on library functions
    locale/<lang>.py   feedback (``MESSAGES``) and teaching text in one language

The folders are plugins of the grading layer: it finds them on disk and imports them by
name, and nothing below the assignments imports them directly.  Everything that lists
assignments (the command line's choices, the release, the student kit, the reports, the CI
template, the tests) asks this registry; nothing else names them.  The reference solution
of ``<name>`` is ``solutions/<name>.py``, installed as ``autograder_solutions.<name>``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from autograder.grading.model import Assignment

PACKAGE = "autograder.exercises"
FOLDER = Path(__file__).resolve().parent.parent / "exercises"


def _position(name: str) -> tuple[int, str]:
    return importlib.import_module(f"{PACKAGE}.{name}").POSITION, name


def _discover() -> tuple[str, ...]:
    folders = [
        path.name
        for path in FOLDER.iterdir()
        if (path / "__init__.py").is_file() and (path / "checks.py").is_file()
    ]
    return tuple(sorted(folders, key=_position))


# Every assignment of this version of the grader, in course order.
ASSIGNMENT_NAMES: tuple[str, ...] = _discover()


def load_assignment(name: str) -> Assignment:
    """The assignment called ``name`` (the student's file is ``<name>.py``)."""
    if name not in ASSIGNMENT_NAMES:
        raise KeyError(f"no assignment called {name!r}")
    return importlib.import_module(f"{PACKAGE}.{name}.checks").assignment


def probe_name(name: str, function: str) -> str:
    """The qualified name the runner loads a probe of assignment ``name`` by."""
    return f"{PACKAGE}.{name}.probes:{function}"


def summary(name: str) -> str:
    """One line on what the assignment teaches (``SUMMARY`` of its folder)."""
    return str(getattr(importlib.import_module(f"{PACKAGE}.{name}"), "SUMMARY", ""))
