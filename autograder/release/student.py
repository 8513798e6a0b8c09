"""The student notebooks, made by nbgrader's own ``generate_assignment``.

nbgrader works on a course directory: ``source/<assignment>/`` in, ``release/<assignment>/``
out, plus a gradebook database.  The repository is that course directory.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class ReleaseError(Exception):
    """nbgrader refused to build the release."""


@contextmanager
def tools_on_path() -> Iterator[None]:
    """Put this Python's scripts first on PATH: nbgrader runs ``alembic`` from there."""
    saved = os.environ.get("PATH")
    scripts = str(Path(sys.executable).parent)
    os.environ["PATH"] = os.pathsep.join([scripts, *([saved] if saved else [])])
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PATH"]
        else:
            os.environ["PATH"] = saved


def course_api(root: Path, *, db_url: str | None = None, **settings: Any):
    """nbgrader's API on the course directory ``root`` (gradebook at ``db_url`` if given).

    ``settings`` are nbgrader configuration, ``Execute={"timeout": 300}`` style.
    """
    try:
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise ReleaseError(
            "the release needs nbgrader: pip install 'torch-autograder[release]'"
        ) from error
    from traitlets.config import Config

    config = Config(settings)
    config.CourseDirectory.root = str(root)
    if db_url is not None:
        config.CourseDirectory.db_url = db_url
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def generate_student_notebooks(
    course: Path, names: Iterable[str], *, db_url: str | None = None
) -> list[Path]:
    """Run ``generate_assignment``: ``course/source/<name>/`` to ``course/release/<name>/``.

    The gradebook nbgrader needs goes to ``db_url``; by default a temporary file, so that
    the repository (the course directory) gets the notebooks and no database.
    """
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="autograder-release-") as scratch, tools_on_path():
        api = course_api(course, db_url=db_url or f"sqlite:///{scratch}/gradebook.db")
        for name in names:
            result = api.generate_assignment(name)
            if not result["success"]:
                raise ReleaseError(
                    f"nbgrader generate_assignment failed for {name}:\n"
                    f"{result.get('log', '')}\n{result.get('error', '')}"
                )
            written += sorted(p for p in (course / "release" / name).rglob("*") if p.is_file())
    return written
