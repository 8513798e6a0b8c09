"""How runner processes are launched: the interpreter command, the environment, and the
heap frozen after the heavy imports (:func:`freeze_imports`, judge and fork server alike).

Kept free of torch so that the command line can start the fork server before it imports
anything heavy (the two imports of torch then overlap).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]

# Variables that a runner may see; everything else (tokens, keys, CI secrets) is dropped.
SAFE_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "TZ", "CUDA_VISIBLE_DEVICES", "SYSTEMROOT")

BOOTSTRAP = "from autograder.engine.runner import main; main()"
FORK_SERVER_BOOTSTRAP = "from autograder.engine.fork_server import serve; serve(int(sys.argv[1]))"


def runner_command(bootstrap: str) -> list[str]:
    """An interpreter running ``bootstrap`` with the package root in place of the current
    folder on ``sys.path`` (``-c`` puts "" first), and no user site-packages (``-s``).

    Not ``-I``: it would ignore ``PYTHONMALLOC``, and the environment, built by
    :func:`scrubbed_environment`, holds no ``PYTHON*`` variable but ours.
    """
    return [
        sys.executable,
        "-s",
        "-c",
        f"import sys; sys.path[0] = {str(PACKAGE_ROOT)!r}; {bootstrap}",
    ]


def scrubbed_environment(workdir: str) -> dict[str, str]:
    env = {key: os.environ[key] for key in SAFE_ENVIRONMENT if key in os.environ}
    env.update(
        HOME=workdir,
        TMPDIR=workdir,
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    env.setdefault("PATH", "/usr/bin:/bin")
    return env


def freeze_imports() -> None:
    """Hide everything alive now (imported modules, mostly) from the garbage collector.

    torch and hypothesis leave a few hundred thousand long-lived objects; every full
    collection walked them again (a noticeable share of a grading).  Frozen, they are
    never collected (they live until exit anyway), and a forked runner does not touch, and so
    copy, their pages.  Call it after the heavy imports; calling it again is cheap.
    """
    gc.freeze()
