"""The parts of batch grading that need no grading: shards, merging, files, the CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.batch.model import (
    BatchResults,
    StudentResult,
    discover,
    merge,
    parse_shard,
    select_shard,
)
from autograder.batch.outputs import feedback_name, write_outputs
from autograder.batch.pool import complete, error_result, grade_class
from autograder.grading.grade import SubmissionError
from autograder.grading.model import CheckResult
from autograder.report.gradebook import render_gradebook
from tests.gradelib import SOLUTIONS, splice

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit


@given(st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=40), st.integers(1, 7))
def test_shards_partition_the_class_deterministically(names, count):
    shards = [select_shard(names, index, count) for index in range(1, count + 1)]
    assert sorted(n for shard in shards for n in shard) == sorted(names)
    assert max(map(len, shards)) - min(map(len, shards)) <= 1
    assert shards == [select_shard(list(reversed(names)), i, count) for i in range(1, count + 1)]


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0", "2/3/4"])
def test_bad_shard_specs_are_refused(text):
    with pytest.raises(SubmissionError):
        parse_shard(text)


def _student(name: str, score: float = 1.0, error: str | None = None) -> StudentResult:
    results = [
        CheckResult("tensors", "gather", "a check", score, 1.0, score == 1.0, "", True, {}),
        CheckResult("tensors", "broadcast_to", "b check", 0.0, 2.0, False, "oops", True, {}),
    ]
    return StudentResult(name, name, results, 1.5, error)


def test_merge_refuses_overlaps_and_gaps():
    one = BatchResults(["tensors"], [_student("a")], (1, 2))
    two = BatchResults(["tensors"], [_student("b")], (2, 2))
    assert [s.student for s in merge([two, one]).students] == ["a", "b"]
    with pytest.raises(SubmissionError, match="missing"):
        merge([one])
    with pytest.raises(SubmissionError, match="twice"):
        merge([one, one, two])
    with pytest.raises(SubmissionError, match="more than one"):
        merge([one, BatchResults(["tensors"], [_student("a")], (2, 2))])
    with pytest.raises(SubmissionError, match="different assignments"):
        merge([one, BatchResults(["mlp"], [], (2, 2))])


def test_results_file_round_trip(tmp_path):
    batch = BatchResults(["tensors"], [_student("a"), _student("b", 0.0, "boom")], (1, 1))
    batch.save(tmp_path / "results.json")
    loaded = BatchResults.load(tmp_path)
    assert loaded == batch
    (tmp_path / "other.json").write_text('{"score": 1}')
    with pytest.raises(SubmissionError, match="not a results.json"):
        BatchResults.load(tmp_path / "other.json")


def test_discover_finds_folders_notebooks_and_files(tmp_path):
    for name in ("bob", ".git", "__pycache__"):
        (tmp_path / name).mkdir()
    (tmp_path / "alice.ipynb").write_text("{}")
    (tmp_path / "carol.py").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert list(discover(tmp_path)) == ["alice", "bob", "carol"]
    (tmp_path / "bob.ipynb").write_text("{}")
    with pytest.raises(SubmissionError, match="two submissions for bob"):
        discover(tmp_path)


def test_gradebook_columns_and_csv_injection():
    students = [_student("=HYPERLINK(1)"), _student("zoe", 0.0, "-1 + 1, broken\nline")]
    rows = list(csv.reader(io.StringIO(render_gradebook(students, ["tensors"]))))
    assert rows[0] == [
        "student",
        "tensors.broadcast_shapes",
        "tensors.broadcast_to",
        "tensors.gather",
        "tensors",
        "total",
        "max_score",
        "percent",
        "error",
    ]
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][1:] == ["0", "0", "1", "1", "1", "3", "33.3", ""]
    assert rows[2][-1] == "'-1 + 1, broken line"


def test_feedback_file_names_are_harmless_and_distinct(tmp_path):
    assert feedback_name("../../etc/passwd") == "_.._etc_passwd"
    batch = BatchResults(["tensors"], [_student("a b"), _student("a_b"), _student("A_B")])
    write_outputs(tmp_path, batch)
    names = sorted(p.name for p in (tmp_path / "feedback").glob("*.md"))
    assert len({n.lower() for n in names}) == 3  # distinct even on case-insensitive disks


def test_error_results_cover_every_check_and_are_translated():
    result = error_result("s", "s", ["tensors"], "boom")
    assert result.max_score == 30 and result.score == 0 and result.error == "boom"
    missing = complete([], ["tensors"])
    assert len(missing) == 15 and "not submitted" in missing[0].feedback
    assert "未提交" in missing[0].feedback_in("zh")


def test_a_workers_result_counts_only_for_the_student_it_was_asked_about(tmp_path, monkeypatch):
    """A result is filed under the student the batch asked about: one naming another student
    (ada's answered as ben's) is an error for ada, and ben keeps his own."""
    from autograder.batch import pool as pool_module

    for student in ("ada", "ben"):
        (tmp_path / student).mkdir()
    read = pool_module.StudentResult.from_dict

    def swapped(data):
        result = read(data)
        return replace(result, student="ben") if result.student == "ada" else result

    monkeypatch.setattr(pool_module.StudentResult, "from_dict", staticmethod(swapped))
    results = grade_class(discover(tmp_path), ["tensors"], jobs=2)
    assert [r.student for r in results] == ["ada", "ben"]
    ada, ben = results
    assert "answered for 'ben', asked about 'ada'" in ada.error and ada.score == 0
    assert ben.error.startswith("no module or notebook found")


@pytest.mark.slow
def test_a_student_over_the_time_limit_gets_an_error_and_the_batch_goes_on(tmp_path):
    looping = splice(
        (SOLUTIONS / "tensors.py").read_text(),
        "def broadcast_shapes(*shapes):\n    while True:\n        pass\n",
    )
    (tmp_path / "slow").mkdir()
    (tmp_path / "slow" / "tensors.py").write_text(looping)
    (tmp_path / "absent").mkdir()
    seen: list[str] = []
    results = grade_class(
        discover(tmp_path),
        ["tensors"],
        jobs=2,
        timeout=3,
        on_result=lambda r: seen.append(r.student),
    )
    assert [r.student for r in results] == ["absent", "slow"] and sorted(seen) == ["absent", "slow"]
    slow = results[1]
    assert slow.error and "longer than 3 s" in slow.error and slow.score == 0
    assert "超过 3 秒" in slow.error_in("zh")
    # An empty folder is not an all-wrong submission: the gradebook's error column says so.
    absent = results[0]
    assert absent.error.startswith("no module or notebook found: looked for tensors.py, ")
    assert "没有找到模块或笔记本" in absent.error_in("zh") and absent.score == 0


def test_a_worker_parses_the_transcripts_it_gets_with_every_student_once(monkeypatch):
    """The parent sends the calibration's transcripts with each student: a worker parses
    them the first time and again only when they change."""
    from autograder.batch import pool
    from autograder.grading import transcript_store

    parsed = []
    parse = transcript_store._parse
    monkeypatch.setattr(transcript_store, "_parse", lambda data: parsed.append(1) or parse(data))
    unpack = pool._UnpackedOnce()
    first = transcript_store.pack({("a.b.c", "env"): ([], [[(1,)]])})
    again = transcript_store.pack({("a.b.c", "env"): ([], [[(1,)]])})
    assert unpack(first) is unpack(again) == {("a.b.c", "env"): ([], [[(1,)]])}
    assert len(parsed) == 1
    other = transcript_store.pack({("a.b.c", "env"): ([], [[(2,)]])})
    assert unpack(other) == {("a.b.c", "env"): ([], [[(2,)]])} and len(parsed) == 2
    assert unpack("not packed") == {}
