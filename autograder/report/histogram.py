"""The class's score distribution as a PNG bar chart, written without a plotting library.

A gradebook is read by people: ``summary.md`` embeds this picture next to the numbers. The
PNG is drawn pixel by pixel and compressed with zlib, so that batch grading needs nothing
beyond the standard library for it (and the same counts always give the same bytes).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

# A 3x5 bitmap of each digit and of "%": enough to label the bars and the axis.
GLYPHS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
    "%": ("101", "001", "010", "100", "101"),
}

BACKGROUND = (255, 255, 255)
BAR = (52, 101, 164)
INK = (40, 40, 40)
GRID = (220, 220, 220)

SCALE = 2  # pixels per glyph dot
BAR_WIDTH = 36
GAP = 8
PLOT_HEIGHT = 160
MARGIN = 16


class Canvas:
    """An RGB image in memory, just large enough for rectangles and small text."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.rows = [bytearray(bytes(BACKGROUND) * width) for _ in range(height)]

    def fill(self, x: int, y: int, width: int, height: int, colour: tuple[int, int, int]) -> None:
        for row in range(max(0, y), min(self.height, y + height)):
            left, right = max(0, x), min(self.width, x + width)
            if right > left:
                self.rows[row][3 * left : 3 * right] = bytes(colour) * (right - left)

    def text(self, x: int, y: int, text: str, colour: tuple[int, int, int] = INK) -> None:
        for glyph in text:
            for dy, line in enumerate(GLYPHS.get(glyph, ("000",) * 5)):
                for dx, dot in enumerate(line):
                    if dot == "1":
                        self.fill(x + dx * SCALE, y + dy * SCALE, SCALE, SCALE, colour)
            x += 4 * SCALE

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.rows)  # filter 0 on every row

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def text_width(text: str) -> int:
    return len(text) * 4 * SCALE - SCALE


def histogram_png(counts: Sequence[int]) -> bytes:
    """A bar per bucket of ``counts`` (equal-width score ranges from 0 to 100 %), each
    labelled with its count above and its lower bound below."""
    glyph_height = 5 * SCALE
    width = 2 * MARGIN + len(counts) * (BAR_WIDTH + GAP) - GAP
    top = MARGIN + glyph_height + 4
    height = top + PLOT_HEIGHT + 6 + glyph_height + MARGIN
    canvas = Canvas(width, height)
    highest = max(counts, default=0) or 1
    for step in range(1, 5):  # light grid lines at quarters of the tallest bar
        canvas.fill(
            MARGIN, top + PLOT_HEIGHT - step * PLOT_HEIGHT // 4, width - 2 * MARGIN, 1, GRID
        )
    for index, count in enumerate(counts):
        x = MARGIN + index * (BAR_WIDTH + GAP)
        bar = round(PLOT_HEIGHT * count / highest)
        canvas.fill(x, top + PLOT_HEIGHT - bar, BAR_WIDTH, bar, BAR)
        label = str(count)
        canvas.text(
            x + (BAR_WIDTH - text_width(label)) // 2,
            top + PLOT_HEIGHT - bar - glyph_height - 3,
            label,
        )
        low = f"{index * 100 // len(counts)}%"
        canvas.text(x + (BAR_WIDTH - text_width(low)) // 2, top + PLOT_HEIGHT + 6, low)
    canvas.fill(MARGIN, top + PLOT_HEIGHT, width - 2 * MARGIN, 1, INK)  # the axis
    return canvas.png()
