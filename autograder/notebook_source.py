"""A notebook as a module: the student's code cells joined, the test cells left out.

``autograder grade tensors.ipynb`` grades the notebook like the equivalent ``tensors.py``:
:func:`notebook_source` takes its code cells (not the autograded test cells, not shell
``!`` or magic ``%`` lines).  This sits at the bottom of the package (grading reads
submissions through it); the in-kernel ``check`` of the test cells is :mod:`autograder.notebook`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # nbformat is imported only when a notebook is read
    import nbformat

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


def join_cells(cells: Iterable[str]) -> str:
    """One module from cell sources; ``from __future__`` imports move to the top."""
    futures: list[str] = []
    bodies = []
    for cell in cells:
        for line in FUTURE.findall(cell):
            if line.strip() not in futures:
                futures.append(line.strip())
        body = FUTURE.sub("", cell).strip("\n")
        if body.strip():
            bodies.append(body)
    head = "".join(line + "\n" for line in futures)
    return head + ("\n" if head else "") + "\n\n\n".join(bodies) + "\n"


def notebook_source(notebook: nbformat.NotebookNode) -> str:
    """The module a notebook amounts to: its code cells but the tests, without magics."""
    return join_cells(
        strip_magics(cell.source)
        for cell in notebook.cells
        if cell.cell_type == "code" and not is_test_cell(cell)
    )


def read_notebook(path: Path) -> nbformat.NotebookNode:
    import nbformat

    return nbformat.read(path, as_version=4)


def notebook_assignment(path: Path) -> str:
    """The assignment a notebook is for: its ``autograder`` metadata, else its file name."""
    try:
        meta = read_notebook(path).metadata.get("autograder", {})
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
