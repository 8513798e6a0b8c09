"""A notebook as a module: the student's code cells joined, the test cells left out.

``autograder grade tensors.ipynb`` grades the notebook like the equivalent ``tensors.py``:
:func:`notebook_source` takes its code cells (not the autograded test cells, not shell
``!`` or magic ``%`` lines).  This sits at the bottom of the package (grading reads
submissions through it); the in-kernel ``check`` of the test cells is :mod:`autograder.notebook`.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # nbformat is imported only when a notebook is read
    import nbformat

# The largest notebook the grader reads.  It reads a student's notebooks in the judge, outside
# the sandbox and before any time limit: about 0.4 s and ten times its size in memory a MB,
# and a batch may look at a stray one once for every assignment.  Outputs (images) are what
# makes a notebook large; cleared, a notebook of this course is well under a megabyte.
LARGEST_NOTEBOOK = 16 * 1024 * 1024


class NotebookTooLarge(ValueError):
    """A notebook over :data:`LARGEST_NOTEBOOK`, not read."""


# A test cell of ours: it imports this module (graded code must never run it).
TEST_CELL = re.compile(r"\bautograder\.notebook\b")
FUTURE = re.compile(r"^from __future__ import [^\n]*\n?", re.MULTILINE)
MAGIC = re.compile(r"^(?P<indent>[ \t]*)[!%].*$", re.MULTILINE)


def is_test_cell(cell: Mapping[str, Any]) -> bool:
    """An nbgrader autograded test cell, or any cell that runs our checks."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if meta.get("grade") and not meta.get("solution"):
        return True
    return bool(TEST_CELL.search(cell.get("source", "")))


def strip_magics(source: str) -> str:
    """The cell as plain Python: ``!`` and ``%`` lines become ``pass``, ``%%`` cells vanish.

    A cell that already parses as Python is left alone (so a ``%`` inside a string stays).
    """
    if source.lstrip().startswith("%%"):
        return ""
    try:
        ast.parse(source)
    except SyntaxError:
        return MAGIC.sub(lambda m: f"{m.group('indent')}pass", source)
    return source


@dataclass(frozen=True)
class CellLines:
    """Where each line of a notebook's module came from, to name it to the student: line
    ``n`` of the module is line ``origins[n - 1][1]`` of the cell ``origins[n - 1][0]`` names
    (its exercise heading), or ``None`` for a line of no cell."""

    origins: tuple[tuple[str, int] | None, ...] = ()

    def origin(self, line: int) -> tuple[str, int] | None:
        return self.origins[line - 1] if 0 < line <= len(self.origins) else None


def join_located_cells(cells: Iterable[tuple[str, str | None]]) -> tuple[str, CellLines]:
    """One module from ``(source, label)`` cells, and where each of its lines came from (no
    cell of the student's where the label is None); ``from __future__`` imports move to the
    top."""
    futures: list[str] = []
    bodies: list[list[tuple[str, tuple[str, int] | None]]] = []
    for cell, label in cells:
        kept = []
        for number, line in enumerate(cell.split("\n"), start=1):
            if FUTURE.match(line):
                if line.strip() not in futures:
                    futures.append(line.strip())
            else:
                kept.append((line, None if label is None else (label, number)))
        # (blank lines around the code dropped at once: one at a time from the front of the
        # list, a cell of a million of them took minutes)
        written = [index for index, (line, _) in enumerate(kept) if line != ""]
        kept = kept[written[0] : written[-1] + 1] if written else []
        if "".join(line for line, _ in kept).strip():
            bodies.append(kept)
    lines: list[tuple[str, tuple[str, int] | None]] = [(line, None) for line in futures]
    if futures:  # a blank line after them (two where no cell follows, as ever)
        lines += [("", None)] * (1 if bodies else 2)
    for index, body in enumerate(bodies):
        if index:
            lines += [("", None), ("", None)]
        lines += body
    module = "\n".join(line for line, _ in lines) + "\n"
    return module, CellLines(tuple(origin for _, origin in lines))


def join_cells(cells: Iterable[str]) -> str:
    """One module from cell sources; ``from __future__`` imports move to the top."""
    return join_located_cells((cell, "") for cell in cells)[0]


# A Markdown heading: up to six hashes, whitespace, and the rest of the line where the
# whitespace ends.  The rest always matches, so the whitespace is read once, never given back
# (``\s+(?P<text>.+?)\s*$``, as before, tried each character of a run of spaces against the
# rest of it: time in the square of its length, in the judge).  No possessive ``\s++``:
# Python 3.10, which the kit supports, has none.
HEADING = re.compile(r"^#{1,6}\s+(?P<text>[^\n]*)", re.MULTILINE)
POINTS = re.compile(r"\([^()]*\)$")


def heading_text(source: str) -> str | None:
    """The text of the first Markdown heading in ``source`` (trailing whitespace dropped),
    or None.  A heading of whitespace alone says "", unless it is only line ends."""
    found = HEADING.search(source)
    if found is None:
        return None
    text = found["text"].rstrip()
    if text:
        return text
    # Whitespace to the end: a heading of nothing, where any of it but the first is on a line.
    after = source[found.start() :].lstrip("#")[1:]
    return "" if after.strip("\n") else None


# Feedback names a line by its cell's heading, at each mention: a heading longer than this
# is cut (a student's heading of 100 000 characters made a 2 kB message 25 MB).
LONGEST_LABEL = 80


def cell_label(heading: str) -> str:
    """A Markdown heading as a student sees it: ``Exercise 3: gather`` (no backticks, no
    points), cut to ``LONGEST_LABEL`` characters."""
    text = heading.replace("`", "").replace("*", "")
    points = POINTS.search(text)  # (its whitespace stripped apart: one pass over a run)
    label = (text[: points.start()].rstrip() + text[points.end() :] if points else text).strip()
    return label if len(label) <= LONGEST_LABEL else label[: LONGEST_LABEL - 1] + "…"


def notebook_module(notebook: nbformat.NotebookNode) -> tuple[str, CellLines]:
    """The module a notebook amounts to (its code cells but the tests, without magics), and
    each line's cell, named by the heading above it (``#4``, the fourth code cell, where no
    heading is)."""
    cells, heading, number = [], "", 0
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found = heading_text(cell.source)
            heading = cell_label(found) if found is not None else heading
        elif cell.cell_type == "code":
            number += 1
            if not is_test_cell(cell):
                cells.append((strip_magics(cell.source), heading or f"#{number}"))
    return join_located_cells(cells)


def notebook_source(notebook: nbformat.NotebookNode) -> str:
    """The module a notebook amounts to: its code cells but the tests, without magics."""
    return notebook_module(notebook)[0]


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``; :class:`NotebookTooLarge` (unread) past the size limit."""
    import nbformat

    size = path.stat().st_size
    if size > LARGEST_NOTEBOOK:
        raise NotebookTooLarge(
            f"{size / 2**20:.1f} MiB, more than the {LARGEST_NOTEBOOK >> 20} MiB a notebook may "
            "have: clear its outputs (Edit > Clear Outputs of All Cells), save it and hand it in "
            "again"
        )
    return nbformat.read(path, as_version=4)


def notebook_assignment(path: Path) -> str:
    """The assignment a notebook is for: its ``autograder`` metadata, else its file name.

    Read as JSON only: every notebook of a submission named after no assignment is asked,
    for every assignment, and nbformat's validation of a large one takes a second.
    """
    try:
        if path.stat().st_size > LARGEST_NOTEBOOK:
            raise NotebookTooLarge(path.name)  # not read: named by its file
        meta = json.loads(path.read_bytes())["metadata"].get("autograder", {})
    except Exception:  # noqa: BLE001 - an unreadable notebook is reported when graded
        meta = {}
    name = meta.get("assignment") if isinstance(meta, dict) else None
    return name if isinstance(name, str) and name else path.stem


def write_notebook_module(path: Path, target: Path) -> Path:
    """Write the module of notebook ``path`` to ``target``; an unreadable one imports as such."""
    try:
        source = notebook_source(read_notebook(path))
    except Exception as error:  # noqa: BLE001 - reported to the student as an import error
        message = f"{path.name} is not a readable notebook: {type(error).__name__}: {error}"
        source = f"raise ImportError({message!r})\n"
    target.write_text(source, encoding="utf-8")
    return target
