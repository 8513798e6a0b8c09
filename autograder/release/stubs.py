"""Stub modules for students: the solutions with every solution block replaced.

Solutions mark the code to hide with nbgrader's markers::

    ### BEGIN SOLUTION
    ...
    ### END SOLUTION

and the student gets ``raise NotImplementedError`` at the same indentation instead.
"""

from __future__ import annotations

import re
from pathlib import Path

SOLUTION_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)### BEGIN SOLUTION[^\n]*\n.*?^[ \t]*### END SOLUTION[^\n]*\n",
    re.DOTALL | re.MULTILINE,
)


def make_stub(solution_source: str) -> str:
    """The student's version of a solution module."""
    return SOLUTION_BLOCK.sub(
        lambda match: f"{match.group('indent')}raise NotImplementedError\n", solution_source
    )


def write_stubs(solutions: Path, assignments: Path, names: list[str]) -> list[Path]:
    """Write ``assignments/<name>.py`` for every assignment; return the files written."""
    written = []
    for name in names:
        target = assignments / f"{name}.py"
        target.write_text(
            make_stub((solutions / f"{name}.py").read_text(encoding="utf-8")), encoding="utf-8"
        )
        written.append(target)
    return written
