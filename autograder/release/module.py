"""Split a solution module into the pieces a notebook is made of.

A solution module reads top to bottom as: the module docstring (what the assignment is
about), a header (imports and constants), then top-level functions and classes, each with
its own docstring.  The notebook keeps that order: the docstring becomes the introduction,
the header the setup cell, and every top-level definition a cell of its own.

The student kit keeps this module (the test cells lay the kernel's cells out with it), so
it imports nothing else of :mod:`autograder.release`.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """One top-level definition (or a run of other statements) with its source text."""

    name: str  # the function or class name; "" for other statements
    kind: str  # "function", "class" or "code"
    source: str
    docstring: str = ""


@dataclass(frozen=True)
class ModuleParts:
    docstring: str
    header: str
    blocks: list[Block] = field(default_factory=list)


def _start_line(node: ast.stmt, lines: list[str]) -> int:
    """0-based first line of ``node``, with its decorators and the comments just above."""
    start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


def _text(lines: list[str]) -> str:
    return "".join(lines).strip("\n") + "\n"


def split_module(source: str) -> ModuleParts:
    """The docstring, the header and the top-level blocks of a module's source."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    body = list(tree.body)
    docstring = ast.get_docstring(tree) or ""
    header_start = 0
    if docstring:
        header_start = body.pop(0).end_lineno or 0

    definitions = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    first = next((i for i, node in enumerate(body) if isinstance(node, definitions)), len(body))
    header_end = _start_line(body[first], lines) if first < len(body) else len(lines)
    header = _text(lines[header_start:header_end]) if body[:first] else ""

    blocks: list[Block] = []
    rest = body[first:]
    for index, node in enumerate(rest):
        start = _start_line(node, lines)
        end = _start_line(rest[index + 1], lines) if index + 1 < len(rest) else len(lines)
        text = _text(lines[start:end])
        if isinstance(node, definitions):
            kind = "class" if isinstance(node, ast.ClassDef) else "function"
            blocks.append(Block(node.name, kind, text, ast.get_docstring(node) or ""))
        elif blocks and blocks[-1].kind == "code":
            blocks[-1] = Block("", "code", blocks[-1].source + "\n" + text)
        else:
            blocks.append(Block("", "code", text))
    return ModuleParts(inspect.cleandoc(docstring) if docstring else "", header, blocks)
