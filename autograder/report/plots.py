"""The class's charts, drawn with matplotlib: bars with a title, axis labels and values.

Figures are made with ``matplotlib.figure.Figure`` and its Agg canvas, never through
``pyplot`` (whose figures live in module-level state).  The same data always gives the same
bytes: no date in the metadata, a fixed salt for the SVG's element ids.  In SVG the text is
kept as text (the page's fonts draw it, in any language, and the browser can read it); a
PNG is drawn with matplotlib's own fonts, which hold Latin letters only, so its labels are
in English.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

BAR = "#3465a4"
WARNING = "#cc0000"


@dataclass(frozen=True)
class Bars:
    """A bar chart: one bar per label, each showing its value above it."""

    title: str
    x_label: str
    y_label: str
    labels: Sequence[str]
    values: Sequence[float]
    value_texts: Sequence[str] | None = None  # what each bar says (default: its value)
    horizontal: bool = False
    highest: float | None = None  # the value axis's end (default: the largest value)


def _figure(bars: Bars):  # -> matplotlib.figure.Figure
    from matplotlib.figure import Figure

    count = max(len(bars.labels), 1)
    wide = (8.0, 1.2 + 0.32 * count)  # a bar per row, labels on the left
    size = wide if bars.horizontal else (max(6.0, 0.75 * count + 1.5), 3.6)
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(bars.labels)))
    texts = bars.value_texts or [f"{value:g}" for value in bars.values]
    top = bars.highest or max(bars.values, default=0) or 1
    if bars.horizontal:
        drawn = axes.barh(positions, bars.values, color=BAR)
        axes.set_yticks(positions, bars.labels)
        axes.invert_yaxis()  # the first label on top
        axes.set_xlim(0, top * 1.12)
    else:
        drawn = axes.bar(positions, bars.values, color=BAR)
        axes.set_xticks(
            positions,
            bars.labels,
            rotation=30 if count > 6 else 0,
            ha="right" if count > 6 else "center",
        )
        axes.set_ylim(0, top * 1.15)
    if all(float(value).is_integer() for value in bars.values):  # counts: no 0.5 student
        from matplotlib.ticker import MaxNLocator

        (axes.xaxis if bars.horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.bar_label(drawn, labels=list(texts), padding=2)
    axes.set_title(bars.title)
    axes.set_xlabel(bars.x_label)
    axes.set_ylabel(bars.y_label)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def bars_svg(bars: Bars) -> str:
    """The chart as an ``<svg>`` element (its text kept as text), to inline in a page."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with (
        rc_context({"svg.fonttype": "none", "svg.hashsalt": "autograder"}),
        warnings.catch_warnings(),
    ):
        # Text is laid out with matplotlib's Latin font, then drawn by the page's: a
        # missing glyph (Chinese) only makes the layout's estimate of its width rougher.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure = _figure(bars)
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # The Dublin Core metadata names the tool; a page needs none of it.
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    return re.sub(r'\s+xmlns:(dc|cc|rdf)="[^"]*"', "", svg)


def bars_png(bars: Bars) -> bytes:
    """The chart as a PNG file."""
    buffer = io.BytesIO()
    _figure(bars).savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
