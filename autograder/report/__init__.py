"""Report formats, one module each, and the table of them the command line uses."""

from __future__ import annotations

from collections.abc import Callable

from autograder.grading.model import GradeReport
from autograder.report.gradescope import HIDDEN_VISIBILITY, render_json
from autograder.report.junit import render_junit
from autograder.report.markdown import render_markdown
from autograder.report.text import render_text

Renderer = Callable[..., str]

RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
    "junit": render_junit,
}

# What ``--save FILE`` writes, by the file's extension.
EXTENSIONS = {".txt": "text", ".json": "json", ".md": "markdown", ".xml": "junit"}


def render(
    report: GradeReport, fmt: str, lang: str = "en", hidden_visibility: str = HIDDEN_VISIBILITY
) -> str:
    """``report`` in format ``fmt`` (a key of :data:`RENDERERS`), feedback in ``lang``;
    ``hidden_visibility``: Gradescope's visibility of hidden checks (format json)."""
    if fmt == "json":
        text = render_json(report, lang=lang, hidden_visibility=hidden_visibility)
    else:
        text = RENDERERS[fmt](report, lang=lang)
    return text if text.endswith("\n") else text + "\n"
