"""The report a student reads in a terminal: a table per module, then what to fix."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text

from autograder.grading.model import CheckResult, GradeReport


def _points(value: float) -> str:
    return f"{value:g}"


def render_text(report: GradeReport, *, color: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        force_jupyter=False,  # a string report, also when graded inside a notebook
        width=width,
        no_color=not color,
        highlight=False,
    )
    for module, results in groupby(report.results, key=lambda r: r.assignment):
        results = list(results)
        score = sum(r.score for r in results)
        total = sum(r.max_score for r in results)
        table = Table(
            title=f"{module}.py — {_points(score)}/{_points(total)}",
            title_justify="left",
            show_lines=False,
            expand=False,
        )
        table.add_column("function")
        table.add_column("check")
        table.add_column("points", justify="right")
        table.add_column("", justify="center")
        for result in results:
            mark = Text("PASS", style="green") if result.passed else Text("FAIL", style="red")
            table.add_row(
                result.function,
                result.check,
                f"{_points(result.score)}/{_points(result.max_score)}",
                mark,
            )
        console.print(table)
        _print_failures(console, [r for r in results if not r.passed])
    console.print(
        f"Total: {_points(report.score)}/{_points(report.max_score)} "
        f"({_percent(report):.0f}%) in {report.execution_time:.1f} s"
    )
    return buffer.getvalue()


def _percent(report: GradeReport) -> float:
    return 100.0 * report.score / report.max_score if report.max_score else 0.0


def _print_failures(console: Console, failures: list[CheckResult]) -> None:
    seen: set[tuple[str, str]] = set()
    for result in failures:
        # Identical feedback for every check of a function (not submitted, import error,
        # forbidden call) is shown once.
        key = (result.function, result.feedback)
        if key in seen:
            continue
        seen.add(key)
        console.print(Text(f"✗ {result.title}", style="bold red"))
        for line in result.feedback.splitlines():
            console.print(Text(f"    {line}"))
    if failures:
        console.print()
