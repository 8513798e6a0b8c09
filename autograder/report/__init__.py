"""Reports: what a grading shows, in the formats of :mod:`autograder.report.formats`.

The renderers (``text.py``, ``markdown.py``, ``gradescope.py``, ``junit.py``, ``summary.py``,
``gradebook.py``) turn a :class:`~autograder.grading.model.GradeReport` (or a class of them)
into text; each format module of ``formats/`` names which renderers make that format.
"""

from __future__ import annotations

from autograder.grading.model import GradeReport
from autograder.report.formats import (
    EXTENSIONS,
    FORMATS,
    REPORT_FORMATS,
    ReportRenderer,
    ending_in_newline,
)
from autograder.report.gradescope import HIDDEN_VISIBILITY

__all__ = ["EXTENSIONS", "RENDERERS", "render"]

# One report's renderer of each format, by the format's name.
RENDERERS: dict[str, ReportRenderer] = {
    name: renderer for name in REPORT_FORMATS if (renderer := FORMATS[name].render)
}


def render(
    report: GradeReport, fmt: str, lang: str = "en", hidden_visibility: str = HIDDEN_VISIBILITY
) -> str:
    """``report`` in format ``fmt`` (a key of :data:`RENDERERS`), feedback in ``lang``;
    ``hidden_visibility``: Gradescope's visibility of hidden checks (format json)."""
    return ending_in_newline(RENDERERS[fmt](report, lang, hidden_visibility))
