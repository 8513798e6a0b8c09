"""Which checks and exercises measure badly: classical item analysis of a graded class.

For every check and every exercise (an *item*), among the students who handed in its
assignment and were graded:

* **difficulty**: the share of the item's points the students got (for a check, passed or
  failed, the share of students passing it);
* **discrimination**: the correlation between the item's score and the *rest* of the
  student's score (the total minus the item's own points), so that an item does not
  correlate with itself: for a check this is the point-biserial correlation, for an
  exercise Pearson's correlation (the corrected item-total correlation).

A check nobody passes or everyone passes tells nothing about who learnt what; a negative
discrimination (the strong students fail it, the weak pass) is often the check's own bug.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from autograder.grading.model import CheckResult, StudentResult
from autograder.i18n import T

# Below this discrimination an item is flagged: the better students do worse on it.
NEGATIVE = -0.1
# Items need this many students who handed in their assignment to be analysed at all.
FEWEST_STUDENTS = 3
MOST_FAILED = 5
METHOD = T(
    "difficulty: share of the item's points among the students who handed in its "
    "assignment; discrimination: point-biserial (checks) or Pearson (exercises) "
    "correlation of the item's score with the rest of the score (total minus the item)"
)
FLAGS = ("nobody passes", "everyone passes", "negative discrimination")


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of two equally long series; None where either is constant."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx, syy = sum(d * d for d in dx), sum(d * d for d in dy)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sum(a * b for a, b in zip(dx, dy)) / math.sqrt(sxx * syy)


def _item(
    students: Sequence[StudentResult],
    mine: Callable[[StudentResult], Sequence[CheckResult]],
    whole: bool,
    totals: dict[int, float],
) -> dict[str, Any] | None:
    """Difficulty, discrimination and flags of the results ``mine`` gives of each student,
    or None; ``totals``: each student's score, by ``id``."""
    shares, rests, passed = [], [], 0
    for student in students:
        results = mine(student)
        top = sum(r.max_score for r in results)
        if not results or not top:
            continue
        got = sum(r.score for r in results)
        full = all(r.passed for r in results)
        shares.append(got / top if whole else float(full))
        rests.append(totals[id(student)] - got)
        passed += full
    if len(shares) < FEWEST_STUDENTS:
        return None
    difficulty = sum(shares) / len(shares)
    discrimination = correlation(shares, rests)
    flags = []
    if passed == 0:
        flags.append("nobody passes")
    elif passed == len(shares):
        flags.append("everyone passes")
    if discrimination is not None and discrimination < NEGATIVE:
        flags.append("negative discrimination")
    return {
        "students": len(shares),
        "passed": passed,
        "difficulty": round(difficulty, 4),
        "discrimination": None if discrimination is None else round(discrimination, 4),
        "flags": flags,
    }


def _most_common_failure(
    students: Sequence[StudentResult], mine: Callable[[StudentResult], Sequence[CheckResult]]
) -> tuple[str, int] | None:
    counts: dict[str, int] = {}
    for student in students:
        for r in mine(student):
            if not r.passed:
                counts[r.check] = counts.get(r.check, 0) + 1
    if not counts:
        return None
    check = max(counts, key=lambda name: counts[name])  # the first of equals, in check order
    return check, counts[check]


def item_analysis(
    students: Sequence[StudentResult], handed_in: dict[str, list[StudentResult]]
) -> dict[str, Any]:
    """The item analysis of a class (plain data, as summary.json holds it): ``handed_in``
    maps each assignment to those of ``students`` who handed it in."""
    checks, exercises = [], []
    seen: dict[tuple[str, str, str], None] = {}
    # Each student's results by check and by exercise, in their order, and their score,
    # sorted out once: a pass over all of a student's results for every item grew as
    # students x items x results (minutes for a class of 600).
    by_check: dict[int, dict[tuple[str, ...], list[CheckResult]]] = {}
    by_exercise: dict[int, dict[tuple[str, ...], list[CheckResult]]] = {}
    totals: dict[int, float] = {}
    for student in students:
        totals[id(student)] = student.score  # (a sum over its results, each time it is asked)
        checks_of = by_check[id(student)] = {}
        exercises_of = by_exercise[id(student)] = {}
        for r in student.results:
            seen.setdefault((r.assignment, r.function, r.check), None)
            checks_of.setdefault((r.assignment, r.function, r.check), []).append(r)
            exercises_of.setdefault((r.assignment, r.function), []).append(r)

    def results_of(
        index: dict[int, dict[tuple[str, ...], list[CheckResult]]], key: tuple[str, ...]
    ) -> Callable[[StudentResult], Sequence[CheckResult]]:
        return lambda student: index[id(student)].get(key, [])

    for assignment, function, check in seen:
        group = handed_in.get(assignment, [])
        in_check = results_of(by_check, (assignment, function, check))
        found = _item(group, in_check, whole=False, totals=totals)
        if found is not None:
            checks.append({"assignment": assignment, "function": function, "check": check, **found})
    for assignment, function in dict.fromkeys((a, f) for a, f, _ in seen):
        group = handed_in.get(assignment, [])
        in_exercise = results_of(by_exercise, (assignment, function))
        found = _item(group, in_exercise, whole=True, totals=totals)
        if found is None:
            continue
        failing = len(group) - found["passed"]
        common = _most_common_failure(group, in_exercise)
        exercises.append(
            {
                "assignment": assignment,
                "function": function,
                "check": None,
                **found,
                "failed": failing,
                "most_common_failing_check": None
                if common is None
                else {"check": common[0], "failed": common[1]},
            }
        )
    most_failed = sorted(
        (e for e in exercises if e["failed"]),
        key=lambda e: (-e["failed"] / e["students"], e["assignment"], e["function"]),
    )[:MOST_FAILED]
    return {
        "method": METHOD,
        "negative_threshold": NEGATIVE,
        "checks": checks,
        "exercises": exercises,
        "flagged": [item for item in [*exercises, *checks] if item["flags"]],
        "most_failed_exercises": [
            {
                "assignment": e["assignment"],
                "function": e["function"],
                "failed": e["failed"],
                "students": e["students"],
                "most_common_failing_check": e["most_common_failing_check"],
            }
            for e in most_failed
        ],
    }
