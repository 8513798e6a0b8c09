"""Each step of grading a module (autograder/grading/steps.py), alone, with no runner.

The steps get stand-ins for the session and the transcript store: these tests say what a
step decides from what it is given, and that the list of steps is the documented one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from autograder.grading import steps
from autograder.grading.context import CheckFailed, FunctionHung
from autograder.grading.model import Assignment, CheckResult
from autograder.grading.steps import ChecksRun, ExerciseGrading
from autograder.grading.truth import AnswerMissing

pytestmark = pytest.mark.unit


def _assignment(forbidden: tuple[str, ...] = ()) -> Assignment:
    assignment = Assignment("toy")
    exercise = assignment.exercise("scale", forbidden)
    exercise.check("visible one", 1.0)(lambda ctx: None)
    exercise.check("hidden one", 2.0, hidden=True)(lambda ctx: None)
    exercise.check("visible two", 1.0)(lambda ctx: None)
    return assignment


@dataclass
class _Loaded:
    ok: bool

    def describe_failure(self) -> str:
        return "SyntaxError: invalid syntax (line 3)"


@dataclass
class _Session:
    """What the steps use of a ModuleSession: its functions, load, restart, prepare."""

    functions: set[str] = field(default_factory=lambda: {"scale"})
    loads: bool = True
    calls: list[str] = field(default_factory=list)

    def load(self) -> _Loaded:
        return _Loaded(self.loads)

    def restart(self) -> None:
        self.calls.append("restart")

    def prepare(self) -> None:
        self.calls.append("prepare")


@dataclass
class _Store:
    """A transcript store whose checks end as told, by check name."""

    outcomes: dict[str, BaseException] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)

    def run_check(self, check: Any, check_id: str, new_context: Any, session: Any, live: bool):
        self.ran.append(check.name)
        if check.name in self.outcomes:
            raise self.outcomes[check.name]


@dataclass
class _Truth:
    record_to: Path | None = None


def _grading(source: str = "def scale(x):\n    return x\n", **given: Any) -> ExerciseGrading:
    assignment = given.pop("assignment", _assignment())
    return ExerciseGrading(
        assignment,
        assignment.exercises[0],
        given.pop("session", _Session()),
        source,
        _Truth(),  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        given.pop("store", _Store()),  # type: ignore[arg-type]
        **given,
    )


def test_the_steps_are_the_documented_list_in_order():
    assert [name for name, _ in steps.EXERCISE_STEPS] == [
        "not defined",
        "scan refusal",
        "helpers",
        "checks",
    ]
    for name in ("missing", "import failed", "hung", "hidden", *dict(steps.EXERCISE_STEPS)):
        assert f"``{name}``" in steps.__doc__


def test_missing_says_what_was_looked_for_only_without_a_file(tmp_path):
    assert steps.missing(_assignment(), tmp_path / "toy.py", None) is None
    said = steps.missing(_assignment(), None, tmp_path)
    assert said.startswith("not submitted: toy is not in the submission")


def test_import_failed_gives_the_reason_only_when_the_module_does_not_load():
    assert steps.import_failed(_assignment(), _Session(loads=True)) is None
    said = steps.import_failed(_assignment(), _Session(loads=False))
    assert said == "could not import toy.py: SyntaxError: invalid syntax (line 3)"


def test_not_defined_fails_every_check_and_keeps_it_said_on_hidden_ones():
    assert steps.not_defined(_grading()) is None
    results = steps.not_defined(_grading(session=_Session(functions=set())))
    assert [r.passed for r in results] == [False, False, False]
    assert all(r.feedback == "not submitted: scale is not defined" for r in results)
    assert results[1].check == "hidden check 1 of 1"
    assert results[1].translations["zh"] != results[1].feedback


def test_scan_refusal_fails_a_forbidden_call_and_passes_clean_source():
    forbidding = _assignment(forbidden=("torch.sum",))
    assert steps.scan_refusal(_grading(assignment=forbidding)) is None
    source = "import torch\ndef scale(x):\n    return torch.sum(x)\n"
    results = steps.scan_refusal(_grading(source, assignment=forbidding))
    assert results is not None and not any(r.passed for r in results)
    assert "torch.sum (line 3)" in results[0].feedback


def test_helpers_lend_nothing_to_an_exercise_built_on_none():
    grading = _grading()
    assert steps.helpers(grading) is None and grading.lending is None


def test_hung_stops_every_later_check_after_a_visible_one_and_hidden_ones_after_a_hidden():
    grading = _grading()
    visible, hidden, _ = grading.exercise.checks
    assert steps.hung(grading, ChecksRun(), visible) is None
    after_visible = ChecksRun(hung="visible one")
    result = steps.hung(grading, after_visible, hidden)
    assert result.feedback == "not run: scale did not return in an earlier check (visible one)"
    assert hidden.name in after_visible.general  # about the function: a hidden check says it
    after_hidden = ChecksRun(hidden_hung=True)
    assert steps.hung(grading, after_hidden, visible) is None
    assert steps.hung(grading, after_hidden, hidden).feedback == steps.NOT_RUN


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        (CheckFailed("wrong sum", expected="3", got="4"), "wrong sum\nExpected: 3\nGot: 4"),
        (FunctionHung("did not return"), "did not return"),
        (AnswerMissing("x"), "not checked here: this kit has no recorded answer"),
        (ValueError("odd"), "the result could not be checked (ValueError: odd)"),
    ],
)
def test_run_check_turns_how_a_check_ended_into_its_verdict(raised, said):
    grading = _grading(store=_Store({"visible one": raised}))
    run = ChecksRun()
    result = steps.run_check(grading, run, grading.exercise.checks[0])
    assert not result.passed and result.score == 0 and result.feedback.startswith(said)
    assert set(result.translations) == {"zh"}
    assert run.hung == ("visible one" if isinstance(raised, FunctionHung) else None)


def test_run_check_gives_full_marks_to_a_check_that_ends_quietly():
    grading = _grading()
    result = steps.run_check(grading, ChecksRun(), grading.exercise.checks[1])
    assert result == CheckResult.passing("toy", "scale", "hidden one", 2.0, visible=False)


def test_checks_run_the_hidden_ones_last_in_the_exercise_runner_and_stop_after_a_hang():
    session, store = _Session(), _Store({"visible one": FunctionHung("did not return")})
    results = steps.checks(_grading(session=session, store=store))
    assert store.ran == ["visible one"]  # the others are declared after the hang: not run
    assert [r.check for r in results] == ["visible one", "hidden check 1 of 1", "visible two"]
    assert results[1].feedback.startswith("not run: scale did not return")
    session, store = _Session(), _Store()
    results = steps.checks(_grading(session=session, store=store))
    assert all(r.passed for r in results)
    assert store.ran == ["visible one", "visible two", "hidden one"]  # hidden ones last
    assert [r.check for r in results] == ["visible one", "hidden check 1 of 1", "visible two"]
    assert session.calls == []  # one runner for the exercise: grade_module restarts it


def test_a_hidden_check_declared_before_a_visible_one_that_hangs_still_runs():
    store = _Store({"visible two": FunctionHung("did not return")})
    results = steps.checks(_grading(store=store))
    assert store.ran == ["visible one", "visible two", "hidden one"]
    assert [r.passed for r in results] == [True, True, False]
    assert results[2].feedback.startswith("did not return")


def test_a_hidden_check_that_hangs_stops_only_the_later_hidden_ones():
    assignment = _assignment()
    assignment.exercises[0].check("hidden two", 1.0, hidden=True)(lambda ctx: None)
    store = _Store({"hidden one": FunctionHung("did not return")})
    results = steps.checks(_grading(assignment=assignment, store=store))
    assert store.ran == ["visible one", "visible two", "hidden one"]
    assert [r.passed for r in results] == [True, False, True, False]
    assert results[3].check == "hidden check 2 of 2"


def test_hidden_conceals_the_name_and_inputs_of_a_failed_hidden_check():
    grading = _grading()
    failed = CheckResult.failing("toy", "scale", "hidden one", 2.0, "input 7", visible=False)
    (concealed,) = steps.hidden(grading.exercise, [failed], ChecksRun())
    assert concealed.check == "hidden check 1 of 1" and "7" not in concealed.feedback
    (kept,) = steps.hidden(grading.exercise, [failed], ChecksRun(general={"hidden one"}))
    assert kept.feedback == "input 7"


def test_grade_exercise_stops_at_the_first_step_that_decides():
    store = _Store()
    results = steps.grade_exercise(_grading(session=_Session(functions=set()), store=store))
    assert store.ran == [] and not any(r.passed for r in results)
    results = steps.grade_exercise(_grading(store=store))
    assert store.ran == ["visible one", "visible two", "hidden one"]
    assert all(r.passed for r in results)
