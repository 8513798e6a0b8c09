"""The Markdown teaching cells: English from the docstrings, other languages from locales.

Each assignment's ``locale/<lang>.py`` holds its ``INTRODUCTION`` and, per exercise,
``EXERCISES[function]``; the grader's own ``autograder/i18n/locale/<lang>.py`` holds the
heading they go under and the "how to work" paragraph.  A text missing in a language is
released in English only (``autograder release`` says which).
"""

from __future__ import annotations

import importlib
import importlib.util

from autograder.i18n import TRANSLATED
from autograder.release.markdown import docstring_to_markdown

HOW_TO = """\
**How to work.** Run the setup cell first. Every exercise is a function: replace
`raise NotImplementedError()` under `# YOUR CODE HERE` by your code, then run the test cell
below it. It runs the autograder's checks on your function, says what is wrong and shows
the points they give. The test cells are for feedback: your final grade is computed
separately, by the course's grader. To grade the whole notebook from a terminal:
`autograder grade {name}.ipynb`. The test cells answer in English; for feedback in
Chinese, run `FEEDBACK_LANGUAGE = "zh"` in a code cell of your own above them.
"""


def translated_text(lang: str, assignment: str, function: str | None = None) -> str | None:
    """The teaching text of an assignment (``function=None``) or one exercise in ``lang``."""
    name = f"autograder.exercises.{assignment}.locale.{lang}"
    if importlib.util.find_spec(f"autograder.exercises.{assignment}") is None:
        return None
    if importlib.util.find_spec(name) is None:
        return None
    module = importlib.import_module(name)
    if function is None:
        text = getattr(module, "INTRODUCTION", None)
    else:
        text = getattr(module, "EXERCISES", {}).get(function)
    return text.strip() + "\n" if text else None


def _grader_locale(lang: str):
    return importlib.import_module(f"autograder.i18n.locale.{lang}")


def _with_translations(english: str, assignment: str, function: str | None) -> str:
    parts = [english]
    for lang in TRANSLATED:
        text = translated_text(lang, assignment, function)
        if text is not None:
            parts.append(f"\n### {_grader_locale(lang).TEACHING_HEADING}\n\n{text}")
    return "".join(parts)


def intro_markdown(name: str, docstring: str) -> str:
    """The notebook's first cell: the module docstring as title and text, and how to work."""
    title, _, rest = docstring.strip().partition("\n")
    english = f"# {title.rstrip('.')}\n\n{docstring_to_markdown(rest) if rest.strip() else ''}"
    how_to = [HOW_TO.format(name=name)]
    how_to += [_grader_locale(lang).HOW_TO.format(name=name) for lang in TRANSLATED]
    return _with_translations(english.rstrip() + "\n", name, None) + "\n" + "\n".join(how_to)


def exercise_markdown(name: str, function: str, number: int, points: float, docstring: str) -> str:
    """The teaching cell above one exercise."""
    english = (
        f"## Exercise {number}: `{function}` ({points:g} points)\n\n"
        f"{docstring_to_markdown(docstring) if docstring.strip() else ''}"
    )
    return _with_translations(english.rstrip() + "\n", name, function)
