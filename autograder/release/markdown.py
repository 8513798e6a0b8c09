"""Docstrings (reStructuredText-flavoured) as Markdown for the notebook's teaching cells.

Only what our docstrings use: ``literal`` text, doctest examples (``>>>``) and literal
blocks introduced by ``::``.  Everything else is already valid Markdown (paragraphs,
numbered and bulleted lists).
"""

from __future__ import annotations

import inspect
import re
import textwrap

LITERAL = re.compile(r"``(.+?)``", re.DOTALL)
FENCE = re.compile(r"(^```python\n.*?^```$)", re.DOTALL | re.MULTILINE)


def _fence(lines: list[str]) -> list[str]:
    return ["```python", *textwrap.dedent("\n".join(lines)).splitlines(), "```"]


def docstring_to_markdown(docstring: str) -> str:
    """Markdown for a docstring: doctests and ``::`` blocks become fenced code."""
    lines = inspect.cleandoc(docstring).splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip().startswith(">>>"):
            # A doctest runs until the next blank line: prompts and expected output.
            end = index
            while end < len(lines) and lines[end].strip():
                end += 1
            out += _fence(lines[index:end])
            index = end
            continue
        if line.rstrip().endswith("::"):
            text = line.rstrip()[:-2].rstrip()
            if text:
                out.append(text + ":")
            # The literal block: the indented lines after one blank line.
            end = index + 1
            while end < len(lines) and not lines[end].strip():
                end += 1
            body_start = end
            while end < len(lines) and (not lines[end].strip() or lines[end].startswith(" ")):
                end += 1
            block = lines[body_start:end]
            while block and not block[-1].strip():
                block.pop()
            out += ["", *_fence(block), ""]
            index = end
            continue
        out.append(line)
        index += 1
    # ``literal`` -> `literal` outside code blocks (a literal may span two lines).
    parts = FENCE.split("\n".join(out))
    text = "".join(part if i % 2 else LITERAL.sub(r"`\1`", part) for i, part in enumerate(parts))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
