"""Feedback in the student's language.

Every sentence the grader shows is written in English, and the English text is the key of a
message catalogue: for each language, ``autograder/i18n/locale/<lang>.py`` (the grader's own
messages) and every assignment's ``autograder/exercises/<name>/locale/<lang>.py``, each
defining ``MESSAGES``.  A language is available when the grader's own catalogue has it:
adding ``locale/<lang>.py`` files adds a language, with no change to the code.  Two kinds
of text go through it:

* **fixed text** — check names, hints, ``why=`` phrases, fixed ``ctx.fail("...")`` messages —
  is looked up as a whole string;
* **templates** — a sentence with dynamic parts is built with :class:`T`::

      T("{function} did not return a value: {reason}", function=name, reason=why)

  ``T`` is a ``str`` (the English text, so existing code keeps working) that remembers its
  template and values.  Translating it looks the *template* up and fills in the values.
  A value that is itself a ``T`` (or a fixed phrase wrapped by :func:`phrase`) is translated
  too; any other value (inputs, tensors, numbers, a student's exception message) stays as it
  is, so only our own words are ever translated.

Untranslated text falls back to English.  ``tests/test_i18n.py`` makes sure that nothing
falls back: it lists every check name and hint of every registered assignment and every
message of the source (see :mod:`autograder.i18n.audit`) and requires a translation.
"""

from __future__ import annotations

import importlib
import string
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent
# English is the source language; the others are the grader's own catalogues.
SOURCE_LANGUAGE = "en"
TRANSLATED = tuple(sorted(p.stem for p in (PACKAGE / "i18n" / "locale").glob("[a-z]*.py")))
LANGUAGES = (SOURCE_LANGUAGE, *TRANSLATED)


class T(str):
    """An English message that remembers its template and values, so it can be translated."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> T:
        text = template.format(**{k: str(v) for k, v in params.items()}) if params else template
        self = super().__new__(cls, text)
        self.template = template
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> T:
    return T(template, **params)


def phrase(text: Any) -> Any:
    """Mark a fixed English phrase given as a plain string (a hint, a ``why``) as translatable."""
    if text is None or isinstance(text, T) or not isinstance(text, str):
        return text
    return T(text)


def placeholders(template: str) -> set[str]:
    """The ``{names}`` a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def locale_modules(lang: str) -> list[ModuleType]:
    """Every ``locale/<lang>.py`` of the package: the grader's own, then each assignment's.

    Found by their place on disk (an assignment brings its own), imported by name.
    """
    files = [PACKAGE / "i18n" / "locale" / f"{lang}.py"]
    files += sorted((PACKAGE / "exercises").glob(f"*/locale/{lang}.py"))
    names = [
        ".".join([PACKAGE.name, *path.relative_to(PACKAGE).with_suffix("").parts])
        for path in files
        if path.is_file()
    ]
    return [importlib.import_module(name) for name in names]


@cache
def catalogue(lang: str) -> dict[str, str]:
    """English text -> its translation, merged from every ``locale/<lang>.py``."""
    if lang not in TRANSLATED:
        raise KeyError(f"no catalogue for language {lang!r}; choose one of {LANGUAGES}")
    merged: dict[str, str] = {}
    for module in locale_modules(lang):
        for english, translated in getattr(module, "MESSAGES", {}).items():
            if merged.get(english, translated) != translated:
                raise ValueError(
                    f"two different {lang} translations of {english!r} (one in {module.__name__})"
                )
            merged[english] = translated
    return merged


def language_name(lang: str) -> str:
    """What the language calls itself (``LANGUAGE_NAME`` of its catalogue)."""
    if lang == SOURCE_LANGUAGE:
        return "English"
    return importlib.import_module(f"{__name__}.locale.{lang}").LANGUAGE_NAME


def translate(text: Any, lang: str = "en") -> str:
    """``text`` in ``lang``: a :class:`T` by its template, a plain string as a whole."""
    if text is None:
        return ""
    if lang == SOURCE_LANGUAGE:
        return str.__str__(text) if isinstance(text, str) else str(text)
    if not isinstance(text, str):
        return str(text)
    table = catalogue(lang)
    if not isinstance(text, T):
        return table.get(text, str.__str__(text))
    template = table.get(text.template, text.template)
    if not text.params:
        return template
    values = {
        name: translate(value, lang) if isinstance(value, T) else str(value)
        for name, value in text.params.items()
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation whose placeholders differ from the English ones (the tests forbid it).
        return text.template.format(**values)


def translations(text: Any) -> dict[str, str]:
    """``text`` in every language other than English, for a result's ``translations``."""
    return {lang: translate(text, lang) for lang in TRANSLATED}


def join(items: list[Any], separator: str = ", ") -> T:
    """``separator.join(items)`` that translates each item (a :class:`T`) in its language."""
    names = [f"item{index}" for index in range(len(items))]
    template = separator.replace("{", "{{").replace("}", "}}").join(f"{{{n}}}" for n in names)
    return T(template, **dict(zip(names, items)))
