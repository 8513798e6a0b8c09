"""A PyTorch fundamentals course's grader: property-based checks run in a sandbox.

``__version__`` comes from the installed distribution's metadata, so that the number lives
in one place (``pyproject.toml``); the student kit installs under another name.
"""

from __future__ import annotations

import os
import sys


def _forget_the_current_folder() -> None:
    """``python -m autograder`` puts the current folder first on ``sys.path``.  Run in a
    submission's folder, the judge would then import the student's ``hypothesis.py`` or
    ``email.py`` instead of the library: code of theirs in the grader's own process.  So
    under ``-m`` (``sys.argv[0]`` is ``"-m"`` while the package is found), the folder goes,
    before anything else is imported, unless this package itself lives there.
    """
    if sys.argv[:1] != ["-m"] or sys.flags.safe_path:
        return
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    current = os.getcwd()
    sys.path[:] = [
        entry
        for entry in sys.path
        if os.path.abspath(entry or current) != current or current == here
    ]


_forget_the_current_folder()

from importlib.metadata import PackageNotFoundError, version  # noqa: E402 - after the above

DISTRIBUTIONS = ("torch-autograder", "torch-autograder-kit")


def _installed_version() -> str:
    for name in DISTRIBUTIONS:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "0+unknown"  # run from a source tree that was never installed


__version__ = _installed_version()
