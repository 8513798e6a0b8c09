"""``autograder release``: everything students get, generated from ``solutions/``.

The repository is an nbgrader course directory::

    solutions/<a>.py              the reference solutions (the one source of truth)
    assignments/<a>.py            stub modules                  (stubs.py)
    source/<a>/<a>.ipynb          nbgrader source notebooks     (source_notebook.py)
    release/<a>/<a>.ipynb         student notebooks             (student.py, by nbgrader)

All generated files are committed; the tests regenerate them and fail on any difference.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.i18n import TRANSLATED
from autograder.release.module import split_module
from autograder.release.readme import update_readme
from autograder.release.source_notebook import source_notebook
from autograder.release.stubs import write_stubs
from autograder.release.student import generate_student_notebooks
from autograder.release.teaching import translated_text


def write_source_notebooks(solutions: Path, source: Path, names: Iterable[str]) -> list[Path]:
    """Write ``source/<name>/<name>.ipynb`` for every assignment."""
    written = []
    for name in names:
        assignment = load_assignment(name)
        parts = split_module((solutions / f"{name}.py").read_text(encoding="utf-8"))
        for lang in TRANSLATED:
            for function in [None, *(e.name for e in assignment.exercises)]:
                if translated_text(lang, name, function) is None:
                    where = name if function is None else f"{name}.{function}"
                    print(f"warning: no {lang} teaching text for {where}", file=sys.stderr)
        folder = source / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        target = folder / f"{name}.ipynb"
        nbformat.write(source_notebook(assignment, parts), target)
        written.append(target)
    return written


def build_release(
    root: Path,
    out: Path | None = None,
    names: Iterable[str] = ASSIGNMENT_NAMES,
    *,
    db_url: str | None = None,
) -> list[Path]:
    """Generate the stubs and notebooks of ``root/solutions`` under ``out`` (default ``root``).

    ``db_url``: where nbgrader keeps the gradebook (default: a temporary file).
    """
    names = list(names)
    out = root if out is None else out
    update_readme(out)
    solutions = root / "solutions"
    if not solutions.is_dir():
        raise FileNotFoundError(f"{solutions} does not exist: run the release in the repository")
    (out / "assignments").mkdir(parents=True, exist_ok=True)
    written = write_stubs(solutions, out / "assignments", names)
    written += write_source_notebooks(solutions, out / "source", names)
    written += generate_student_notebooks(out, names, db_url=db_url)
    return written
