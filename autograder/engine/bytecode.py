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

import importlib.util
import marshal
import os
import sys
from pathlib import Path

MAX_BYTES = 256 * 1024
# PEP 552's flags: the file is checked against its source's hash, not its time.
_HASH_BASED, _CHECK_SOURCE = 0b01, 0b10


def compiled(path: Path) -> bytes:
    """The checked-hash ``.pyc`` of the module at ``path``; empty where the runners should
    compile it themselves (unreadable, too large, or not compiling)."""
    try:
        source = path.read_bytes()
    except OSError:
        return b""
    if len(source) > MAX_BYTES:
        return b""
    try:
        code = compile(source, str(path), "exec", dont_inherit=True, optimize=0)
    except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError):
        return b""
    flags = (_HASH_BASED | _CHECK_SOURCE).to_bytes(4, "little")
    header = importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source)
    return header + marshal.dumps(code)


def cached_path(source: str) -> str:
    """Where an import of the module at ``source`` looks for its ``.pyc`` (the runners have
    no ``PYTHONPYCACHEPREFIX``, and run without ``-O``)."""
    folder, name = os.path.split(source)
    stem = name.rpartition(".")[0] or name
    return os.path.join(folder, "__pycache__", f"{stem}.{sys.implementation.cache_tag}.pyc")
