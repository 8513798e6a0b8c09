"""Markdown: GitHub job summaries and pull-request comments; the class's summary.md."""

from __future__ import annotations

from autograder.grading.model import GradeReport
from autograder.report.formats import ClassResults, ReportFormat
from autograder.report.markdown import render_markdown


def _report(report: GradeReport, lang: str, hidden_visibility: str) -> str:
    return render_markdown(report, lang=lang)


def _class(results: ClassResults, lang: str) -> str:
    from autograder.report.summary import (
        render_summary_markdown,  # (rich's tables: only for a class)
    )

    return render_summary_markdown(results.summary, lang=lang, histogram=results.histogram)


FORMAT = ReportFormat(
    "markdown", ".md", render=_report, render_class=_class, class_file="summary.md", feedback=True
)
