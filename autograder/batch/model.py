"""One student's result, the list of submissions of a class, shards, and results files."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.batch.shards import parse_shard as parse_shard
from autograder.batch.shards import resolve_shard
from autograder.errors import SubmissionError
from autograder.grading.model import StudentResult
from autograder.report.files import write_atomically

RESULTS_FORMAT = "autograder-batch-results"
RESULTS_VERSION = 1
RESULTS_FILE = "results.json"


@dataclass
class BatchResults:
    """What one ``grade-batch`` run (or a merge of shards) produced."""

    assignments: list[str]
    students: list[StudentResult]
    shard: tuple[int, int] | None = None
    # (assignment, function) of every graded exercise, the gradebook's columns: kept in
    # results.json so that merge need not load the checks (and torch) to know them.
    exercises: list[tuple[str, str]] = field(default_factory=list)
    # Student -> assignment -> the code graded (notebooks as their code): what the similarity
    # ranking compares, kept so that merge compares students of different shards too.
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    # The similarity ranking of ``sources``, once computed (not saved: merge ranks again).
    similarity: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def columns(self) -> list[tuple[str, str]]:
        """The gradebook's exercise columns (from the checks when results.json had none)."""
        if self.exercises:
            return list(self.exercises)
        from autograder.report.gradebook import exercise_columns

        return exercise_columns(self.assignments)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": RESULTS_FORMAT,
            "version": RESULTS_VERSION,
            "assignments": self.assignments,
            "shard": None
            if self.shard is None
            else {"index": self.shard[0], "count": self.shard[1]},
            "exercises": [list(column) for column in self.exercises],
            "students": [student.to_dict() for student in self.students],
            "sources": self.sources,
        }

    def save(self, path: Path) -> None:
        write_atomically(path, json.dumps(self.to_dict(), indent=1, ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> BatchResults:
        if path.is_dir():
            path = path / RESULTS_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise SubmissionError(f"cannot read {path}: {error}") from None
        if not isinstance(data, dict) or data.get("format") != RESULTS_FORMAT:
            raise SubmissionError(f"{path} is not a {RESULTS_FILE} written by grade-batch")
        if data.get("version") != RESULTS_VERSION:
            raise SubmissionError(
                f"{path} has version {data.get('version')}, not {RESULTS_VERSION}"
            )
        shard = data.get("shard")
        return cls(
            assignments=list(data["assignments"]),
            students=[StudentResult.from_dict(s) for s in data["students"]],
            shard=None if shard is None else (int(shard["index"]), int(shard["count"])),
            exercises=[(str(a), str(f)) for a, f in data.get("exercises") or []],
            sources={
                str(student): {str(a): str(code) for a, code in codes.items()}
                for student, codes in (data.get("sources") or {}).items()
            },
        )


def discover(folder: Path) -> dict[str, Path]:
    """Student name -> submission: each folder, notebook or module file of ``folder``.

    Names starting with ``.`` or ``_`` are skipped (``.git``, ``__pycache__``).
    """
    if not folder.is_dir():
        raise SubmissionError(f"{folder} is not a folder of submissions")
    students: dict[str, Path] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir():
            name = entry.name
        elif entry.is_file() and entry.suffix in (".ipynb", ".py"):
            name = entry.stem
        else:
            continue
        if name in students:
            raise SubmissionError(
                f"two submissions for {name}: {students[name].name} and {entry.name}"
            )
        students[name] = entry
    return students


def select_shard(names: list[str], index: int, count: int) -> list[str]:
    """Shard ``index`` of ``count``: every count-th student of the sorted names.

    Deterministic (it depends only on the names), disjoint, and together the shards hold
    every student once; dealing round-robin keeps shards within one student of each other.
    """
    return sorted(names)[index - 1 :: count]


def students_of_shard(
    folder: Path, shard: str | None, job_engine: Mapping[str, str] | None = None
) -> tuple[dict[str, Path], tuple[int, int] | None]:
    """The submissions of ``folder`` (:func:`discover`) that a run of shard ``shard``
    (``"I/N"``, ``auto``, ``auto/N``: :func:`autograder.batch.shards.resolve_shard`, with
    the ``job_engine``'s variables; None: all) grades, by name, and the cut as ``(I, N)``
    (None: no shard)."""
    students = discover(folder)
    part = resolve_shard(shard, job_engine or {}) if shard else None
    cut = (part.index, part.count) if part else None
    names = select_shard(list(students), *cut) if cut else sorted(students)
    return {name: students[name] for name in names}, cut


def results_files(places: Iterable[Path]) -> list[Path]:
    """The ``results.json`` files that ``merge`` reads from ``places``: such files, the
    folders holding one, or folders of such folders (as CI artifacts download)."""
    files: list[Path] = []
    for item in places:
        if item.is_file():
            files.append(item)
        elif (item / RESULTS_FILE).is_file():
            files.append(item / RESULTS_FILE)
        else:
            found = sorted(item.glob(f"*/{RESULTS_FILE}"))
            if not found:
                raise SubmissionError(f"no {RESULTS_FILE} in {item}")
            files += found
    return files


def merge_files(places: Iterable[Path]) -> BatchResults:
    """The class of the shards' ``results.json`` files found in ``places`` (:func:`merge`)."""
    return merge([BatchResults.load(file) for file in results_files(places)])


def merge(parts: list[BatchResults]) -> BatchResults:
    """One class result from shard results; refuses overlaps and missing or mixed shards."""
    if not parts:
        raise SubmissionError("nothing to merge")
    assignments = parts[0].assignments
    for part in parts[1:]:
        if part.assignments != assignments:
            raise SubmissionError(
                f"shards graded different assignments: {assignments} and {part.assignments}"
            )
    shards = [part.shard for part in parts if part.shard is not None]
    if shards:
        counts = {count for _, count in shards}
        if len(counts) != 1 or len(shards) != len(parts):
            raise SubmissionError("the shards were not cut the same way (mixed --shard I/N)")
        count = counts.pop()
        indices = sorted(index for index, _ in shards)
        duplicated = sorted({i for i in indices if indices.count(i) > 1})
        missing = sorted(set(range(1, count + 1)) - set(indices))
        if duplicated:
            raise SubmissionError(f"shard {duplicated[0]}/{count} was given twice")
        if missing:
            raise SubmissionError(f"shard {missing[0]}/{count} is missing")
    students: dict[str, StudentResult] = {}
    for part in parts:
        for student in part.students:
            if student.student in students:
                raise SubmissionError(f"{student.student} appears in more than one shard")
            students[student.student] = student
    exercises = next((part.exercises for part in parts if part.exercises), [])
    sources = {name: codes for part in parts for name, codes in part.sources.items()}
    return BatchResults(
        assignments, [students[name] for name in sorted(students)], None, exercises, sources
    )
