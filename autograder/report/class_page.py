"""``summary.html``: the class at a glance, one self-contained page.

Everything is inside the file: the style, the charts (inline SVG made by
:mod:`autograder.report.plots`), the tables.  Nothing is fetched (no script, no font, no
stylesheet from a network), so the page opens the same from a CI artifact, an e-mail or a
laptop offline.  Each student's feedback is linked relatively (``feedback/<name>.md``), so
the folder can be moved whole.  Every text that comes from a student or a results file is
escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autograder.grading.model import as_data
from autograder.i18n import T, translate
from autograder.report.common import points
from autograder.report.item_analysis import METHOD
from autograder.report.plots import Bars, bars_png, bars_svg
from autograder.report.similarity import NOT_A_VERDICT, SCORE_MEANING, function_label, rankings
from autograder.report.summary import (
    FLAG_TEXTS,
    averages,
    discrimination_text,
    item_name,
    mean_of,
    most_failed_rows,
)

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 64em; color: #222; }
h1, h2, h3 { font-weight: 600; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { padding: 0.2em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { background: #fff8e1; border-left: 4px solid #f0c040; padding: 0.5em 1em; }
.flag { color: #a40000; } figure { margin: 1em 0; } svg { max-width: 100%; height: auto; }
"""


def _e(text: Any) -> str:
    return html.escape(as_data(str(text)), quote=True)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A table of already escaped cells; ``numeric``: the columns aligned right."""

    def cell(tag: str, index: int, value: str) -> str:
        kind = ' class="n"' if index in numeric else ""
        return f"<{tag}{kind}>{value}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def distribution_chart(summary: Mapping[str, Any], lang: str = "en") -> Bars:
    """The score distribution: one bar per range of percent, labelled with its range."""
    return Bars(
        title=translate(T("Score distribution"), lang),
        x_label=translate(T("score (percent of the points)"), lang),
        y_label=translate(T("students"), lang),
        labels=[bucket["range"] for bucket in summary["distribution"]],
        values=[bucket["students"] for bucket in summary["distribution"]],
    )


def distribution_png(summary: Mapping[str, Any]) -> bytes:
    """``distribution.png`` (English labels: see :mod:`autograder.report.plots`)."""
    return bars_png(distribution_chart(summary))


def _assignments_chart(summary: Mapping[str, Any], lang: str) -> Bars | None:
    rows = [row for row in summary.get("assignment_scores", []) if row["submitted"]]
    if not rows:
        return None
    shares = [100 * row["mean"] / row["max_score"] if row["max_score"] else 0.0 for row in rows]
    return Bars(
        title=translate(T("Mean score of each assignment (students who handed it in)"), lang),
        x_label=translate(T("assignment"), lang),
        y_label=translate(T("mean score (%)"), lang),
        labels=[row["assignment"] for row in rows],
        values=shares,
        value_texts=[f"{share:.0f} %" for share in shares],
        highest=100,
    )


def _checks_chart(assignment: str, checks: Sequence[Mapping[str, Any]], lang: str) -> Bars:
    shares = [100 * item["difficulty"] for item in checks]
    return Bars(
        title=translate(
            T("{assignment}: students passing each check", assignment=assignment), lang
        ),
        x_label=translate(T("students passing (%)"), lang),
        y_label="",
        labels=[f"{item['function']}: {translate(item['check'], lang)}"[:70] for item in checks],
        values=shares,
        value_texts=[f"{share:.0f} %" for share in shares],
        horizontal=True,
        highest=100,
    )


def _checks_by_assignment(analysis: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    by_assignment: dict[str, list[Mapping[str, Any]]] = {}
    for item in analysis["checks"]:
        by_assignment.setdefault(item["assignment"], []).append(item)
    return by_assignment


def page_charts(summary: Mapping[str, Any], lang: str = "en") -> dict[str, Bars]:
    """Every chart the page shows, by the id of its figure, in the page's order."""
    charts = {"distribution": distribution_chart(summary, lang)}
    assignments = _assignments_chart(summary, lang)
    if assignments is not None:
        charts["assignments"] = assignments
    analysis = summary.get("item_analysis")
    if analysis:
        for assignment, checks in _checks_by_assignment(analysis).items():
            charts[f"checks-{assignment}"] = _checks_chart(assignment, checks, lang)
    return charts


# Draws a page's charts (figure id -> chart) as inline SVG (figure id -> ``<svg>``).
ChartDrawer = Callable[[Mapping[str, Bars]], dict[str, str]]


def draw_charts(charts: Mapping[str, Bars]) -> dict[str, str]:
    """The charts drawn here, one after the other."""
    return {name: bars_svg(bars) for name, bars in charts.items()}


def _figure(name: str, drawn: Mapping[str, str]) -> str:
    if name not in drawn:
        return ""
    return f'<figure id="{_e(name)}">{drawn[name]}</figure>'


def _overview(summary: Mapping[str, Any], lang: str, drawn: Mapping[str, str]) -> list[str]:
    title = T("Class summary: {students} students", students=summary["students"])
    parts = [
        f"<h1>{_e(translate(title, lang))}</h1>",
        f"<p>{_e(translate(averages(summary['percent']), lang))}</p>",
        f"<h2>{_e(translate(T('Score distribution'), lang))}</h2>",
        _figure("distribution", drawn),
        _table(
            [_e(translate(T("score"), lang)), _e(translate(T("students"), lang))],
            [[_e(b["range"]), str(b["students"])] for b in summary["distribution"]],
            {1},
        ),
        f"<h2>{_e(translate(T('Assignments'), lang))}</h2>",
        _figure("assignments", drawn),
        _table(
            [
                _e(translate(T("exercise"), lang)),
                _e(translate(T("mean"), lang)),
                _e(translate(T("full marks"), lang)),
            ],
            [
                [
                    f"<code>{_e(item['exercise'])}</code>",
                    _e(mean_of(item["mean"], item["max_score"])),
                    f"{item['full_marks']}/{summary['students']}",
                ]
                for item in summary["exercises"]
            ],
            {1, 2},
        ),
    ]
    return parts


def _item_analysis(analysis: Mapping[str, Any], lang: str, drawn: Mapping[str, str]) -> list[str]:
    header = [_e(translate(T("difficulty"), lang)), _e(translate(T("discrimination"), lang))]

    def measures(item: Mapping[str, Any]) -> list[str]:
        return [f"{100 * item['difficulty']:.0f} %", discrimination_text(item["discrimination"])]

    parts = [
        f'<h2 id="item-analysis">{_e(translate(T("Item analysis"), lang))}</h2>',
        f"<p>{_e(translate(METHOD, lang))}.</p>",
        f"<h3>{_e(translate(T('Checks and exercises to look at'), lang))}</h3>",
    ]
    if analysis["flagged"]:
        parts.append(
            _table(
                [_e(translate(T("item"), lang)), *header, _e(translate(T("why"), lang))],
                [
                    [
                        _e(item_name(item, lang)),
                        *measures(item),
                        '<span class="flag">'
                        + _e(", ".join(translate(FLAG_TEXTS[f], lang) for f in item["flags"]))
                        + "</span>",
                    ]
                    for item in analysis["flagged"]
                ],
                {1, 2},
            )
        )
    else:
        parts.append(f"<p>{_e(translate(T('Nothing to look at.'), lang))}</p>")
    parts += [
        f"<h3>{_e(translate(T('Exercises most students fail'), lang))}</h3>",
        _table(
            [
                _e(translate(T("exercise"), lang)),
                _e(translate(T("failed"), lang)),
                _e(translate(T("most common failing check"), lang)),
            ],
            [
                [f"<code>{_e(name)}</code>", failed, _e(check)]
                for name, failed, check in most_failed_rows(analysis, lang)
            ],
            {1},
        ),
        f"<h3>{_e(translate(T('Exercises'), lang))}</h3>",
        _table(
            [_e(translate(T("exercise"), lang)), *header],
            [[_e(item_name(item, lang)), *measures(item)] for item in analysis["exercises"]],
            {1, 2},
        ),
        f"<h3>{_e(translate(T('Checks'), lang))}</h3>",
    ]
    for assignment, checks in _checks_by_assignment(analysis).items():
        parts += [
            f"<details><summary><code>{_e(assignment)}</code></summary>",
            _figure(f"checks-{assignment}", drawn),
            _table(
                [_e(translate(T("check"), lang)), *header],
                [[_e(item_name(item, lang)), *measures(item)] for item in checks],
                {1, 2},
            ),
            "</details>",
        ]
    return parts


def _similarity(similarity: Mapping[str, Any] | None, lang: str) -> list[str]:
    parts = [
        f'<h2 id="similarity">{_e(translate(T("Alike submissions"), lang))}</h2>',
        f'<p class="note">{_e(translate(NOT_A_VERDICT, lang))}</p>',
        f"<p>%: {_e(translate(SCORE_MEANING, lang))}.</p>",
    ]
    shown = rankings(similarity or {})
    if not shown:
        nothing = T("No two submissions share code beyond what was given.")
        parts.append(f"<p>{_e(translate(nothing, lang))}</p>")
    for assignment, function, pairs in shown:
        parts += [
            f"<h3><code>{_e(assignment)}</code> — {_e(function_label(function, lang))}</h3>",
            _table(
                ["", "", "%"],
                [
                    [_e(pair["students"][0]), _e(pair["students"][1]), f"{100 * pair['score']:.0f}"]
                    for pair in pairs
                ],
                {2},
            ),
        ]
    return parts


def _students(summary: Mapping[str, Any], links: Mapping[str, str], lang: str) -> list[str]:
    rows = []
    for item in summary["scores"]:
        name = _e(item["student"])
        link = links.get(item["student"])
        shown = f'<a href="{html.escape(link, quote=True)}">{name}</a>' if link else name
        rows.append(
            [
                shown + (" ⚠️" if item["error"] else ""),
                f"{points(item['score'])}/{points(item['max_score'])}",
                f"{item['percent']:.0f} %",
            ]
        )
    return [
        f'<h2 id="students">{_e(translate(T("Students"), lang))}</h2>',
        f"<p>{_e(translate(T('Each name links to the student’s feedback.'), lang))}</p>",
        _table(
            [_e(translate(T("student"), lang)), _e(translate(T("score"), lang)), "%"],
            rows,
            {1, 2},
        ),
    ]


def render_class_page(
    summary: Mapping[str, Any],
    *,
    lang: str = "en",
    feedback: Mapping[str, str] | None = None,
    draw: ChartDrawer = draw_charts,
) -> str:
    """The page: ``summary`` as :func:`autograder.report.summary.class_summary` makes it
    (with its ``similarity`` when compared), ``feedback``: student -> the relative link to
    their feedback.  ``draw`` draws the page's charts, all at once (a batch draws them on
    two cores: :func:`autograder.batch.outputs.drawn_on_two_cores`)."""
    title = translate(T("Class summary: {students} students", students=summary["students"]), lang)
    charts = page_charts(summary, lang)
    drawn = draw(charts)
    body = _overview(summary, lang, drawn)
    if summary.get("item_analysis"):
        body += _item_analysis(summary["item_analysis"], lang, drawn)
    body += _similarity(summary.get("similarity"), lang)
    body += _students(summary, feedback or {}, lang)
    return _page(title, body, lang)


def render_similarity_page(similarity: Mapping[str, Any], *, lang: str = "en") -> str:
    """similarity.html: the ranking of ``autograder similarity`` alone, self-contained."""
    return _page(translate(T("Alike submissions"), lang), _similarity(similarity, lang), lang)


def _page(title: str, body: Sequence[str], lang: str) -> str:
    """One self-contained HTML page: inline style, no script, nothing fetched."""
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )
