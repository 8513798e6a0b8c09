"""Grading a class end to end: 30 generated submissions, the gradebook, shards, every format.

The class (see tests/classroom.py) holds correct, partly wrong, broken and hostile
submissions; one of them kills the process grading it.  The batch must grade everyone else
correctly, give that one an error row, and produce the same gradebook when it is graded in
three shards and merged.  Runs ``python -m autograder.cli`` like CI does, with --jobs 2.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from autograder.grading.registry import load_assignment
from tests.classroom import autograder, make_class

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("batch")]

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "gradescope_results.schema.json").read_text()
)
MAXIMA = {e.name: e.max_score for e in load_assignment("tensors").exercises}
FUNCTIONS = list(MAXIMA)
# Submissions whose feedback quotes values they read from uninitialised memory (so the
# values, not the verdicts, differ from run to run): with the default device set to meta,
# this mutant builds meta index tensors and indexes a CPU tensor with them.
RANDOM_OUTPUT = {"mutant-gather-arange_on_cpu"}


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
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
        assert bool(row["error"]) == (want.kind == "error"), (student, row["error"])
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


def test_shards_merge_to_the_same_result(classroom, graded):
    folder, expected = classroom
    out, _ = graded
    shards = folder.parent / "shards"
    seen: list[str] = []
    for index in (1, 2, 3):
        part = shards / f"shard-{index}"
        grade_batch(folder, part, "--shard", f"{index}/3")
        names = list(_rows(part / "gradebook.csv"))
        assert len(names) == 10
        seen += names
    assert sorted(seen) == sorted(expected)  # disjoint shards that cover the class
    merged = folder.parent / "merged"
    run = autograder("merge", str(shards), "--output-dir", str(merged), cwd=folder.parent)
    assert run.returncode == 0, run.stderr[-3000:]
    for name in ("gradebook.csv", "summary.json", "summary.md"):
        assert (merged / name).read_text() == (out / name).read_text(), name
    for path in sorted((out / "feedback").glob("*.json")):
        want, got = (_verdicts(path), _verdicts(merged / "feedback" / path.name))
        assert got == want, path.name
    for path in sorted((out / "feedback").glob("*.md")):
        if path.stem not in RANDOM_OUTPUT:
            assert (merged / "feedback" / path.name).read_text() == path.read_text(), path.name
    # A shard given twice, or one missing, is refused.
    run = autograder(
        "merge", str(shards / "shard-1"), str(shards / "shard-1"), str(shards / "shard-2"),
        "--output-dir", str(folder.parent / "bad"), cwd=folder.parent,
    )  # fmt: skip
    assert run.returncode == 2 and "given twice" in run.stderr
    run = autograder(
        "merge", str(shards / "shard-1"), "--output-dir", str(folder.parent / "bad"),
        cwd=folder.parent,
    )  # fmt: skip
    assert run.returncode == 2 and "missing" in run.stderr
