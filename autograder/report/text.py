"""The report a student reads in a terminal: a table per module, then what to fix."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from autograder.grading.model import CheckResult, GradeReport
from autograder.i18n import T, translate
from autograder.report.common import (
    by_module,
    check_name,
    distinct_failures,
    feedback,
    not_submitted,
    points,
    report_percent,
)


def render_text(
    report: GradeReport,
    *,
    color: bool = False,
    width: int = 100,
    lang: str = "en",
    heading: Callable[[str], str] | None = None,
) -> str:
    """The report as terminal text; ``heading(module)`` names each table where a file name
    (``tensors.py``) is not what the reader has in front of them (a notebook)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        force_jupyter=False,  # a string report, also when graded inside a notebook
        width=width,
        no_color=not color,
        highlight=False,
    )
    for note in report.notes:  # which file was graded where there were several, and why
        console.print(Text(translate(note, lang)))
    for module, results in by_module(report):
        score = sum(r.score for r in results)
        total = sum(r.max_score for r in results)
        name = heading(module) if heading else report.files.get(module, module + ".py")
        missing = not_submitted(results, lang)
        if missing is not None:  # one line, not a table of checks that all say so
            console.print(Text(f"{name} — {points(score)}/{points(total)}: {missing}"))
            continue
        table = Table(
            title=f"{name} — {points(score)}/{points(total)}",
            title_justify="left",
            show_lines=False,
            expand=False,
        )
        table.add_column(translate(T("function"), lang))
        table.add_column(translate(T("check"), lang))
        table.add_column(translate(T("points"), lang), justify="right")
        table.add_column("", justify="center")
        for result in results:
            mark = (
                Text(translate(T("PASS"), lang), style="green")
                if result.passed
                else Text(translate(T("FAIL"), lang), style="red")
            )
            table.add_row(  # Text, not str: rich would apply markup in a str ("[bold]")
                Text(result.function),
                Text(check_name(result, lang)),
                f"{points(result.score)}/{points(result.max_score)}",
                mark,
            )
        console.print(table)
        _print_failures(console, distinct_failures(results, lang), lang)
    total = T(
        "Total: {score}/{max_score} ({percent}%) in {seconds} s",
        score=points(report.score),
        max_score=points(report.max_score),
        percent=f"{report_percent(report):.0f}",
        seconds=f"{report.execution_time:.1f}",
    )
    console.print(translate(total, lang))
    return buffer.getvalue()


def _print_failures(console: Console, failures: list[CheckResult], lang: str) -> None:
    for result in failures:
        console.print(Text(f"✗ {result.tag}: {check_name(result, lang)}", style="bold red"))
        for line in feedback(result, lang).splitlines():
            console.print(Text(f"    {line}"))
    if failures:
        console.print()
