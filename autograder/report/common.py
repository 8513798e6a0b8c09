"""What every report format shares: points, percentages, grouping, safe text."""

from __future__ import annotations

import re
from itertools import groupby

from autograder.grading.model import (
    HIDDEN_PATTERN,
    CheckResult,
    GradeReport,
    as_data,
    hidden_title,
)
from autograder.i18n import translate


def points(value: float) -> str:
    """``3``, ``2.5``, ``0.3333``: no trailing zeros, at most four decimals."""
    return f"{round(value, 4):g}"


def percent(score: float, total: float) -> float:
    return 100.0 * score / total if total else 0.0


def report_percent(report: GradeReport) -> float:
    return percent(report.score, report.max_score)


def by_module(report: GradeReport) -> list[tuple[str, list[CheckResult]]]:
    """The results of each graded module, in grading order."""
    return [(name, list(group)) for name, group in groupby(report.results, lambda r: r.assignment)]


# How grading.grade.not_found's feedback begins: the module was not handed in.
NOT_SUBMITTED = "not submitted:"


def not_submitted(results: list[CheckResult], lang: str = "en") -> str | None:
    """Why a module's every check failed, when it is that the module was not handed in
    (reports then show it as one line, not check by check); None otherwise."""
    if results and all(not r.passed and r.feedback.startswith(NOT_SUBMITTED) for r in results):
        return " ".join(feedback(results[0], lang).split())
    return None


def check_name(result: CheckResult, lang: str) -> str:
    hidden = HIDDEN_PATTERN.fullmatch(result.check)
    if hidden:
        return translate(hidden_title(int(hidden["number"]), int(hidden["count"])), lang)
    return as_data(translate(result.check, lang))


def feedback(result: CheckResult, lang: str) -> str:
    """The feedback a report shows: as_data again at render time (results can be made by
    hand, or read back from a results.json someone edited)."""
    return as_data(result.feedback_in(lang))


def distinct_failures(results: list[CheckResult], lang: str = "en") -> list[CheckResult]:
    """Failed checks, each feedback once per function (a missing module fails every check)."""
    seen: set[tuple[str, str, str]] = set()
    failures: list[CheckResult] = []
    for result in results:
        key = (result.assignment, result.function, result.feedback_in(lang))
        if result.passed or key in seen:
            continue
        seen.add(key)
        failures.append(result)
    return failures


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text XML 1.0 can hold: control characters shown escaped (:func:`as_data`), anything
    else XML cannot hold becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", as_data(text))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")


def markdown_escape(text: str) -> str:
    """Text shown literally in Markdown (table cells, headings): no links, HTML or tables."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(as_data(text).split()))


def markdown_code_block(text: str, info: str = "text") -> str:
    """A fenced block that no backticks inside the text can close early."""
    text = as_data(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows and never runs: a cell starting with
    = + - @ (or a tab, a carriage return) would be a formula (CSV injection), and control
    characters (a student's folder name, an error quoting student output) are data."""
    text = as_data(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
