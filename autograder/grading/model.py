"""What an assignment is made of: exercises, their named checks and points, and results."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from autograder.i18n import T, phrase
from autograder.i18n import translations as all_translations

# A check's function: it is given the check's context (a ``CheckContext`` of
# :mod:`autograder.grading.context`, which is built on this module and so is named here in
# words only: no import runs upward, not even a type-only one) and raises to fail.
CheckFunction = Callable[[Any], None]

# How a hidden check's result is titled (its real name is never shown): hidden_title.
HIDDEN_PATTERN = re.compile(r"hidden check (?P<number>\d+) of (?P<count>\d+)")


def hidden_title(number: int, count: int) -> T:
    return T("hidden check {number} of {count}", number=number, count=count)


# What a terminal, a pager or an editor acts on rather than shows: C0 controls but newline
# and tab, DEL, the C1 controls (0x9b is a one-byte CSI), and the characters that move or
# reorder text (line separators, bidirectional overrides and isolates).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def as_data(text: str) -> str:
    """``text`` with each control character written out as a visible escape (``\\x1b``).

    Feedback quotes what student code raised and printed: shown raw, its ANSI escapes would
    clear a terminal and print a forged total.  Newline and tab stay; applying it twice
    changes nothing.
    """
    return _CONTROL.sub(_escaped, text)


def _as_data_all(texts: dict[str, str]) -> dict[str, str]:
    return {lang: as_data(text) for lang, text in texts.items()}


@dataclass
class Check:
    """One named property of one exercise, worth some points, all or nothing.

    A hidden check (``visible`` False) runs only in the instructor's grader: the student kit
    is built without its code, and its result is shown as "hidden check k of n", never with
    its name or inputs.

    ``contract``: the words of ``docs/contract.md`` whose promise the check enforces (a
    sentence or a clause, quoted exactly): no check asks more than the contract says
    (``tests/test_contract_citations.py``).
    """

    name: str
    points: float
    run: CheckFunction
    hint: str = ""
    visible: bool = True
    timeout: float | None = None
    contract: str = ""


@dataclass
class Exercise:
    """A graded function: its checks, the library calls it may not use, its helpers.

    ``lends``: the other exercises of the module it is built on (``train`` on
    ``train_epoch``): while it is graded, the runner lends it stand-ins for them, so that a
    mistake in a helper costs points only there (see :mod:`autograder.grading.lending`).
    The declaration alone decides what is lent, never what a submission names.
    """

    name: str
    forbidden: tuple[str, ...] = ()
    checks: list[Check] = field(default_factory=list)
    lends: tuple[str, ...] = ()

    def check(
        self,
        name: str,
        points: float,
        *,
        hint: str = "",
        hidden: bool = False,
        timeout: float | None = None,
        contract: str = "",
    ) -> Callable[[CheckFunction], CheckFunction]:
        """Decorator registering a check function ``f(ctx)`` that raises to fail.

        ``hidden=True``: see :class:`Check`; the kit build removes the decorated function.
        ``contract``: the words of the contract it enforces (see :class:`Check`).
        """

        def register(run: CheckFunction) -> CheckFunction:
            self.checks.append(Check(name, points, run, hint, not hidden, timeout, contract))
            return run

        return register

    @property
    def max_score(self) -> float:
        return sum(check.points for check in self.checks)


@dataclass
class Assignment:
    """One module of the course: the student file ``<name>.py`` and its exercises."""

    name: str
    exercises: list[Exercise] = field(default_factory=list)

    @property
    def reference_module(self) -> str:
        """The reference solution: ``solutions/<name>.py``, installed under this name."""
        return f"autograder_solutions.{self.name}"

    @property
    def oracle_module(self) -> str:
        """The student kit's ground truth: ``autograder/exercises/<name>/oracle.py``."""
        return f"autograder.exercises.{self.name}.oracle"

    def exercise(
        self,
        name: str,
        forbidden: tuple[str, ...] | list[str] = (),
        *,
        lends: tuple[str, ...] | list[str] = (),
    ) -> Exercise:
        """Declare an exercise; ``lends`` names exercises declared before it that it is
        built on (see :class:`Exercise`)."""
        known = {exercise.name for exercise in self.exercises}
        unknown = [helper for helper in lends if helper not in known or helper == name]
        if unknown:
            raise ValueError(f"{name} lends {unknown}: not exercises declared before it")
        exercise = Exercise(name, tuple(forbidden), lends=tuple(lends))
        self.exercises.append(exercise)
        return exercise

    @property
    def max_score(self) -> float:
        return sum(exercise.max_score for exercise in self.exercises)


@dataclass
class CheckResult:
    """The verdict on one check, ready for any report format."""

    assignment: str
    function: str
    check: str
    score: float
    max_score: float
    passed: bool
    feedback: str = ""
    visible: bool = True
    # The feedback in the other languages of autograder.i18n ({"zh": "..."}).
    translations: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Where student text enters the report: whatever made the result, it holds data.
        self.check = as_data(self.check)
        self.feedback = as_data(self.feedback)
        self.translations = _as_data_all(self.translations)

    @classmethod
    def passing(
        cls, assignment: str, function: str, check: str, points: float, *, visible: bool = True
    ) -> CheckResult:
        """Full marks, nothing to say."""
        return cls(assignment, function, check, points, points, True, "", visible)

    @classmethod
    def failing(
        cls,
        assignment: str,
        function: str,
        check: str,
        points: float,
        feedback: str,
        *,
        visible: bool = True,
        translations: dict[str, str] | None = None,
    ) -> CheckResult:
        """No marks out of ``points``, and why: ``feedback`` (a :class:`T`, or a fixed English
        phrase) in every language unless ``translations`` says it otherwise."""
        if translations is None:
            translations = all_translations(phrase(feedback))
        return cls(
            assignment, function, check, 0.0, points, False, str(feedback), visible, translations
        )

    def feedback_in(self, lang: str = "en") -> str:
        """The feedback in ``lang`` (English when there is no translation)."""
        return self.translations.get(lang, self.feedback) if lang != "en" else self.feedback

    @property
    def tag(self) -> str:
        return f"{self.assignment}.{self.function}"

    @property
    def title(self) -> str:
        return f"{self.tag}: {self.check}"


@dataclass
class GradeReport:
    """Every check result of one submission, plus how long grading took."""

    results: list[CheckResult] = field(default_factory=list)
    execution_time: float = 0.0
    notes: list[str] = field(default_factory=list)
    # The file graded for each assignment, as the student named it ({"tensors": "tensors.ipynb"}).
    files: dict[str, str] = field(default_factory=dict)
    # The sandbox's layers in force ("layers") and required ones missing ("missing").
    sandbox: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.notes = [as_data(note) for note in self.notes]

    @property
    def score(self) -> float:
        return sum(result.score for result in self.results)

    @property
    def max_score(self) -> float:
        return sum(result.max_score for result in self.results)


@dataclass
class StudentResult:
    """Every check result of one student's submission in a class; ``error`` when grading
    broke down.  Made by :mod:`autograder.batch`, read by the class reports."""

    student: str
    submission: str
    results: list[CheckResult] = field(default_factory=list)
    execution_time: float = 0.0
    error: str | None = None
    # The error in the other languages of autograder.i18n ({"zh": "..."}).
    error_translations: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The student's name is a folder's name, kept as is (it names their feedback file):
        # the reports show it through as_data.
        self.error = None if self.error is None else as_data(self.error)
        self.error_translations = _as_data_all(self.error_translations)

    def error_in(self, lang: str = "en") -> str | None:
        if self.error is None or lang == "en":
            return self.error
        return self.error_translations.get(lang, self.error)

    @property
    def report(self) -> GradeReport:
        return GradeReport(
            list(self.results), self.execution_time, [self.error] if self.error else []
        )

    @property
    def score(self) -> float:
        return sum(r.score for r in self.results)

    @property
    def max_score(self) -> float:
        return sum(r.max_score for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "student": self.student,
            "submission": self.submission,
            "execution_time": round(self.execution_time, 3),
            "error": self.error,
            "error_translations": self.error_translations,
            "results": [asdict(result) for result in self.results],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StudentResult:
        return cls(
            student=str(data["student"]),
            submission=str(data.get("submission", data["student"])),
            results=[CheckResult(**result) for result in data.get("results", [])],
            execution_time=float(data.get("execution_time", 0.0)),
            error=data.get("error"),
            error_translations=dict(data.get("error_translations") or {}),
        )
