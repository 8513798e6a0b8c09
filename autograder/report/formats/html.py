"""HTML: the class on one self-contained page, summary.html (no single report)."""

from __future__ import annotations

from urllib.parse import quote

from autograder.report.files import feedback_names
from autograder.report.formats import ClassResults, ReportFormat


def _class(results: ClassResults, lang: str) -> str:
    from autograder.report.class_page import draw_charts, render_class_page  # (matplotlib)

    names = feedback_names([student.student for student in results.students])
    # The Markdown feedback a class run writes next to the page (formats/markdown.py).
    links = {student: f"feedback/{quote(name)}.md" for student, name in names.items()}
    draw = results.draw_charts or draw_charts
    return render_class_page(results.summary, lang=lang, feedback=links, draw=draw)


FORMAT = ReportFormat("html", ".html", render_class=_class, class_file="summary.html")
