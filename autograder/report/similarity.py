"""The similarity ranking (``autograder similarity``, summary.html) shown to a person.

The data comes from :mod:`autograder.batch.similarity`; this module only words it, and
every rendering says first that a ranking is a reason to look, never a verdict.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from autograder.grading.model import as_data
from autograder.i18n import T, translate
from autograder.report.common import markdown_escape, spreadsheet_cell

NOT_A_VERDICT = T(
    "Pairs of alike solutions, most alike first, for a person to review: this is never a "
    "verdict. Alike code has innocent causes too (the course's notes, a short exercise, "
    "work shared where it was allowed); the code every student was given is discounted."
)
SCORE_MEANING = T(
    "alike: the share of each one's code (names, comments and layout ignored) also found "
    "in the other's, averaged over the two"
)
SHOWN_PER_FUNCTION = 5


def function_label(function: str | None, lang: str) -> str:
    return function if function else translate(T("whole module"), lang)


def rankings(similarity: dict[str, Any]) -> list[tuple[str, str | None, list[dict[str, Any]]]]:
    """(assignment, function or None for whole modules, pairs) of every non-empty ranking."""
    found = []
    for item in similarity.get("assignments", []):
        if item["modules"]:
            found.append((item["assignment"], None, item["modules"]))
        for function, pairs in item["functions"].items():
            if pairs:
                found.append((item["assignment"], function, pairs[:SHOWN_PER_FUNCTION]))
    return found


def render_similarity_text(similarity: dict[str, Any], *, lang: str = "en") -> str:
    lines = [translate(NOT_A_VERDICT, lang), translate(SCORE_MEANING, lang), ""]
    shown = rankings(similarity)
    if not shown:
        lines.append(translate(T("No two submissions share code beyond what was given."), lang))
    for assignment, function, pairs in shown:
        lines.append(f"{assignment} — {function_label(function, lang)}")
        for pair in pairs:
            first, second = (as_data(name) for name in pair["students"])
            lines.append(f"  {100 * pair['score']:5.1f} %  {first}  ~  {second}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_similarity_markdown(similarity: dict[str, Any], *, lang: str = "en") -> str:
    lines = [f"> {translate(NOT_A_VERDICT, lang)}", ""]
    shown = rankings(similarity)
    if not shown:
        lines.append(translate(T("No two submissions share code beyond what was given."), lang))
    for assignment, function, pairs in shown:
        label = markdown_escape(function_label(function, lang))
        lines += ["", f"#### `{assignment}` — {label}", "", "| | | % |", "|---|---|--:|"]
        for pair in pairs:
            first, second = (markdown_escape(name) for name in pair["students"])
            lines.append(f"| {first} | {second} | {100 * pair['score']:.0f} |")
    return "\n".join(lines).rstrip() + "\n"


def render_similarity_json(similarity: dict[str, Any], *, lang: str = "en") -> str:
    data = {"note": translate(NOT_A_VERDICT, lang), **similarity}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_similarity_csv(similarity: dict[str, Any], *, lang: str = "en") -> str:
    """Every pair compared, most alike first within each ranking (similarity.csv: for a
    spreadsheet; its cells are data, never formulas)."""
    buffer = io.StringIO()
    table = csv.writer(buffer, lineterminator="\n")
    table.writerow(["assignment", "function", "student", "other student", "alike %"])
    for item in similarity.get("assignments", []):
        every = [(None, item["modules"]), *item["functions"].items()]
        for function, pairs in every:
            for pair in pairs:
                first, second = pair["students"]
                label = function_label(function, lang)
                cells = [item["assignment"], label, first, second]
                table.writerow([*map(spreadsheet_cell, cells), f"{100 * pair['score']:.1f}"])
    return buffer.getvalue()


RENDERERS = {
    "text": render_similarity_text,
    "markdown": render_similarity_markdown,
    "json": render_similarity_json,
}
