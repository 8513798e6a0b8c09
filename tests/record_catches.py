"""Record which checks catch each mutant: ``tests/mutants/catches.json``.

``tests/test_mutants.py`` requires every mutant to stay caught by each of these checks, so a
change that weakens a check (fewer hypothesis examples, a looser tolerance, a missing
case) fails the suite even when another check still catches the mutant.  Rerun this after a
change that makes a check catch more, or after adding mutants or checks:

    .venv/bin/python -m tests.record_catches [ASSIGNMENT ...]

It grades every mutant (of the assignments named, else all) live and rewrites their entries.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CATCHES = Path(__file__).resolve().parent / "mutants" / "catches.json"


def mutant_key(mutant: Path) -> str:
    """``assignment/function/name``: how catches.json names a mutant file."""
    return f"{mutant.parent.parent.name}/{mutant.parent.name}/{mutant.stem}"


def _catching_checks(mutant: Path) -> tuple[str, list[str]]:
    from autograder.grading.config import GradingConfig
    from tests.gradelib import SOLUTIONS, grade_source, splice

    assignment, function = mutant.parent.parent.name, mutant.parent.name
    source = splice((SOLUTIONS / f"{assignment}.py").read_text(), mutant.read_text())
    live = GradingConfig.from_environment(replay=False, cache_dir=None)
    with tempfile.TemporaryDirectory() as folder:
        results = grade_source(Path(folder), assignment, source, config=live)
    return mutant_key(mutant), sorted(
        r.check for r in results if r.function == function and not r.passed
    )


def main(assignments: list[str]) -> None:
    from tests.gradelib import mutant_files

    mutants = [m for m in mutant_files() if not assignments or m.parent.parent.name in assignments]
    kept = json.loads(CATCHES.read_text(encoding="utf-8")) if CATCHES.exists() else {}
    if assignments:
        kept = {key: checks for key, checks in kept.items() if key.split("/")[0] not in assignments}
    else:
        kept = {}
    workers = min(os.cpu_count() or 2, len(mutants))
    if workers <= 1:  # a new assignment's single mutant: no pool to start
        found = dict(map(_catching_checks, mutants))
    else:
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
            found = dict(pool.map(_catching_checks, mutants))
    catches = dict(sorted({**kept, **found}.items()))
    CATCHES.write_text(json.dumps(catches, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {CATCHES}: {len(catches)} mutants")


if __name__ == "__main__":
    main(sys.argv[1:])
