"""The class at a glance: score distribution, the checks most students fail, every score.

:func:`class_summary` computes plain data (also written as ``summary.json``); the render
functions show it as Markdown (job summaries) or as a terminal table.
"""

from __future__ import annotations

import io
import json
import statistics
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from autograder.grading.model import CheckResult, StudentResult, as_data
from autograder.i18n import T, translate
from autograder.report.common import markdown_code_block, markdown_escape, percent, points
from autograder.report.gradebook import exercise_columns
from autograder.report.item_analysis import METHOD, item_analysis
from autograder.report.similarity import render_similarity_markdown

BUCKETS = 10
TOP_CHECKS = 10
HISTOGRAM_FILE = "distribution.png"
# How the feedback of an assignment missing from a submission begins (grading.grade.not_found).
NOT_SUBMITTED = "not submitted"


def submitted(student: StudentResult, assignment: str) -> bool:
    """Whether ``student`` handed in ``assignment`` (its checks did not all say "not submitted")."""
    mine = [r for r in student.results if r.assignment == assignment]
    return any(not r.feedback.startswith(NOT_SUBMITTED) for r in mine)


def _bucket_label(index: int) -> str:
    low = index * 100 // BUCKETS
    high = (index + 1) * 100 // BUCKETS
    return f"{low}–{high}%" if index == BUCKETS - 1 else f"{low}–{high - 1}%"


def _sums(student: StudentResult, key: Callable[[CheckResult], Any]) -> dict[Any, tuple]:
    """(points, of the points possible) of ``student``'s results, by ``key``: in one pass,
    added in the results' order (the same floats as a sum over each key's results)."""
    sums: dict[Any, tuple] = {}
    for r in student.results:
        at = key(r)
        got, top = sums.get(at, (0, 0))
        sums[at] = (got + r.score, top + r.max_score)
    return sums


def class_summary(
    students: Sequence[StudentResult],
    assignments: Sequence[str],
    columns: Sequence[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """Deterministic statistics of a class (nothing depends on timing or order of grading).

    The checks most students fail are counted among those who submitted the assignment:
    a module nobody handed in would otherwise fill the list; unsubmitted modules are
    counted apart. ``columns`` as :func:`exercise_columns` (computed when not given).
    """
    students = sorted(students, key=lambda s: s.student)
    graded = [s for s in students if s.error is None]
    percents = [round(percent(s.score, s.max_score), 4) for s in students]
    distribution = [0] * BUCKETS
    for value in percents:
        distribution[min(BUCKETS - 1, int(value * BUCKETS // 100))] += 1
    failures: dict[tuple[str, str, str], int] = {}
    order: dict[tuple[str, str, str], int] = {}
    handed_in = {name: [s for s in graded if submitted(s, name)] for name in assignments}
    # (by identity, as a list's ``in`` would find them, without comparing whole students)
    handed_in_ids = {name: {id(s) for s in group} for name, group in handed_in.items()}
    for student in graded:
        for result in student.results:
            if id(student) not in handed_in_ids.get(result.assignment, ()):
                continue
            key = (result.assignment, result.function, result.check)
            order.setdefault(key, len(order))
            if not result.passed:
                failures[key] = failures.get(key, 0) + 1
    ranked = sorted(failures, key=lambda key: (-failures[key], order[key]))[:TOP_CHECKS]
    exercises = []
    by_exercise = [_sums(s, lambda r: (r.assignment, r.function)) for s in students]
    for assignment, function in columns or exercise_columns(assignments):
        totals = [sums.get((assignment, function), (0, 0)) for sums in by_exercise]
        maximum = max((total for _, total in totals), default=0.0)
        exercises.append(
            {
                "exercise": f"{assignment}.{function}",
                "max_score": round(maximum, 4),
                "mean": round(statistics.fmean([s for s, _ in totals]), 4) if totals else 0.0,
                "full_marks": sum(1 for s, t in totals if t and s >= t),
            }
        )
    assignment_scores = []
    by_assignment = {id(s): _sums(s, lambda r: r.assignment) for s in graded}
    for name in assignments:
        totals = [by_assignment[id(s)].get(name, (0, 0)) for s in handed_in[name]]
        maximum = max((top for _, top in totals), default=0.0)
        assignment_scores.append(
            {
                "assignment": name,
                "submitted": len(totals),
                "max_score": round(maximum, 4),
                "mean": round(statistics.fmean([got for got, _ in totals]), 4) if totals else 0.0,
            }
        )
    return {
        "students": len(students),
        "graded": len(graded),
        "assignments": list(assignments),
        "max_score": round(max((s.max_score for s in students), default=0.0), 4),
        "percent": {
            "mean": round(statistics.fmean(percents), 2) if percents else 0.0,
            "median": round(statistics.median(percents), 2) if percents else 0.0,
            "min": round(min(percents), 2) if percents else 0.0,
            "max": round(max(percents), 2) if percents else 0.0,
            "stdev": round(statistics.pstdev(percents), 2) if percents else 0.0,
        },
        "distribution": [
            {"range": _bucket_label(i), "students": count} for i, count in enumerate(distribution)
        ],
        "exercises": exercises,
        "assignment_scores": assignment_scores,
        "most_failed_checks": [
            {
                "assignment": assignment,
                "function": function,
                "check": check,
                "failed": failures[(assignment, function, check)],
                "submitted": len(handed_in[assignment]),
                "share": round(
                    failures[(assignment, function, check)] / len(handed_in[assignment]), 4
                ),
            }
            for assignment, function, check in ranked
        ],
        "not_submitted": [
            {"assignment": name, "students": len(graded) - len(handed_in[name])}
            for name in assignments
            if len(handed_in[name]) < len(graded)
        ],
        "item_analysis": item_analysis(graded, handed_in),
        "scores": [
            {
                "student": as_data(s.student),
                "score": round(s.score, 4),
                "max_score": round(s.max_score, 4),
                "percent": round(percent(s.score, s.max_score), 2),
                "error": s.error,
            }
            for s in students
        ],
        "errors": [
            {
                "student": as_data(s.student),
                "error": s.error,
                "translations": s.error_translations,
            }
            for s in students
            if s.error
        ],
    }


def render_summary_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"


def _tr(message: T, lang: str) -> str:
    return translate(message, lang)


def averages(stats: dict[str, float]) -> T:
    return T(
        "Mean {mean}%, median {median}%, lowest {min}%, highest {max}% "
        "(standard deviation {stdev}).",
        **{name: f"{value:.1f}" for name, value in stats.items()},
    )


def mean_of(mean: float, maximum: float) -> str:
    """A class's mean out of the points there are: one decimal (``5.7/10``, not ``5.7143/10``)."""
    return f"{mean:.1f}/{points(maximum)}"


FLAG_TEXTS = {
    "nobody passes": T("nobody passes"),
    "everyone passes": T("everyone passes"),
    "negative discrimination": T("negative discrimination"),
}


def item_name(item: dict[str, Any], lang: str) -> str:
    """``assignment.function`` and, for a check, its name in ``lang``."""
    name = f"{item['assignment']}.{item['function']}"
    return name if item.get("check") is None else f"{name}: {translate(item['check'], lang)}"


def discrimination_text(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}"


def most_failed_rows(analysis: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """(exercise, failed/submitted, its most common failing check and count) of each of the
    exercises most students fail, as text (to escape for the page's format)."""
    rows = []
    for item in analysis["most_failed_exercises"]:
        common = item["most_common_failing_check"]
        check = "" if common is None else f"{translate(common['check'], lang)} ({common['failed']})"
        name = f"{item['assignment']}.{item['function']}"
        rows.append((name, f"{item['failed']}/{item['students']}", check))
    return rows


def _item_analysis_markdown(analysis: dict[str, Any], lang: str) -> list[str]:
    lines = ["", "### " + _tr(T("Item analysis"), lang), "", _tr(METHOD, lang) + "."]
    flagged = [
        [
            markdown_escape(item_name(item, lang)),
            f"{100 * item['difficulty']:.0f}%",
            discrimination_text(item["discrimination"]),
            ", ".join(_tr(FLAG_TEXTS[flag], lang) for flag in item["flags"]),
        ]
        for item in analysis["flagged"]
    ]
    header = [_tr(T("difficulty"), lang), _tr(T("discrimination"), lang)]
    if flagged:
        lines += _markdown_table(
            _tr(T("Checks and exercises to look at"), lang),
            [_tr(T("item"), lang), *header, _tr(T("why"), lang)],
            flagged,
        )
    lines += _markdown_table(
        _tr(T("Exercises most students fail"), lang),
        [
            _tr(T("exercise"), lang),
            _tr(T("failed"), lang),
            _tr(T("most common failing check"), lang),
        ],
        [
            [f"`{name}`", failed, markdown_escape(check)]
            for name, failed, check in most_failed_rows(analysis, lang)
        ],
    )
    lines += _markdown_table(
        _tr(T("Exercises"), lang) + ": " + ", ".join(header),
        [_tr(T("exercise"), lang), *header],
        [
            [
                f"`{item['assignment']}.{item['function']}`",
                f"{100 * item['difficulty']:.0f}%",
                discrimination_text(item["discrimination"]),
            ]
            for item in analysis["exercises"]
        ],
    )
    return lines


def _markdown_table(heading: str, header: list[str], rows: list[list[str]]) -> list[str]:
    """A section: heading, then a table whose first column is text and the others numbers."""
    lines = ["", f"### {heading}", "", "| " + " | ".join(header) + " |"]
    lines.append("|---|" + "--:|" * (len(header) - 1))
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render_summary_markdown(
    summary: dict[str, Any], *, lang: str = "en", histogram: str | None = None
) -> str:
    """The summary for people (job summaries, summary.md); ``histogram``: a picture's path
    relative to the Markdown file, embedded under the distribution's numbers."""
    stats = summary["percent"]
    lines = [
        "## " + _tr(T("Class summary: {students} students", students=summary["students"]), lang),
        "",
        _tr(averages(stats), lang),
        "",
        "### " + _tr(T("Score distribution"), lang),
        "",
        f"| {_tr(T('score'), lang)} | {_tr(T('students'), lang)} | |",
        "|---|--:|---|",
    ]
    for bucket in summary["distribution"]:
        lines.append(f"| {bucket['range']} | {bucket['students']} | {'█' * bucket['students']} |")
    if histogram:
        lines += ["", f"![{_tr(T('Score distribution'), lang)}]({histogram})"]
    lines += ["", "### " + _tr(T("Checks most students fail"), lang), ""]
    if summary["most_failed_checks"]:
        lines += [
            f"| {_tr(T('check'), lang)} | {_tr(T('failed'), lang)} | % |",
            "|---|--:|--:|",
        ]
        for item in summary["most_failed_checks"]:
            name = markdown_escape(translate(item["check"], lang))
            lines.append(
                f"| `{item['assignment']}.{item['function']}`: {name} | {item['failed']} | "
                f"{100 * item['share']:.0f}% |"
            )
    else:
        lines.append(_tr(T("Every graded student passed every check."), lang))
    if summary.get("not_submitted"):
        lines.append("")
        for item in summary["not_submitted"]:
            lines.append(
                "- "
                + _tr(
                    T(
                        "{assignment}: not submitted by {students} of the graded students "
                        "(left out of the checks above)",
                        assignment=f"`{item['assignment']}`",
                        students=item["students"],
                    ),
                    lang,
                )
            )
    lines += _markdown_table(
        _tr(T("Exercises"), lang),
        [_tr(T("exercise"), lang), _tr(T("mean"), lang), _tr(T("full marks"), lang)],
        [
            [
                f"`{item['exercise']}`",
                mean_of(item["mean"], item["max_score"]),
                f"{item['full_marks']}/{summary['students']}",
            ]
            for item in summary["exercises"]
        ],
    )
    if summary.get("item_analysis"):
        lines += _item_analysis_markdown(summary["item_analysis"], lang)
    if summary.get("similarity"):
        lines += ["", "### " + _tr(T("Alike submissions"), lang), ""]
        lines.append(render_similarity_markdown(summary["similarity"], lang=lang))
    lines += _markdown_table(
        _tr(T("Students"), lang),
        [_tr(T("student"), lang), _tr(T("score"), lang), "%"],
        [
            [
                markdown_escape(item["student"]) + (" ⚠️" if item["error"] else ""),
                f"{points(item['score'])}/{points(item['max_score'])}",
                f"{item['percent']:.0f}%",
            ]
            for item in summary["scores"]
        ],
    )
    if summary["errors"]:
        lines += ["", "### " + _tr(T("Submissions that could not be graded"), lang), ""]
        for item in summary["errors"]:
            error = item["translations"].get(lang, item["error"]) if lang != "en" else item["error"]
            lines += [f"**{markdown_escape(item['student'])}**", "", markdown_code_block(error), ""]
    return "\n".join(lines).rstrip() + "\n"


def render_summary_text(summary: dict[str, Any], *, lang: str = "en", width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False)
    stats = summary["percent"]
    console.print(_tr(T("Class summary: {students} students", students=summary["students"]), lang))
    console.print(_tr(averages(stats), lang))
    scores = Table(title=_tr(T("Students"), lang), title_justify="left")
    scores.add_column(_tr(T("student"), lang))
    scores.add_column(_tr(T("score"), lang), justify="right")
    scores.add_column("%", justify="right")
    scores.add_column("")
    for item in summary["scores"]:
        scores.add_row(  # Text, not str: rich would apply markup in a str ("[bold]")
            Text(as_data(item["student"])),
            f"{points(item['score'])}/{points(item['max_score'])}",
            f"{item['percent']:.0f}",
            _tr(T("error"), lang) if item["error"] else "",
        )
    console.print(scores)
    if summary["most_failed_checks"]:
        checks = Table(title=_tr(T("Checks most students fail"), lang), title_justify="left")
        checks.add_column(_tr(T("check"), lang))
        checks.add_column(_tr(T("failed"), lang), justify="right")
        for item in summary["most_failed_checks"]:
            checks.add_row(
                Text(f"{item['assignment']}.{item['function']}: {translate(item['check'], lang)}"),
                str(item["failed"]),
            )
        console.print(checks)
    flagged = summary.get("item_analysis", {}).get("flagged", [])
    if flagged:
        look = Table(title=_tr(T("Checks and exercises to look at"), lang), title_justify="left")
        look.add_column(_tr(T("item"), lang))
        look.add_column(_tr(T("discrimination"), lang), justify="right")
        look.add_column(_tr(T("why"), lang))
        for item in flagged:
            look.add_row(
                Text(item_name(item, lang)),
                discrimination_text(item["discrimination"]),
                ", ".join(_tr(FLAG_TEXTS[flag], lang) for flag in item["flags"]),
            )
        console.print(look)
    for item in summary.get("not_submitted", []):
        console.print(
            _tr(
                T(
                    "{assignment}: not submitted by {students} of the graded students "
                    "(left out of the checks above)",
                    assignment=item["assignment"],
                    students=item["students"],
                ),
                lang,
            )
        )
    for item in summary["errors"]:
        error = item["translations"].get(lang, item["error"]) if lang != "en" else item["error"]
        console.print(Text(as_data(f"{item['student']}: {error}")))
    return buffer.getvalue()
