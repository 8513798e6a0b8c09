"""Writing output files: whole or not at all, under names a student cannot steer."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to ``path`` through a temporary file renamed over it.

    A reader (a CI step, an instructor's script) never sees half a report, and the file is
    replaced, not rewritten in place, so a link planted at ``path`` earlier is not followed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def feedback_name(student: str) -> str:
    """A file name for a student (names come from folder names; keep them harmless)."""
    safe = "".join(c if c.isalnum() or c in "-_.@+" else "_" for c in student).lstrip(".")
    return safe or "_"


def feedback_names(students: list[str]) -> dict[str, str]:
    """Student -> the name of their feedback files, in the order given (two names that
    became the same file name are told apart by a number); the class page links these."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for student in students:
        name = base = feedback_name(student)
        while name.lower() in used:
            name = f"{base}-{len(used)}"
        used.add(name.lower())
        names[student] = name
    return names
