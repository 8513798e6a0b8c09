"""The grading of one module, as a list of named steps (as nbgrader's preprocessors are).

:func:`autograder.grading.grade.grade_module` takes them in this order:

========================  ===================================================================
``missing``               the module was not submitted: every check fails, saying what was
                          looked for and what the submission holds
``import failed``         the module does not import in its runner: every check fails
``not defined``           (per exercise) its function is not in the module
``scan refusal``          the source calls what the exercise forbids, or names what could
                          switch that refusal off
``helpers``               the oracles the exercise lends its runner (decides nothing)
``checks``                each check in turn, the visible ones first, then the hidden ones
``hung``                  (per check) after a check hung, the later ones are not run
``hidden``                hidden checks show as "hidden check k of n", never name or inputs
========================  ===================================================================

A module step answers the feedback that fails every check, or None; an exercise step
(:data:`EXERCISE_STEPS`) answers the exercise's results, or None to go on to the next.  A new
refusal is a new function in that list, tested alone (tests/test_grading_steps.py).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder.engine.session import ModuleSession, Transport
from autograder.grading.config import GradingConfig
from autograder.grading.context import (
    CheckContext,
    CheckFailed,
    ExampleLog,
    ExampleScript,
    FunctionHung,
)
from autograder.grading.discovery import not_found
from autograder.grading.lending import Lending, lending_for
from autograder.grading.model import Assignment, Check, CheckResult, Exercise, hidden_title
from autograder.grading.replay import TranscriptStore
from autograder.grading.scan import ForbiddenUse, find_escapes, find_forbidden
from autograder.grading.truth import AnswerMissing, Truth
from autograder.i18n import TRANSLATED, T, join, phrase, translations

# What a check after one that hung says (hidden: concealed as "failed" by step hidden).
NOT_RUN = "not run"


def fail_every_check(
    assignment: Assignment, exercise: Exercise, feedback: str
) -> list[CheckResult]:
    """Every check of ``exercise`` failed with the same feedback (a :class:`T` or fixed text),
    which is about the whole function: hidden checks keep it (their names concealed)."""
    results = [
        _failed(assignment.name, exercise.name, check, feedback) for check in exercise.checks
    ]
    return conceal_hidden(exercise, results, shown={check.name for check in exercise.checks})


# -- module steps: the feedback that fails every exercise, or None ----------------------------
def missing(assignment: Assignment, path: Path | None, searched: Path | None) -> T | None:
    """Step ``missing``: ``path`` None (``searched``: the submission folder looked in)."""
    return not_found(assignment.name, searched) if path is None else None


def import_failed(assignment: Assignment, session: ModuleSession) -> T | None:
    """Step ``import failed``: the module is imported in its runner here."""
    loaded = session.load()
    if loaded.ok:
        return None
    return T(
        "could not import {module}.py: {reason}",
        module=assignment.name,
        reason=loaded.describe_failure(),
    )


# -- exercise steps ---------------------------------------------------------------------------
@dataclass
class ExerciseGrading:
    """One exercise being graded in a loaded module's session."""

    assignment: Assignment
    exercise: Exercise
    session: ModuleSession
    source: str
    truth: Truth
    config: GradingConfig
    store: TranscriptStore
    visible_only: bool = False
    # Set by step helpers.
    lending: Lending | None = None


ExerciseStep = Callable[[ExerciseGrading], "list[CheckResult] | None"]


def not_defined(grading: ExerciseGrading) -> list[CheckResult] | None:
    """Step ``not defined``: the module does not define the exercise's function."""
    name = grading.exercise.name
    if name in grading.session.functions:
        return None
    feedback = T("not submitted: {function} is not defined", function=name)
    return fail_every_check(grading.assignment, grading.exercise, feedback)


def scan_refusal(grading: ExerciseGrading) -> list[CheckResult] | None:
    """Step ``scan refusal``: the source alone costs the exercise all its points."""
    names = {exercise.name for exercise in grading.assignment.exercises}
    refused = refused_by_the_scan(grading.exercise, grading.source, names)
    if refused is None:
        return None
    return fail_every_check(grading.assignment, grading.exercise, refused)


def refused_by_the_scan(exercise: Exercise, source: str, names: set[str]) -> T | None:
    """Why the source alone costs ``exercise`` all its points, or None: it calls what the
    exercise forbids, or names what would switch that refusal off."""
    if not exercise.forbidden:
        return None
    forbidden = ", ".join(exercise.forbidden)
    escapes = find_escapes(source, exercise.name, names)
    if escapes:
        return T(
            "{function}: the module uses {uses}, which could switch off the refusal of the "
            "calls this exercise forbids ({forbidden}); no exercise needs it.",
            function=exercise.name,
            uses=_lines(escapes),
            forbidden=forbidden,
        )
    uses = find_forbidden(source, exercise.name, exercise.forbidden, names)
    if uses:
        return T(
            "{function} uses {uses}, which this exercise forbids ({forbidden}): "
            "the point is to implement it yourself.",
            function=exercise.name,
            uses=_lines(uses),
            forbidden=forbidden,
        )
    return None


def _lines(uses: list[ForbiddenUse]) -> T:
    return join([T("{name} (line {line})", name=use.name, line=use.line) for use in uses])


def helpers(grading: ExerciseGrading) -> None:
    """Step ``helpers``: what the exercise lends its runner (see :mod:`.lending`)."""
    grading.lending = lending_for(grading.assignment, grading.exercise, grading.truth)


@dataclass
class ChecksRun:
    """What the checks of one exercise left behind so far."""

    hung: str | None = None  # a visible check that hung: checks declared after it do not run
    hung_position: int | None = None  # where that check is declared
    hidden_hung: bool = False  # a hidden one did: later hidden checks do not run
    general: set[str] = field(default_factory=set)  # failed for what the whole function does


def checks(grading: ExerciseGrading) -> list[CheckResult]:
    """Step ``checks``: run the exercise's checks, the visible ones first, then the hidden
    ones; steps ``hung`` and ``hidden`` within.  The results are in the declared order.

    The exercise has a runner of its own (the next exercise starts in a fresh one), and its
    hidden checks run after every visible one: nothing a hidden check was given (inputs
    logged, files written) can reach a visible check's feedback.  A visible check that hangs
    stops every check declared after it, as in declared order; a hidden one that hangs stops
    only the later hidden checks, whose failures show nothing.
    """
    run = ChecksRun()
    planned = [c for c in grading.exercise.checks if c.visible or not grading.visible_only]
    in_turn = sorted(range(len(planned)), key=lambda position: not planned[position].visible)
    results: dict[int, CheckResult] = {}
    for position in in_turn:
        check = planned[position]
        result = hung(grading, run, check, position) or run_check(grading, run, check)
        if run.hung == check.name and run.hung_position is None:
            run.hung_position = position
        results[position] = result
    return hidden(grading.exercise, [results[p] for p in range(len(planned))], run)


def hung(
    grading: ExerciseGrading, run: ChecksRun, check: Check, position: int | None = None
) -> CheckResult | None:
    """Step ``hung``: ``check`` (declared at ``position``) is not run after one that hung
    (None: it runs).  A hidden check declared before the visible one that hung still runs."""
    assignment, function = grading.assignment.name, grading.exercise.name
    visible_hang = run.hung is not None and not (
        position is not None and run.hung_position is not None and position < run.hung_position
    )
    if not visible_hang and not (run.hidden_hung and not check.visible):
        return None
    if not visible_hang:  # after a hidden one: concealed as "failed" by step hidden
        feedback: str = NOT_RUN
    else:
        run.general.add(check.name)
        feedback = T(
            "not run: {function} did not return in an earlier check ({check})",
            function=function,
            check=phrase(run.hung),
        )
    return _failed(assignment, function, check, feedback)


def run_check(grading: ExerciseGrading, run: ChecksRun, check: Check) -> CheckResult:
    """Run ``check`` (live or replayed, :class:`TranscriptStore`): its verdict; ``run``
    learns whether it hung, or failed for what the whole function does."""
    assignment, exercise = grading.assignment, grading.exercise
    check_id = f"{assignment.name}.{exercise.name}.{check.name}"

    def new_context(
        transport: Transport, log: ExampleLog | None, script: ExampleScript | None
    ) -> CheckContext:
        return CheckContext(
            grading.session,
            exercise,
            grading.truth,
            grading.lending,
            check_id,
            check.timeout,
            config=grading.config,
            transport=transport,
            example_log=log,
            example_script=script,
        )

    localized: dict[str, str] | None = None
    try:
        live = grading.truth.record_to is not None
        grading.store.run_check(check, check_id, new_context, grading.session, live=live)
    except FunctionHung as failure:
        if check.visible:
            run.hung = check.name
        else:
            run.hidden_hung = True
        feedback = failure.feedback(check.hint)
        localized = {lang: failure.feedback(check.hint, lang) for lang in TRANSLATED}
    except CheckFailed as failure:
        if failure.about_the_function:
            run.general.add(check.name)
        feedback = failure.feedback(check.hint)
        localized = {lang: failure.feedback(check.hint, lang) for lang in TRANSLATED}
    except AnswerMissing:
        feedback = T(
            "not checked here: this kit has no recorded answer for this check (build "
            "the kit again with autograder release); the grade of record runs it"
        )
    except Exception as error:  # noqa: BLE001 - a returned value the check did not expect
        last = traceback.extract_tb(error.__traceback__)[-1]
        feedback = T(
            "the result could not be checked ({error}); this usually means a value of an "
            "unexpected type was returned [{where}]",
            error=f"{type(error).__name__}: {error}",
            where=f"{Path(last.filename).name}:{last.lineno}",
        )
    else:
        return CheckResult.passing(
            assignment.name, exercise.name, check.name, check.points, visible=check.visible
        )
    return _failed(assignment.name, exercise.name, check, feedback, localized)


def _failed(
    assignment: str,
    function: str,
    check: Check,
    feedback: str,
    translations: dict[str, str] | None = None,
) -> CheckResult:
    """``check`` failed, and why: no marks out of its points, shown as it is (or hidden)."""
    return CheckResult.failing(
        assignment,
        function,
        check.name,
        check.points,
        feedback,
        visible=check.visible,
        translations=translations,
    )


def hidden(exercise: Exercise, results: list[CheckResult], run: ChecksRun) -> list[CheckResult]:
    """Step ``hidden``: the hidden checks of ``results`` concealed (:func:`conceal_hidden`);
    those failed for what the whole function does keep their feedback."""
    return conceal_hidden(exercise, results, shown=run.general)


def conceal_hidden(
    exercise: Exercise, results: list[CheckResult], shown: set[str] | None = None
) -> list[CheckResult]:
    """Show hidden checks as "hidden check k of n": passed or failed, never name or inputs.

    ``shown``: hidden checks whose feedback is about the whole function (not implemented,
    not submitted, not importable), which says nothing of the check: it stays.
    """
    hidden_checks = [check.name for check in exercise.checks if not check.visible]
    concealed = []
    for result in results:
        if result.check not in hidden_checks:
            concealed.append(result)
            continue
        title = hidden_title(hidden_checks.index(result.check) + 1, len(hidden_checks))
        if result.passed or result.check in (shown or set()):
            concealed.append(replace(result, check=str(title)))
            continue
        feedback = T("failed; a hidden check shows neither its name nor its inputs")
        concealed.append(
            replace(
                result,
                check=str(title),
                feedback=str(feedback),
                translations=translations(feedback),
            )
        )
    return concealed


# The steps of one exercise, in order: the first to answer results decides the exercise.
EXERCISE_STEPS: tuple[tuple[str, ExerciseStep], ...] = (
    ("not defined", not_defined),
    ("scan refusal", scan_refusal),
    ("helpers", helpers),
    ("checks", checks),
)


def grade_exercise(grading: ExerciseGrading) -> list[CheckResult]:
    """The exercise's results: those of the first step of :data:`EXERCISE_STEPS` with any."""
    for _, step in EXERCISE_STEPS:
        decided = step(grading)
        if decided is not None:
            return decided
    raise AssertionError("step checks always decides")  # pragma: no cover
