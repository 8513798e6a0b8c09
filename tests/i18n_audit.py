"""Find every English text the grader can show, and what the catalogues still lack.

Two sources:

* the registered assignments (run time): every check's name and hint;
* the source of ``autograder/`` (static, with :mod:`ast`): the template of every ``T("...")``
  and every text in a *message position* — the first argument of ``fail`` /
  ``CheckFailed`` / ``FunctionHung``, the argument of ``phrase``, the first argument of
  ``.check(...)``, and the ``hint=``, ``why=``, ``what=``, ``expected=`` and ``got=``
  keywords of any call.  Module-level constants used there (``hint=ALIGN_HINT``) are followed.

An f-string (or a ``+`` concatenation) with words in a message position cannot be
translated: it is reported as a problem, with the fix (``T("... {name} ...", name=value)``).

Run ``python -m tests.i18n_audit`` to print the missing entries, ready to paste into the
right ``locale/<lang>.py`` (an assignment's, or the grader's own in ``autograder/i18n/``).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder.i18n import TRANSLATED, catalogue

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autograder"
MESSAGE_FUNCTIONS = {"fail", "CheckFailed", "FunctionHung"}
MESSAGE_KEYWORDS = {"hint", "why", "what", "expected", "got"}
WORDS = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Text:
    """An English text that needs a translation, and where it comes from."""

    text: str
    where: str  # "path:line" or "assignment <name>"
    home: str  # the catalogue it belongs in: "common" (the grader's) or an assignment's name


@dataclass(frozen=True)
class Problem:
    where: str
    message: str


def placeholder_names(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _home(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    if len(parts) == 3 and parts[0] == "exercises":
        return parts[1]
    return "common"


def catalogue_file(home: str, lang: str) -> str:
    """Where a text of this home is translated into ``lang``."""
    if home == "common":
        return f"autograder/i18n/locale/{lang}.py"
    return f"autograder/exercises/{home}/locale/{lang}.py"


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments."""
    found: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


class Scanner:
    """The texts and problems of one source file (``relative`` names it in messages)."""

    def __init__(self, source: str, relative: str, home: str) -> None:
        self.relative = relative
        self.tree = ast.parse(source)
        self.constants = _constants(self.tree)
        self.home = home
        self.texts: list[Text] = []
        self.problems: list[Problem] = []

    def where(self, node: ast.AST) -> str:
        return f"{self.relative}:{getattr(node, 'lineno', 0)}"

    def run(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                self.call(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.defaults(node.args)

    def defaults(self, args: ast.arguments) -> None:
        """Default values of parameters called hint, why, what, expected or got."""
        positional = [*args.posonlyargs, *args.args]
        pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
        pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
        for arg, default in pairs:
            if arg.arg in MESSAGE_KEYWORDS:
                self.message(default)

    def call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name == "T":
            self.template(node)
            return
        if node.args and (name in MESSAGE_FUNCTIONS or name in ("phrase", "check")):
            self.message(node.args[0])
        for keyword in node.keywords:
            if keyword.arg in MESSAGE_KEYWORDS:
                self.message(keyword.value)

    def template(self, node: ast.Call) -> None:
        if not node.args:
            return
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            self.problems.append(
                Problem(self.where(node), "T(...) needs a plain string literal as its template")
            )
        else:
            template = first.value
            for inside in PLACEHOLDER.findall(template):
                if not inside.isidentifier():
                    self.problems.append(
                        Problem(
                            self.where(node),
                            f"T template {template!r}: use plain {{name}} placeholders "
                            "(format the value before passing it)",
                        )
                    )
            self.texts.append(Text(template, self.where(node), self.home))
        for keyword in node.keywords:
            value = keyword.value
            if self._wordy_fstring(value) or (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and WORDS.search(value.value)
            ):
                self.problems.append(
                    Problem(
                        self.where(value),
                        f"the value {keyword.arg}= of T(...) is an English sentence, which "
                        "would stay untranslated: make it a T(...) (or phrase(...)) too",
                    )
                )

    def _wordy_fstring(self, node: ast.AST) -> bool:
        return isinstance(node, ast.JoinedStr) and any(
            isinstance(part, ast.Constant) and WORDS.search(str(part.value)) for part in node.values
        )

    def message(self, node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if WORDS.search(node.value):
                self.texts.append(Text(node.value, self.where(node), self.home))
        elif isinstance(node, ast.Name) and node.id in self.constants:
            if WORDS.search(self.constants[node.id]):
                self.texts.append(Text(self.constants[node.id], self.where(node), self.home))
        elif isinstance(node, ast.IfExp):
            self.message(node.body)
            self.message(node.orelse)
        elif isinstance(node, ast.BoolOp):
            for value in node.values:
                self.message(value)
        elif self._wordy_fstring(node) or (
            isinstance(node, ast.BinOp)
            and any(
                isinstance(n, (ast.Constant, ast.JoinedStr)) and WORDS.search(ast.unparse(n))
                for n in ast.walk(node)
            )
        ):
            self.problems.append(
                Problem(
                    self.where(node),
                    "an f-string or concatenation with words is shown to students but cannot "
                    f"be translated: {ast.unparse(node)[:100]} -- write it as "
                    'T("... {name} ...", name=value) and add the template to the catalogue',
                )
            )


def source_files() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "i18n" not in path.relative_to(PACKAGE).parts and "__pycache__" not in path.parts
    )


def scan_sources(paths: list[Path] | None = None) -> tuple[list[Text], list[Problem]]:
    texts: list[Text] = []
    problems: list[Problem] = []
    for path in paths if paths is not None else source_files():
        scanner = Scanner(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), _home(path)
        )
        scanner.run()
        texts += scanner.texts
        problems += scanner.problems
    return texts, problems


def assignment_texts() -> list[Text]:
    """Every check name and hint of every registered assignment."""
    from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment

    texts: list[Text] = []
    for name in ASSIGNMENT_NAMES:
        for exercise in load_assignment(name).exercises:
            for check in exercise.checks:
                where = f"assignment {name}: {exercise.name}"
                texts.append(Text(check.name, where, name))
                if check.hint:
                    texts.append(Text(check.hint, where, name))
    return texts


def all_texts() -> list[Text]:
    texts, _ = scan_sources()
    return texts + assignment_texts()


def missing(lang: str) -> list[Text]:
    """The texts without a translation into ``lang`` (first occurrence of each)."""
    table = catalogue(lang)
    seen: set[str] = set()
    result: list[Text] = []
    for text in all_texts():
        if text.text not in table and text.text not in seen:
            seen.add(text.text)
            result.append(text)
    return result


def placeholder_mismatches(lang: str) -> list[str]:
    """Catalogue entries whose translation does not use exactly the English placeholders."""
    return [
        f"{english!r} -> {translated!r}"
        for english, translated in catalogue(lang).items()
        if placeholder_names(english) != placeholder_names(translated)
    ]


def main() -> int:
    status = 0
    _, problems = scan_sources()
    for problem in problems:
        print(f"{problem.where}: {problem.message}")
        status = 1
    for lang in TRANSLATED:
        by_home: dict[str, list[Text]] = {}
        for text in missing(lang):
            by_home.setdefault(text.home, []).append(text)
        for home, texts in sorted(by_home.items()):
            status = 1
            print(f"\n# {catalogue_file(home, lang)}: add to MESSAGES")
            for text in texts:
                print(f"    # {text.where}")
                print(f"    {text.text!r}: {text.text!r},")
        for mismatch in placeholder_mismatches(lang):
            status = 1
            print(f"{lang}: placeholders differ: {mismatch}")
    return status


if __name__ == "__main__":
    sys.exit(main())
