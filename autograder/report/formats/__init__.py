"""The output formats: one module each in this folder, found by looking.

A format is the module ``autograder/report/formats/<module>.py`` that defines ``FORMAT``, a
:class:`ReportFormat`: its name (``--format NAME``), the extension ``--save`` knows it by,
how it shows one student's report, how it shows a class, and which files of a class run
(``grade-batch``, ``merge``) are written in it.  Everything that lists formats asks this
registry: the command line's choices, the files of a class run (``batch/outputs.py``) and
the table of ``docs/architecture.md`` (tests/test_formats.py compares them); adding a
format is adding one file here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.grading.model import GradeReport, StudentResult

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ClassResults:
    """What a class renderer shows: the students (by name) and their summary.

    ``histogram`` names the picture of the distribution next to a written summary (none
    when the summary is printed); ``draw_charts`` draws a page's charts, all at once (figure
    id -> chart, to figure id -> SVG; None: one after the other, here)."""

    students: Sequence[StudentResult]
    assignments: Sequence[str]
    summary: dict[str, Any]
    histogram: str | None = None
    draw_charts: Callable[[Mapping[str, Any]], dict[str, str]] | None = None


# One student's report: (report, lang, hidden_visibility) -> text.
ReportRenderer = Callable[[GradeReport, str, str], str]
# A class: (class results, lang) -> text.
ClassRenderer = Callable[[ClassResults, str], str]


@dataclass(frozen=True)
class ReportFormat:
    """One output format; ``render`` or ``render_class`` is None where it shows no such thing.

    ``class_file``: the file of a class run's folder holding the class in this format;
    ``feedback``: whether a class run also writes ``feedback/<student><extension>``.
    """

    name: str
    extension: str
    render: ReportRenderer | None = None
    render_class: ClassRenderer | None = None
    class_file: str | None = None
    feedback: bool = False


def _discover() -> dict[str, ReportFormat]:
    found: dict[str, ReportFormat] = {}
    for module in sorted(info.name for info in pkgutil.iter_modules([str(FOLDER)])):
        declared = importlib.import_module(f"{__name__}.{module}").FORMAT
        if not isinstance(declared, ReportFormat):
            raise TypeError(f"{__name__}.{module}.FORMAT is not a ReportFormat")
        if declared.name in found:
            raise ValueError(f"two formats are called {declared.name!r}")
        found[declared.name] = declared
    extensions = [fmt.extension for fmt in found.values()]
    if len(set(extensions)) != len(extensions):
        raise ValueError(f"two formats share an extension: {extensions}")
    return dict(sorted(found.items()))


# Every output format, by name.
FORMATS: dict[str, ReportFormat] = _discover()
# The formats of one report (``grade --format``) and of a class (``grade-batch --format``).
REPORT_FORMATS: tuple[str, ...] = tuple(n for n, f in FORMATS.items() if f.render is not None)
CLASS_FORMATS: tuple[str, ...] = tuple(n for n, f in FORMATS.items() if f.render_class is not None)
# What ``--save FILE`` writes, by the file's extension.
EXTENSIONS: dict[str, str] = {FORMATS[name].extension: name for name in REPORT_FORMATS}


def ending_in_newline(text: str) -> str:
    """``text`` as a file holds it: ending in one newline."""
    return text if text.endswith("\n") else text + "\n"
