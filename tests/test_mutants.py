"""Every mutant loses points in its own function and in no other; correct variants score full.

A mutant lives in tests/mutants/<assignment>/<function>/<name>.py and holds the wrong
function (plus anything it needs); it is spliced into the reference solution, so every other
function of the module stays correct.  Its docstring says which realistic mistake it is.
"""

from __future__ import annotations

import pytest

from tests.gradelib import (
    SOLUTIONS,
    by_function,
    correct_files,
    grade_source,
    mutant_files,
    splice,
)


@pytest.mark.parametrize(
    "mutant", mutant_files(), ids=lambda p: f"{p.parent.parent.name}.{p.parent.name}.{p.stem}"
)
def test_mutant_loses_points_only_in_its_function(mutant, tmp_path):
    assignment, function = mutant.parent.parent.name, mutant.parent.name
    source = splice((SOLUTIONS / f"{assignment}.py").read_text(), mutant.read_text())
    results = grade_source(tmp_path, assignment, source)
    totals = by_function(results)
    score, total = totals[function]
    failed = [r for r in results if r.function == function and not r.passed]
    assert score < total, f"{mutant.stem} was not caught: {function} got {score}/{total}"
    for result in failed:
        assert result.feedback.strip(), f"{result.check} failed without feedback"
    for other, (other_score, other_total) in totals.items():
        if other != function:
            assert other_score == other_total, (
                f"{mutant.stem} in {function} cost points in {other}: "
                + "; ".join(r.feedback for r in results if r.function == other and not r.passed)
            )


@pytest.mark.parametrize("variant", correct_files(), ids=lambda p: f"{p.parent.name}.{p.stem}")
def test_correct_variant_gets_full_marks(variant, tmp_path):
    assignment = variant.parent.name
    source = splice((SOLUTIONS / f"{assignment}.py").read_text(), variant.read_text())
    results = grade_source(tmp_path, assignment, source)
    failures = [f"{r.title}: {r.feedback}" for r in results if not r.passed]
    assert not failures, "\n".join(failures)
