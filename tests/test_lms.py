"""``autograder lms-export``: a class's totals as Canvas's and Moodle's gradebook imports,
students matched to the LMS through a roster; nobody is dropped."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from autograder.batch.lms import match, read_roster
from autograder.batch.model import BatchResults
from autograder.cli import main
from autograder.grading.model import CheckResult, StudentResult

pytestmark = pytest.mark.unit


def student(folder: str, tensors: float, mlp: float) -> StudentResult:
    results = [
        CheckResult("tensors", "gather", "agrees", tensors, 30, tensors == 30),
        CheckResult("mlp", "relu", "agrees", mlp, 20, mlp == 20),
    ]
    return StudentResult(folder, folder, results)


@pytest.fixture
def graded(tmp_path):
    batch = BatchResults(
        ["tensors", "mlp"],
        [
            student("ada-l", 30, 12.5),
            student("BenB", 10, 0),
            student("=cmd", 3, 4),  # a folder name a spreadsheet would run
            student("stranger", 30, 20),  # not on the roster
        ],
    )
    batch.save(tmp_path / "results.json")
    return tmp_path / "results.json"


ROSTER = """\
Student,ID,SIS User ID,SIS Login ID,Section,GitHub,Email address
"Lovelace, Ada",101,S1,ada,Sec A,ada-l,ada@example.edu
"Babbage, Ben",102,S2,ben,Sec A,benb,ben@example.edu
"Cmd, Evil",103,S3,evil,Sec B,=cmd,evil@example.edu
"Absent, Al",104,S4,al,Sec B,al-absent,al@example.edu
"""


def export(tmp_path, graded, *options: str):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    out = tmp_path / "canvas.csv"
    args = ["lms-export", str(graded), "--roster", str(roster), "--output", str(out), *options]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    return out, outcome


def rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


def test_canvas_csv_has_the_totals_of_every_roster_student(tmp_path, graded):
    out, outcome = export(tmp_path, graded, "--column", "tensors=Tensors (5501)")
    table = rows(out)
    assert table[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Tensors (5501)",
        "mlp",
    ]
    assert table[1] == ["Points Possible", "", "", "", "", "30", "20"]
    assert table[2:] == [
        ["Lovelace, Ada", "101", "S1", "ada", "Sec A", "30", "12.5"],
        ["Babbage, Ben", "102", "S2", "ben", "Sec A", "10", "0"],  # BenB: GitHub is case-blind
        ["Cmd, Evil", "103", "S3", "evil", "Sec B", "3", "4"],
        ["Absent, Al", "104", "S4", "al", "Sec B", "", ""],  # blank: Canvas keeps its grade
    ]
    # Everyone the file gives no grade to is listed, on the terminal and in a file.
    unmatched = rows(tmp_path / "canvas-unmatched.csv")
    assert [row[0] for row in unmatched[1:]] == ["stranger", "al-absent"]
    assert "unmatched: stranger: graded, but not on the roster" in outcome.output
    assert "3 of 4 roster students graded" in outcome.output


def test_moodle_csv_and_cells_a_spreadsheet_would_run(tmp_path, graded):
    out, _ = export(tmp_path, graded, "--lms", "moodle")
    table = rows(out)
    assert table[0] == ["ID number", "Email address", "Full name", "tensors", "mlp"]
    assert table[1] == ["101", "ada@example.edu", "Lovelace, Ada", "30", "12.5"]
    roster = tmp_path / "roster.csv"
    roster.write_text("folder,name\n=cmd,=HYPERLINK(1)\n")
    batch = BatchResults.load(graded)
    ((entry, result),) = match(batch, read_roster(roster.read_text())).rows
    assert result is not None and result.student == "=cmd"
    from autograder.batch.lms import render_lms

    text = render_lms("canvas", batch, match(batch, read_roster(roster.read_text())))
    assert "'=HYPERLINK(1)" in text


def test_a_roster_without_folders_or_with_one_twice_is_refused(tmp_path, graded):
    roster = tmp_path / "roster.csv"
    for text, says in (
        ("Student,ID\nAda,1\n", "no folder column"),
        ("folder,name\nada,A\nADA,B\n", "twice"),
    ):
        roster.write_text(text)
        args = [
            "lms-export",
            str(graded),
            "--roster",
            str(roster),
            "--output",
            str(tmp_path / "x.csv"),
        ]
        outcome = CliRunner().invoke(main, args)
        assert outcome.exit_code == 2 and says in outcome.output, outcome.output


def test_merge_with_a_roster_writes_canvas_csv_as_lms_export_does(tmp_path, graded):
    """SPEC §4: grade-batch and merge write canvas.csv when given --roster (the same file as
    lms-export's, so the two routes cannot disagree); the unmatched are listed, not dropped."""
    exported, _ = export(tmp_path, graded)
    roster = tmp_path / "roster.csv"
    merged = tmp_path / "merged"
    args = ["merge", str(graded), "--output-dir", str(merged), "--roster", str(roster)]
    outcome = CliRunner().invoke(main, args)
    assert outcome.exit_code == 0, outcome.output
    assert (merged / "canvas.csv").read_text() == exported.read_text()
    assert [row[0] for row in rows(merged / "canvas-unmatched.csv")[1:]] == [
        "stranger",
        "al-absent",
    ]
    assert "unmatched: stranger: graded, but not on the roster" in outcome.output
    assert (merged / "gradebook.csv").exists()


def test_merge_without_a_roster_writes_no_lms_file(tmp_path, graded):
    merged = tmp_path / "merged"
    outcome = CliRunner().invoke(main, ["merge", str(graded), "--output-dir", str(merged)])
    assert outcome.exit_code == 0, outcome.output
    assert not (merged / "canvas.csv").exists()
