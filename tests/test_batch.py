"""Grading a class end to end: 30 generated submissions, the gradebook, shards, every format.

The class (see tests/classroom.py) holds correct, partly wrong, broken and hostile
submissions; one of them tries to kill the process grading it, one is an empty folder.  The
batch must grade everyone correctly, give the empty folder an error row, and produce the same
gradebook when a smaller class is graded in shards that are merged.  Runs
``python -m autograder.cli`` like CI does, with --jobs 2.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from autograder.batch.model import RESULTS_FILE, BatchResults
from autograder.batch.outputs import write_outputs
from autograder.grading.registry import load_assignment
from tests.classroom import SMALL_CLASS, autograder, make_class

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text()
)
MAXIMA = {e.name: e.max_score for e in load_assignment("tensors").exercises}
FUNCTIONS = list(MAXIMA)


@pytest.fixture(scope="session")
def classroom(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class") / "submissions"
    expected = make_class(folder)
    assert len(expected) == 30
    return folder, expected


def grade_batch(folder: Path, out: Path, *options: str):
    run = autograder(
        "grade-batch",
        str(folder),
        "--assignment",
        "tensors",
        "--jobs",
        "2",
        "--output-dir",
        str(out),
        *options,
        cwd=folder.parent,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run


@pytest.fixture(scope="session")
def graded(classroom):
    folder, _ = classroom
    out = folder.parent / "all"
    return out, grade_batch(folder, out, "--format", "markdown")


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}


def _verdicts(path: Path) -> list[tuple]:
    report = json.loads(path.read_text())
    return [(t["name"], t["score"], t["status"]) for t in report["tests"]]


def test_gradebook_is_correct(classroom, graded):
    _, expected = classroom
    out, _ = graded
    rows = _rows(out / "gradebook.csv")
    assert sorted(rows) == sorted(expected)
    for student, want in expected.items():
        row = rows[student]
        scores = {f: float(row[f"tensors.{f}"]) for f in FUNCTIONS}
        assert float(row["tensors"]) == float(row["total"]) == pytest.approx(sum(scores.values()))
        assert float(row["max_score"]) == sum(MAXIMA.values())
        if want.kind == "full":
            assert scores == MAXIMA, student
        elif want.kind in ("mutant", "loop"):
            assert scores[want.function] < MAXIMA[want.function], student
            if want.kind == "loop":
                assert scores[want.function] == 0
            for other in FUNCTIONS:
                if other != want.function:
                    assert scores[other] == MAXIMA[other], (student, other)
        else:
            assert sum(scores.values()) == 0, student
        # The error column says why for everyone who lost everything, and only for them.
        assert bool(row["error"]) == (want.kind in ("zero", "error")), (student, row["error"])
        if want.kind == "zero":
            assert want.feedback in row["error"], (student, row["error"])
        if want.feedback:
            report = json.loads((out / "feedback" / f"{student}.json").read_text())
            failed = [t["output"] for t in report["tests"] if t["status"] == "failed"]
            assert failed and want.feedback in failed[0], (student, failed[0])
            if want.kind in ("zero", "error"):
                assert all(want.feedback in text for text in failed), student


def test_class_summary(classroom, graded):
    _, expected = classroom
    out, run = graded
    summary = json.loads((out / "summary.json").read_text())
    errors = sorted(name for name, e in expected.items() if e.kind == "error")
    assert summary["students"] == 30 and summary["graded"] == 30 - len(errors)
    percents = [float(row["percent"]) for row in _rows(out / "gradebook.csv").values()]
    buckets = [0] * 10
    for value in percents:
        buckets[min(9, int(value // 10))] += 1
    assert [b["students"] for b in summary["distribution"]] == buckets
    assert summary["distribution"][-1]["range"] == "90–100%"
    assert [e["student"] for e in summary["errors"]] == errors
    # The checks most students fail: the zero-score students fail every check, so the top
    # ones are checks that mutants also fail, ranked by count.
    top = summary["most_failed_checks"]
    assert top and all(a["failed"] >= b["failed"] for a, b in zip(top, top[1:]))
    assert top[0]["failed"] > 3
    markdown = (out / "summary.md").read_text()
    assert "| correct-reference | 30/30 | 100% |" in markdown
    assert "Checks most students fail" in markdown
    # --format markdown prints the summary, less the picture (summary.md's neighbour).
    picture = "\n![Score distribution](distribution.png)\n"
    assert picture in markdown and (out / "distribution.png").is_file()
    assert run.stdout == markdown.replace(picture, "")


def test_every_format_of_the_outputs(graded):
    out, _ = graded
    feedback = out / "feedback"
    assert len(list(feedback.glob("*.json"))) == len(list(feedback.glob("*.md"))) == 30
    for path in feedback.glob("*.json"):
        jsonschema.validate(json.loads(path.read_text()), SCHEMA)
    markdown = (feedback / "mutant-gather-negative_wraps.md").read_text()
    assert "| | function | check | points |" in markdown
    assert "| ❌ | `gather` |" in markdown and "```text" in markdown
    root = ElementTree.parse(out / "junit.xml").getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 30
    assert int(root.get("tests")) == 30 * 15
    failing = {s.get("name") for s in suites if int(s.get("failures"))}
    assert "correct-reference: tensors" not in failing
    assert "broken-syntax: tensors" in failing


def test_shards_merge_to_the_same_result(classroom, graded, tmp_path):
    """A smaller class (one student of each kind) graded in two shards: the merge gives
    the gradebook, summary and feedback that the class's own grading of those students
    gives (written from its results.json)."""
    folder = tmp_path / "submissions"
    expected = make_class(folder, SMALL_CLASS)
    everyone = BatchResults.load(graded[0] / RESULTS_FILE)
    chosen = [s for s in everyone.students if s.student in expected]
    whole = tmp_path / "whole"
    write_outputs(whole, dataclasses.replace(everyone, students=chosen))
    shards = tmp_path / "shards"
    seen: list[str] = []
    for index in (1, 2):
        part = shards / f"shard-{index}"
        grade_batch(folder, part, "--shard", f"{index}/2")
        names = list(_rows(part / "gradebook.csv"))
        assert len(names) == len(expected) // 2
        seen += names
    assert sorted(seen) == sorted(expected)  # disjoint shards that cover the class
    merged = tmp_path / "merged"
    run = autograder("merge", str(shards), "--output-dir", str(merged), cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    for name in ("gradebook.csv", "summary.json", "summary.md", "summary.html"):
        assert (merged / name).read_text() == (whole / name).read_text(), name
    for path in sorted((whole / "feedback").glob("*.json")):
        assert _verdicts(merged / "feedback" / path.name) == _verdicts(path), path.name
    for path in sorted((whole / "feedback").glob("*.md")):
        assert (merged / "feedback" / path.name).read_text() == path.read_text(), path.name
    # A shard given twice, or one missing, is refused.
    run = autograder(
        "merge", str(shards / "shard-1"), str(shards / "shard-1"),
        "--output-dir", str(tmp_path / "bad"), cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 2 and "given twice" in run.stderr
    run = autograder(
        "merge", str(shards / "shard-1"), "--output-dir", str(tmp_path / "bad"), cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 2 and "missing" in run.stderr
