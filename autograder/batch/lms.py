"""The class's totals as an LMS imports them: Canvas's gradebook CSV, Moodle's grade import.

A class's results name students by their folders (GitHub usernames, nbgrader ids); an LMS
by its own ids.  A roster (CSV) maps one to the other: a ``folder`` column, and the LMS
columns, under their own names or Canvas's (a Canvas gradebook export with a ``folder``
column added is a roster):

    folder, name (Canvas: Student), lms_id (ID), sis_user_id (SIS User ID),
    sis_login_id (SIS Login ID), section (Section), email (Email address),
    id_number (ID number)

Nobody is dropped: a graded folder the roster does not name, and a roster student whose
folder was not graded, are both listed (:attr:`Matched.unmatched`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.batch.model import BatchResults
from autograder.errors import SubmissionError
from autograder.grading.model import StudentResult
from autograder.report.common import points, spreadsheet_cell
from autograder.report.files import write_atomically

LMS_FORMATS = ("canvas", "moodle")
# The roster's columns, and the other names each is found under (compared case-blind).
_ALIASES = {
    "folder": ("folder", "github", "github username", "nbgrader id", "student folder"),
    "name": ("name", "student", "full name"),
    "lms_id": ("lms_id", "id", "canvas id", "lms id"),
    "sis_user_id": ("sis_user_id", "sis user id"),
    "sis_login_id": ("sis_login_id", "sis login id", "login", "username"),
    "section": ("section",),
    "email": ("email", "email address"),
    "id_number": ("id_number", "id number"),
}


@dataclass(frozen=True)
class RosterEntry:
    """One student of the LMS, and the folder their work is graded from."""

    folder: str
    name: str = ""
    lms_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""
    id_number: str = ""


@dataclass
class Matched:
    """The roster's students with their results (None: nothing graded), and who is left."""

    rows: list[tuple[RosterEntry, StudentResult | None]] = field(default_factory=list)
    not_on_roster: list[StudentResult] = field(default_factory=list)

    @property
    def not_graded(self) -> list[RosterEntry]:
        return [entry for entry, result in self.rows if result is None]

    @property
    def unmatched(self) -> list[tuple[str, str, str]]:
        """(folder, name, why) of everyone the LMS file cannot carry a grade for."""
        return [
            (s.student, "", "graded, but not on the roster: no LMS id to give the grade to")
            for s in self.not_on_roster
        ] + [
            (e.folder, e.name, "on the roster, but no submission was graded: left blank")
            for e in self.not_graded
        ]


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def read_roster(text: str) -> list[RosterEntry]:
    """The roster CSV's students; :class:`SubmissionError` if it has no folder column or
    names a folder twice."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    found: dict[str, str] = {}
    for column in reader.fieldnames or []:
        for name, aliases in _ALIASES.items():
            if name not in found and _key(column) in {_key(alias) for alias in aliases}:
                found[name] = column
    if "folder" not in found:
        raise SubmissionError(
            "the roster has no folder column (the student's folder: GitHub username, "
            f"nbgrader id); its columns: {', '.join(reader.fieldnames or [])}"
        )
    entries: list[RosterEntry] = []
    seen: set[str] = set()
    for row in reader:
        values = {name: (row.get(column) or "").strip() for name, column in found.items()}
        if not values["folder"]:
            continue  # Canvas's "Points Possible" row, a blank line
        if _key(values["folder"]) in seen:
            raise SubmissionError(f"the roster names the folder {values['folder']!r} twice")
        seen.add(_key(values["folder"]))
        entries.append(RosterEntry(**values))
    return entries


def match(batch: BatchResults, roster: Sequence[RosterEntry]) -> Matched:
    """Each roster student's result, by folder: the folder of that very name, else the one
    folder that is the name case-blind (as GitHub's names are).  Where several folders are
    alike (``alice``, ``ALICE``, ``alice_``), none but the exact one is given the grade."""
    unclaimed = {student.student: student for student in batch.students}
    alike: dict[str, list[str]] = {}
    for name in unclaimed:
        alike.setdefault(_key(name), []).append(name)
    matched = Matched()
    for entry in roster:
        candidates = alike.get(_key(entry.folder), [])
        chosen = entry.folder if entry.folder in unclaimed else None
        if chosen is None and len(candidates) == 1:
            chosen = candidates[0]
        matched.rows.append((entry, unclaimed.pop(chosen) if chosen in unclaimed else None))
    matched.not_on_roster = sorted(unclaimed.values(), key=lambda s: s.student)
    return matched


def _totals(result: StudentResult | None, assignments: Sequence[str]) -> list[str]:
    if result is None:
        return ["" for _ in assignments]
    return [
        points(sum(r.score for r in result.results if r.assignment == name)) for name in assignments
    ]


def _maxima(batch: BatchResults) -> list[str]:
    most = {name: 0.0 for name in batch.assignments}
    for student in batch.students:
        for name in most:
            most[name] = max(
                most[name], sum(r.max_score for r in student.results if r.assignment == name)
            )
    return [points(most[name]) for name in batch.assignments]


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def render_lms(
    lms: str, batch: BatchResults, matched: Matched, headers: Mapping[str, str] | None = None
) -> str:
    """The LMS's import file: one row per roster student, one column per assignment (its
    total points), headed ``headers[assignment]`` or the assignment's name.

    Canvas: Student, ID, SIS User ID, SIS Login ID, Section, the assignments (a column
    named ``Title (id)`` grades that existing assignment, another creates one), after a
    "Points Possible" row.  Moodle: ID number, Email address, Full name, the assignments
    (its import maps a column to a user field and each other column to a grade item).
    """
    headers = dict(headers or {})
    titles = [headers.get(name, name) for name in batch.assignments]
    if lms == "canvas":
        rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *titles]]
        rows.append(["Points Possible", "", "", "", "", *_maxima(batch)])
        for entry, result in matched.rows:
            who = [entry.name, entry.lms_id, entry.sis_user_id, entry.sis_login_id, entry.section]
            rows.append([spreadsheet_cell(v) for v in who] + _totals(result, batch.assignments))
    elif lms == "moodle":
        rows = [["ID number", "Email address", "Full name", *titles]]
        for entry, result in matched.rows:
            who = [entry.id_number or entry.lms_id, entry.email, entry.name]
            rows.append([spreadsheet_cell(v) for v in who] + _totals(result, batch.assignments))
    else:
        raise ValueError(f"lms {lms!r}: one of {LMS_FORMATS}")
    return _csv(rows)


def render_unmatched(matched: Matched) -> str:
    """Everyone the LMS file gives no grade to, and why (a CSV)."""
    return _csv(
        [
            ["folder", "name", "why"],
            *([spreadsheet_cell(v) for v in row] for row in matched.unmatched),
        ]
    )


def unmatched_file(output: Path) -> Path:
    """Where the students ``output`` gives no grade to are listed, beside it."""
    return output.with_name(f"{output.stem}-unmatched.csv")


def write_lms_files(
    output: Path,
    lms: str,
    batch: BatchResults,
    roster: Path,
    headers: Mapping[str, str] | None = None,
) -> Matched:
    """Write the LMS's import file for ``batch`` and the roster, and beside it the students
    it gives no grade to (when there are any): nobody is dropped silently."""
    matched = match(batch, read_roster(roster.read_text(encoding="utf-8")))
    write_atomically(output, render_lms(lms, batch, matched, headers))
    if matched.unmatched:
        write_atomically(unmatched_file(output), render_unmatched(matched))
    return matched


def parse_headers(pairs: Sequence[str]) -> dict[str, str]:
    """``tensors=Tensors (1234)`` options as {assignment: column header}."""
    headers: dict[str, str] = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        if not sep or not name.strip() or not header.strip():
            raise SubmissionError(f"--column wants ASSIGNMENT=HEADER, not {pair!r}")
        headers[name.strip()] = header.strip()
    return headers
