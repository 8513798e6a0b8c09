"""Which students' solutions are alike: pairs ranked for a person to review, never a verdict.

Each student's module of an assignment (a notebook counts as its code cells, as graded) is
compared with every other student's, as a whole and function by function: a graded
function is compared together with the module's own helpers it calls (so that inlining a
helper changes little).  The fingerprints are copydetect's (winnowed k-grams of the code
tokenised by Pygments, with every name and string replaced by one letter, comments and
whitespace dropped), so renamed variables, reordered functions and new comments leave them
as they were.  The code every student was given (the stub, the released notebook's cells,
any ``--boilerplate`` file) is fingerprinted too, and its fingerprints discounted.

copydetect picks fingerprints by the smallest of Python's ``hash()``, which differs from
one process to the next; with a window of one every k-gram is kept, so the scores depend
only on the code (the same in ``grade-batch``, ``merge`` and ``similarity``), and the
modules of a course are small enough for that.
"""

from __future__ import annotations

import ast
import collections
import io
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.batch.background import Pending
from autograder.notebook_source import notebook_source, read_notebook

# Characters of filtered code per fingerprint (copydetect's "noise threshold"): shorter
# runs of tokens are common to any two solutions of the same exercise.
NOISE = 20
# A function (with its helpers) needs this many characters of filtered code of its own,
# beyond the boilerplate, to be compared: a one-line solution is alike in every class.
SHORTEST = 60
# Larger files are not read (a module of a course is a few kilobytes).
LARGEST_FILE = 512 * 1024
# A function with its helpers larger than this is compared only as part of its module: a
# helper shared by every graded function would otherwise be fingerprinted once per function.
LARGEST_FUNCTION = 32 * 1024
# How many pairs each ranking lists, and how many times as many are measured finely.
LISTED = 20
CANDIDATES = 4
WHOLE_MODULE = ""  # the "function" of a whole-module comparison
# Pygments reads an old-style format in a string ('%-08.3f') with a regular expression that
# backtracks over the flags and the width after the '%', and a 0 is both: a string of a '%'
# and zeros cost it time in the square of their number (half a million zeros: hours, which
# a batch waits for).  Longer runs than any format has are cut to this many characters
# before the code is tokenised (:func:`lexed`), so that such padding is still compared.
FORMAT_RUN = 32
_LONG_FORMAT_RUN = re.compile(rf"(%(?:\(\w+\))?[-#0 +0-9.*]{{{FORMAT_RUN}}})[-#0 +0-9.*]+")

# Where the course's stubs and released notebooks are in a checkout.
CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Pair:
    """Two students' code of one assignment (and one function, or the whole module)."""

    assignment: str
    function: str
    first: str
    second: str
    score: float  # the mean of the two shares of code found in the other's

    def to_dict(self) -> dict[str, Any]:
        return {
            "assignment": self.assignment,
            "function": self.function or None,
            "students": [self.first, self.second],
            "score": round(self.score, 4),
        }


def read_code(path: Path) -> str | None:
    """The code of a submitted module or notebook, or None when it cannot be read."""
    try:
        if path.stat().st_size > LARGEST_FILE:
            return None
        if path.suffix == ".ipynb":
            return notebook_source(read_notebook(path))
        return path.read_text(encoding="utf-8", errors="replace")
    except Exception:  # noqa: BLE001 - a student's broken notebook is not compared
        return None


def class_sources(
    students: Mapping[str, Path], assignments: Sequence[str]
) -> dict[str, dict[str, str]]:
    """Student -> assignment -> the code of the file graded for it (as grade-batch finds it)."""
    from autograder.grading.grade import find_modules  # not for merge, which needs no torch

    sources: dict[str, dict[str, str]] = {}
    for student, path in sorted(students.items()):
        only = assignments[0] if len(assignments) == 1 else None
        try:  # a folder holds each assignment (only those compared are looked for: each
            # looks at every notebook named after none); a file is the only one, or its name's
            if path.is_dir():
                found = {name: find_modules(path, name)[name] for name in assignments}
            else:
                found = find_modules(path, only)
        except Exception:  # noqa: BLE001 - a submission that names no assignment
            continue
        mine = {}
        for name in assignments:
            file = found.get(name)
            code = read_code(file) if file is not None else None
            if code:
                mine[name] = code
        if mine:
            sources[student] = mine
    return sources


def course_boilerplate(assignment: str, extra: Iterable[Path] = ()) -> list[str]:
    """The code every student of ``assignment`` was given: its stub and released notebook
    in this checkout (where present), and the ``extra`` files an instructor names."""
    files = [
        CHECKOUT / "assignments" / f"{assignment}.py",
        CHECKOUT / "release" / assignment / f"{assignment}.ipynb",
        *extra,
    ]
    return [code for file in files if file.is_file() and (code := read_code(file))]


def _top_level(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.ClassDef]:
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {node.name: node for node in tree.body if isinstance(node, kinds)}


def function_sources(code: str, names: Iterable[str]) -> dict[str, str]:
    """Each of ``names`` the module defines, as source, followed by the module's own
    functions and classes it uses (transitively, in the order first used)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    defined = _top_level(tree)
    # The lines as ast counts them: \n, \r\n or \r ends one (str.splitlines has more).
    lines = io.StringIO(code, newline="").readlines()
    result = {}
    for name in names:
        if name not in defined:
            continue
        # A dict keeps the order first used and finds a name at once: a module of
        # thousands of helpers naming one another costs work in proportion to its size.
        order, queue = {name: None}, collections.deque([name])
        while queue:
            node = defined[queue.popleft()]
            for used in ast.walk(node):
                if isinstance(used, ast.Name) and used.id in defined and used.id not in order:
                    order[used.id] = None
                    queue.append(used.id)
        parts = ["".join(lines[defined[n].lineno - 1 : defined[n].end_lineno]) for n in order]
        result[name] = "\n\n".join(parts)
    return result


def lexed(code: str) -> str:
    """``code`` as it is tokenised: every run of format flags and digits after a ``%`` cut
    to ``FORMAT_RUN`` characters (real code, which has none so long, is left as it is)."""
    return _LONG_FORMAT_RUN.sub(r"\1", code)


@dataclass(frozen=True)
class Fingerprint:
    """copydetect's fingerprint of one piece of code, and its hashes as a set of ints."""

    copydetect: Any
    hashes: frozenset[int]


class Fingerprints:
    """copydetect's fingerprints of a class's code, with the boilerplate's discounted; the
    same code (a helper, an untouched function) is fingerprinted once."""

    def __init__(self, boilerplate: Sequence[str]) -> None:
        import numpy as np

        hashes: set[int] = set()
        for code in boilerplate:
            hashes |= self._fingerprint(code, None).hashes
        self._boilerplate = np.array(sorted(hashes), dtype=np.int64)
        self._seen: dict[str, Fingerprint | None] = {}

    @staticmethod
    def _fingerprint(code: str, boilerplate: Any) -> Any:
        from copydetect import CodeFingerprint

        return CodeFingerprint(
            "code.py",
            NOISE,
            1,
            boilerplate=boilerplate,
            language="python",
            fp=io.StringIO(lexed(code)),
        )

    def of(self, code: str) -> Fingerprint | None:
        """The fingerprint of ``code``, or None when too little of it is the student's own."""
        if code not in self._seen:
            try:
                found = self._fingerprint(code, self._boilerplate)
            except Exception:  # noqa: BLE001 - a lexer's failure on hostile code: not compared
                found = None
            self._seen[code] = (
                Fingerprint(found, frozenset(int(h) for h in found.hashes))
                if found is not None and found.token_coverage >= SHORTEST
                else None
            )
        return self._seen[code]


def _score(first: Fingerprint, second: Fingerprint) -> float:
    """copydetect's similarity of two fingerprints, averaged over the two."""
    from copydetect import compare_files

    _, (share_first, share_second), _ = compare_files(first.copydetect, second.copydetect)
    return (float(share_first) + float(share_second)) / 2


def _ranked(
    assignment: str, function: str, prints: Mapping[str, Fingerprint], listed: int
) -> list[Pair]:
    """The ``listed`` most alike pairs.  Every pair is first measured by the share of
    fingerprints in common (a set intersection, microseconds); copydetect's finer measure
    (the share of code covered, milliseconds) is taken for the most alike few of those."""
    quick = []
    for a, b in itertools.combinations(sorted(prints), 2):
        first, second = prints[a].hashes, prints[b].hashes
        common = len(first & second)
        if common:
            quick.append((common / len(first) + common / len(second), a, b))
    quick.sort(key=lambda item: (-item[0], item[1], item[2]))
    pairs = [
        Pair(assignment, function, a, b, _score(prints[a], prints[b]))
        for _, a, b in quick[: max(CANDIDATES * listed, 50)]
    ]
    pairs = [pair for pair in pairs if pair.score > 0]
    pairs.sort(key=lambda pair: (-round(pair.score, 6), pair.first, pair.second))
    return pairs[:listed]


def exercise_names(assignment: str) -> list[str]:
    """The graded functions and classes of ``assignment`` (loading its checks)."""
    from autograder.grading.registry import load_assignment

    return [exercise.name for exercise in load_assignment(assignment).exercises]


def rank_assignment(
    assignment: str,
    codes: Mapping[str, str],
    boilerplate: Sequence[str],
    functions: Sequence[str],
    listed: int = LISTED,
) -> dict[str, list[Pair]]:
    """The most alike pairs of ``codes`` (student -> module): for the whole module
    (key ``""``) and for each of ``functions``."""
    discount = Fingerprints(boilerplate)
    whole = {s: p for s, code in codes.items() if (p := discount.of(code)) is not None}
    rankings = {WHOLE_MODULE: _ranked(assignment, WHOLE_MODULE, whole, listed)}
    pieces = {student: function_sources(code, functions) for student, code in codes.items()}
    for function in functions:
        prints = {
            s: p
            for s, found in pieces.items()
            if function in found
            and len(found[function]) <= LARGEST_FUNCTION
            and (p := discount.of(found[function])) is not None
        }
        rankings[function] = _ranked(assignment, function, prints, listed)
    return rankings


def class_similarity(
    sources: Mapping[str, Mapping[str, str]],
    assignments: Sequence[str],
    extra_boilerplate: Iterable[Path] = (),
    listed: int = LISTED,
    exercises: Sequence[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """The similarity section of a class's summary: per assignment, the most alike pairs of
    whole modules and of each graded function (plain data, as written to summary.json).
    ``exercises``: the (assignment, function) pairs graded, when known (merge knows them
    from results.json, and need not load the checks)."""
    extra = list(extra_boilerplate)
    result = []
    for assignment in assignments:
        codes = {s: mine[assignment] for s, mine in sources.items() if assignment in mine}
        rankings = rank_assignment(
            assignment,
            codes,
            course_boilerplate(assignment, extra),
            exercise_names(assignment)
            if exercises is None
            else [function for name, function in exercises if name == assignment],
            listed,
        )
        result.append(
            {
                "assignment": assignment,
                "students": len(codes),
                "modules": [pair.to_dict() for pair in rankings.pop(WHOLE_MODULE)],
                "functions": {
                    name: [pair.to_dict() for pair in pairs] for name, pairs in rankings.items()
                },
            }
        )
    return {"assignments": result}


def rank_while_grading(
    sources: Mapping[str, Mapping[str, str]],
    assignments: Sequence[str],
    exercises: Sequence[tuple[str, str]] | None = None,
) -> Pending:
    """:func:`class_similarity` of a batch, started before the batch grades, in a child of
    the lowest priority (:mod:`autograder.batch.background`): ``.result()`` when the outputs
    need it.  It reads only the students' code as text, never runs it."""
    return Pending.start(class_similarity, sources, list(assignments), (), LISTED, exercises)


SIMILARITY_FILES = ("similarity.csv", "similarity.html")  # what --output-dir holds


def similarity_report(
    submissions: Path,
    assignments: Sequence[str],
    boilerplate: Iterable[Path],
    fmt: str,
    lang: str,
    output_dir: Path | None = None,
) -> str:
    """``autograder similarity``: the class in ``submissions`` compared (every assignment
    when ``assignments`` is empty), in format ``fmt`` (text, markdown or json) and ``lang``;
    with ``output_dir``, also written there as similarity.csv and similarity.html."""
    from autograder.batch.model import discover
    from autograder.grading.registry import ASSIGNMENT_NAMES
    from autograder.report.class_page import render_similarity_page
    from autograder.report.files import write_atomically
    from autograder.report.similarity import RENDERERS, render_similarity_csv

    assignments = list(assignments) or list(ASSIGNMENT_NAMES)

    found = class_similarity(
        class_sources(discover(submissions), assignments), assignments, boilerplate
    )
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        table, page = SIMILARITY_FILES
        write_atomically(output_dir / table, render_similarity_csv(found, lang=lang))
        write_atomically(output_dir / page, render_similarity_page(found, lang=lang))
    return RENDERERS[fmt](found, lang=lang)
