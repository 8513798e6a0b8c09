"""The README's course table, written from the registry by ``autograder release``.

The table sits between two markers in ``README.md``; everything else there is prose we
write by hand.  ``tests/test_release.py`` fails when the table and the registry disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment, summary

BEGIN = "<!-- course table: written by `autograder release` from the assignments' folders -->"
END = "<!-- end of the course table -->"


def course_table(names: Iterable[str] = ASSIGNMENT_NAMES) -> str:
    """One row per assignment: its exercises and what it teaches (Markdown)."""
    rows = ["| assignment | exercises | notes |", "| --- | --- | --- |"]
    for name in names:
        exercises = ", ".join(f"`{e.name}`" for e in load_assignment(name).exercises)
        rows.append(f"| `{name}` | {exercises} | {summary(name)} |")
    return "\n".join(rows) + "\n"


def with_course_table(readme: str, names: Iterable[str] = ASSIGNMENT_NAMES) -> str:
    """``readme`` with the text between the markers replaced by :func:`course_table`."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + course_table(names) + readme[end:]


def update_readme(root: Path) -> bool:
    """Rewrite the course table of ``root/README.md`` if it has the markers and differs."""
    path = root / "README.md"
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return False
    updated = with_course_table(text)
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return updated != text
