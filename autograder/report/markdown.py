"""Markdown for GitHub job summaries and pull-request comments.

Everything a submission controls (feedback quotes its exception messages and output) is put
in fenced code blocks, so it cannot inject links, images, HTML or fake tables.
"""

from __future__ import annotations

from autograder.grading.model import GradeReport
from autograder.i18n import T, translate
from autograder.report.common import (
    by_module,
    check_name,
    distinct_failures,
    markdown_code_block,
    markdown_escape,
    not_submitted,
    percent,
    points,
    report_percent,
)

PASSED = "✅"
FAILED = "❌"


def render_markdown(report: GradeReport, *, lang: str = "en", heading_level: int = 2) -> str:
    """The score, a table of checks per module, then each failure with its feedback."""
    h = "#" * heading_level
    score = T(
        "Score: {score}/{max_score} ({percent}%)",
        score=points(report.score),
        max_score=points(report.max_score),
        percent=f"{report_percent(report):.0f}",
    )
    lines = [f"{h} {translate(T('Autograder'), lang)} — {translate(score, lang)}", ""]
    for note in report.notes:  # which file was graded where there were several, and why
        lines += [f"> {markdown_escape(translate(note, lang))}", ""]
    if not report.results:
        lines += [translate(T("Nothing was graded."), lang), ""]
    for module, results in by_module(report):
        module_score = sum(r.score for r in results)
        module_total = sum(r.max_score for r in results)
        title = (
            f"{h}# {markdown_escape(report.files.get(module, module + '.py'))} — "
            f"{points(module_score)}/{points(module_total)} "
            f"({percent(module_score, module_total):.0f}%)"
        )
        missing = not_submitted(results, lang)
        if missing is not None:  # one line, not a table of checks that all say so
            lines += [title, "", f"{FAILED} {markdown_escape(missing)}", ""]
            continue
        lines += [
            title,
            "",
            "| | {} | {} | {} |".format(
                translate(T("function"), lang),
                translate(T("check"), lang),
                translate(T("points"), lang),
            ),
            "|:-:|---|---|--:|",
        ]
        for result in results:
            lines.append(
                f"| {PASSED if result.passed else FAILED} | `{result.function}` | "
                f"{markdown_escape(check_name(result, lang))} | "
                f"{points(result.score)}/{points(result.max_score)} |"
            )
        lines.append("")
        failures = distinct_failures(results, lang)
        if failures:
            lines += [f"**{translate(T('What to fix'), lang)}**", ""]
        for result in failures:
            lines += [
                f"{FAILED} `{result.tag}`: {markdown_escape(check_name(result, lang))}",
                "",
                markdown_code_block(result.feedback_in(lang)),  # shown as data
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"
