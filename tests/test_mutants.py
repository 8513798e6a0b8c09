"""Every mutant loses points in its own function and in no other; correct variants score full.

Every check that caught a mutant when ``tests/mutants/catches.json`` was recorded still
catches it (see ``tests/record_catches.py``).

Each is graded as a student is: the grade of record (``autograder grade``: expected values
from the reference solutions, checks replayed on the transcripts of the reference solution,
see :mod:`autograder.grading.replay`; a check that fails there is graded live, hypothesis
shrinking the failing input), and the student kit's grading (expected values from each
assignment's ``oracle.py`` and recorded answers; for a mutant, its own function only).  The
two must agree on every check they both run, feedback included (floats to rounding): so
oracles, recorded answers and the reference give the same verdicts.  Every correct variant
is graded both ways, and also live without replay (hypothesis generating every example),
which must agree too: replay changes no verdict.  Mutants are graded both ways where they
cover a check: a fixed set of mutants that together are caught by every check that catches
any (:data:`KIT_COMPARED`), so that each check's failure, shrinking and feedback are
compared between kit and grade of record at least once; ``pytest --kit-on-every-mutant``
compares them on every mutant.

A mutant lives in tests/mutants/<assignment>/<function>/<name>.py and holds the wrong
function (plus anything it needs); it is spliced into the reference solution, so every other
function of the module stays correct.  Its docstring says which realistic mistake it is.
The grade of record grades its function and every exercise that can reach a name the mutant
changes (``train`` with a wrong ``train_epoch``: its grading lends stand-ins for its helpers,
the reference's recorded effects in both gradings, so ``train`` must keep its points, in the
kit too); the others run only the reference's code, in runners of
their own (see :func:`tests.gradelib.exercises_a_mutant_can_reach`), and get the reference's
full marks (tests/test_solutions_and_stubs.py).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from autograder.grading.config import GradingConfig
from autograder.grading.registry import ASSIGNMENT_NAMES, load_assignment
from autograder.grading.truth import GroundTruth
from tests.gradelib import (
    MUTANTS,
    SOLUTIONS,
    built_once,
    by_function,
    correct_files,
    exercises_a_mutant_can_reach,
    grade_source,
    mutant_files,
    splice,
)
from tests.record_catches import CATCHES, mutant_key

# The checks that caught each mutant when the file was recorded (tests/record_catches.py):
# how many checks each single-mistake mutant loses, exactly.
RECORDED_CATCHES = json.loads(CATCHES.read_text(encoding="utf-8"))
# The mutants that lose more than one check, each with why (reviewed).
CASCADES = json.loads((MUTANTS / "cascades.json").read_text(encoding="utf-8"))
CASCADE_KINDS = {"several", "forbidden", "raises", "cascade"}


def covering(catches: dict[str, list[str]]) -> set[str]:
    """Mutants that together are caught by every check that catches any: each in turn, the
    mutant caught by the most checks not yet covered (ties by name), until none is left."""
    left = {check for checks in catches.values() for check in checks}
    chosen: set[str] = set()
    while left:
        best = min(catches, key=lambda key: (-len(left & set(catches[key])), key))
        chosen.add(best)
        left -= set(catches[best])
    return chosen


# The mutants on which the kit's grading is compared with the grade of record.
KIT_COMPARED = covering(RECORDED_CATCHES)


def test_a_mutant_losing_several_checks_is_a_reviewed_exception():
    """A mistake costs its own check, once: a mutant that loses more is listed in
    tests/mutants/cascades.json with exactly the checks it loses and why (its one mistake
    breaks each property, it calls what is forbidden, it always raises, or a check to
    isolate)."""
    several = {key: sorted(checks) for key, checks in RECORDED_CATCHES.items() if len(checks) > 1}
    listed = {key: entry for key, entry in CASCADES.items() if not key.startswith("_")}
    unexplained = sorted(set(several) - set(listed))
    assert not unexplained, (
        f"mutants that lose several checks with no reason in tests/mutants/cascades.json: "
        f"{unexplained}; isolate the checks, or list the mutant with its kind and reason"
    )
    assert sorted(set(listed) - set(several)) == [], "listed, but loses one check at most"
    for key, entry in listed.items():
        assert entry["kind"] in CASCADE_KINDS and entry["reason"].strip(), key
        assert entry["checks"] == several[key], f"{key}: the checks it loses changed"


def test_every_mutant_has_its_catches_recorded():
    assert set(RECORDED_CATCHES) == {mutant_key(m) for m in mutant_files()}
    assert all(RECORDED_CATCHES.values()), "a mutant that no check catches"
    compared = {check for key in KIT_COMPARED for check in RECORDED_CATCHES[key]}
    assert compared == {check for checks in RECORDED_CATCHES.values() for check in checks}


MODULE = """
import torch
import torch.nn.functional as F


def scale(x):
    return x * 2


def double_scale(x):
    return scale(scale(x))


def soft(x):
    return F.softmax(x, dim=-1)


class Net(torch.nn.Module):
    def forward(self, x):
        return double_scale(x)
"""
EXERCISES = ["scale", "double_scale", "soft", "Net"]


@pytest.mark.parametrize(
    ("mutant", "reached"),
    [
        ("def scale(x):\n    return x * 3\n", {"scale", "double_scale", "Net"}),
        ("import torch\n\ndef soft(x):\n    return torch.softmax(x, 0)\n", {"soft"}),
        ("import torch.nn as F\n\ndef scale(x):\n    return x\n", set(EXERCISES)),
        ("def soft(x):\n    return globals()['scale'](x)\n", set(EXERCISES)),
    ],
    ids=["read-through-callers", "same-import", "import-rebinds-a-name", "dynamic-names"],
)
def test_a_mutant_reaches_what_reads_the_names_it_changes(mutant, reached):
    assert exercises_a_mutant_can_reach(MODULE, mutant, EXERCISES) == reached


def test_a_mutant_that_runs_code_at_import_is_refused():
    with pytest.raises(AssertionError, match="runs code"):
        exercises_a_mutant_can_reach(MODULE, "torch.manual_seed(0)\n", EXERCISES)


@pytest.fixture(scope="session")
def solution_transcripts(tmp_path_factory):
    """Transcripts of every reference solution, and the answers a student kit records from
    them (like ``autograder release``): their folder.  Recorded once per test run; each
    test process replays the transcripts from its own transcript folder."""
    cache = GradingConfig.from_environment().cache_dir
    assert cache is not None

    def record(out):
        recording = GroundTruth("reference", out / "answers", record=True)
        config = GradingConfig.from_environment(truth=recording)
        for assignment in ASSIGNMENT_NAMES:
            source = (SOLUTIONS / f"{assignment}.py").read_text()
            assert all(r.passed for r in grade_source(out, assignment, source, config=config))
        shutil.copytree(cache, out / "transcripts")

    recorded = built_once(tmp_path_factory, "solutions", record)
    shutil.copytree(recorded / "transcripts", cache, dirs_exist_ok=True)
    return recorded / "answers"


def grade_both_ways(
    tmp_path, assignment, source, answers, function=None, reached=None, live=False, kit=True
):
    """The grade of record (of the ``reached`` exercises, or all) and (with ``kit``) the
    kit's grading; they must agree on every check both graded.  A mutant (``function``
    given) changes one function: the kit grades that one only, the other functions being the
    reference's code (the kit's verdicts on the reference are tested by tests/test_kit.py).
    A correct variant: the kit grades the ``reached`` exercises too.  ``live``: also grade
    them without replay, which must give the grade of record.  Returns the grade of record."""
    reference = GradingConfig.from_environment(truth=GroundTruth("reference"))
    record = grade_source(tmp_path, assignment, source, config=reference, only=reached)
    if live:
        unreplayed = GradingConfig.from_environment(truth=GroundTruth("reference"), replay=False)
        graded_live = grade_source(tmp_path, assignment, source, config=unreplayed, only=reached)
        assert [verdict(r) for r in graded_live] == [verdict(r) for r in record]
    if not kit:
        return record
    oracle = GradingConfig.from_environment(truth=GroundTruth("oracle", answers))
    only = [function] if function is not None else reached
    replayed = grade_source(tmp_path, assignment, source, config=oracle, only=only)
    compared = {r.function for r in replayed}
    assert compared, "the kit graded nothing"
    assert [verdict(r) for r in replayed if r.function in compared] == [
        verdict(r) for r in record if r.function in compared
    ]
    return record


def verdict(result):
    """What both gradings must share: floats in feedback agree to rounding only (the oracles
    compute in another order than the reference)."""
    return (
        result.title,
        result.score,
        ROUNDED.sub("<float>", result.feedback),
        {lang: ROUNDED.sub("<float>", text) for lang, text in result.translations.items()},
    )


ROUNDED = re.compile(r"-?\d+\.\d+(e[-+]?\d+)?")


@pytest.mark.parametrize(
    "mutant", mutant_files(), ids=lambda p: f"{p.parent.parent.name}.{p.parent.name}.{p.stem}"
)
def test_mutant_loses_points_only_in_its_function(mutant, tmp_path, solution_transcripts, request):
    assignment, function = mutant.parent.parent.name, mutant.parent.name
    reference = (SOLUTIONS / f"{assignment}.py").read_text()
    source = splice(reference, mutant.read_text())
    exercises = [e.name for e in load_assignment(assignment).exercises]
    reached = exercises_a_mutant_can_reach(reference, mutant.read_text(), exercises)
    kit = request.config.getoption("kit_on_every_mutant") or mutant_key(mutant) in KIT_COMPARED
    results = grade_both_ways(
        tmp_path, assignment, source, solution_transcripts, function, sorted(reached), kit=kit
    )
    totals = by_function(results)
    score, total = totals[function]
    failed = [r for r in results if r.function == function and not r.passed]
    assert score < total, f"{mutant.stem} was not caught: {function} got {score}/{total}"
    for result in failed:
        assert result.feedback.strip(), f"{result.check} failed without feedback"
    # Each check that caught it when recorded still does: a weakened check fails here even
    # when another check still catches the mutant.
    missed = set(RECORDED_CATCHES[mutant_key(mutant)]) - {r.check for r in failed}
    assert not missed, (
        f"{mutant.stem} is no longer caught by {sorted(missed)}; if that is intended, "
        "rerun `.venv/bin/python -m tests.record_catches`"
    )
    # And no other check: one mistake costs the checks recorded (and reviewed, where there
    # are several: tests/mutants/cascades.json), not one more.
    extra = {r.check for r in failed} - set(RECORDED_CATCHES[mutant_key(mutant)])
    assert not extra, (
        f"{mutant.stem} also loses {sorted(extra)}: does its mistake break those checks' "
        "properties? If so, rerun `.venv/bin/python -m tests.record_catches` and list it in "
        "tests/mutants/cascades.json; if not, isolate the checks"
    )
    for other, (other_score, other_total) in totals.items():
        if other != function:
            assert other_score == other_total, (
                f"{mutant.stem} in {function} cost points in {other}: "
                + "; ".join(r.feedback for r in results if r.function == other and not r.passed)
            )


@pytest.mark.parametrize("variant", correct_files(), ids=lambda p: f"{p.parent.name}.{p.stem}")
def test_correct_variant_gets_full_marks(variant, tmp_path, solution_transcripts):
    """Graded in the exercises it can reach (every one where it runs code at import): the
    others run the reference's code only, whose full marks the solutions' recording shows."""
    assignment = variant.parent.name
    reference = (SOLUTIONS / f"{assignment}.py").read_text()
    source = splice(reference, variant.read_text())
    exercises = [e.name for e in load_assignment(assignment).exercises]
    try:
        reached = sorted(exercises_a_mutant_can_reach(reference, variant.read_text(), exercises))
    except AssertionError:  # module-level code of its own: any exercise may change
        reached = exercises
    results = grade_both_ways(
        tmp_path, assignment, source, solution_transcripts, reached=reached, live=True
    )
    assert {r.function for r in results} == set(reached), "an exercise was not graded"
    failures = [f"{r.title}: {r.feedback}" for r in results if not r.passed]
    assert not failures, "\n".join(failures)
