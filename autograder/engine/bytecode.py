"""A submission compiled once by the judge, for every runner that imports it.

A runner compiled the submission's source at each import: about 3 ms for a course's module,
and a grading starts a runner per exercise (49 for the fourteen assignments, 49 for each
student of a batch).  The judge now compiles each submitted module once, to a checked-hash
``.pyc`` (PEP 552), and places it beside the copy of the source in each runner's folder,
where the runner's own import looks first.  That import checks the hash of its copy of the
source against the one in the file and compiles the source itself where they differ, or
where there is no file; it names the code after its own copy (as for any ``.pyc``).  So a
runner runs exactly what compiling its copy would give: same interpreter, same flags.

Compiling runs none of the submission's code.  A source over :data:`MAX_BYTES` is left to
the runners, whose import runs under its time limit; so is one that does not compile (the
runner reports the error, as before).
"""

from __future__ import annotations

import os
import py_compile
import sys
import tempfile
from pathlib import Path

MAX_BYTES = 256 * 1024


def compiled(path: Path) -> bytes:
    """The checked-hash ``.pyc`` of the module at ``path``; empty where the runners should
    compile it themselves (unreadable, too large, or not compiling)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return b""
        with tempfile.TemporaryDirectory(prefix="autograder-pyc-") as folder:
            target = os.path.join(folder, "module.pyc")
            py_compile.compile(
                str(path),
                cfile=target,
                doraise=True,
                optimize=0,
                invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
            )
            with open(target, "rb") as handle:
                return handle.read()
    except (OSError, py_compile.PyCompileError, RecursionError, MemoryError):
        return b""


def cached_path(source: str) -> str:
    """Where an import of the module at ``source`` looks for its ``.pyc`` (the runners have
    no ``PYTHONPYCACHEPREFIX``, and run without ``-O``)."""
    folder, name = os.path.split(source)
    stem = name.rpartition(".")[0] or name
    return os.path.join(folder, "__pycache__", f"{stem}.{sys.implementation.cache_tag}.pyc")
