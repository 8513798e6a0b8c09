"""A batch's calibration (autograder.batch.pool.calibrate_in): the reference's transcripts
recorded by the workers, one assignment each at a time, before any student is handed out.

What it must keep: the transcripts are the ones the parent would have recorded itself; an
assignment whose calibration does not come back is calibrated by the parent; and no worker
gets a student before every calibration is back (a worker that calibrates has run no
student code).
"""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import Future
from typing import Any

import pytest

from autograder.batch import pool as pool_module
from autograder.grading import transcript_store
from autograder.grading.config import GradingConfig

ASSIGNMENTS = ["model_selection", "modules", "mlp"]


def _as_bytes(transcripts: dict[Any, Any]) -> bytes:
    return transcript_store._as_bytes(transcripts)


@pytest.mark.skipif(sys.platform != "linux", reason="the workers are the fork server's")
@pytest.mark.xdist_group("workers")
def test_the_workers_record_the_transcripts_the_parent_would_record():
    config = GradingConfig()
    here = transcript_store.unpack(
        transcript_store.pack(pool_module.calibrate(ASSIGNMENTS, config))
    )
    pool = pool_module.Pool(2, ASSIGNMENTS, config.to_dict())
    try:
        by_workers = pool_module.calibrate_in(pool, ASSIGNMENTS, config)
    finally:
        pool_module._stop(pool)
    assert {key[0].split(".")[0] for key in by_workers} == set(ASSIGNMENTS)
    assert sorted(by_workers) == sorted(here)
    for key in sorted(here):
        assert _as_bytes({key: by_workers[key]}) == _as_bytes({key: here[key]}), key
    assert _as_bytes({key: by_workers[key] for key in sorted(here)}) == _as_bytes(
        {key: here[key] for key in sorted(here)}
    )


class _Executor:
    """A pool's executor whose calls answer as a test says, each on a thread of its own
    after ``delay`` seconds; it remembers what was asked, in order."""

    def __init__(self, answers: dict[str, Any], delay: float = 0.0) -> None:
        self.answers = answers
        self.delay = delay
        self.asked: list[tuple[str, tuple[Any, ...]]] = []
        self.calibrations: list[Future[Any]] = []
        self.first_student_saw_every_calibration_done: bool | None = None

    def submit(self, function: Any, *args: Any) -> Future[Any]:
        self.asked.append((function.__name__, args))
        future: Future[Any] = Future()
        if function.__name__ == "calibrate_as_data":
            self.calibrations.append(future)
            answer = self.answers.get(args[0])

            def answer_later() -> None:
                time.sleep(self.delay)
                if isinstance(answer, BaseException):
                    future.set_exception(answer)
                else:
                    future.set_result(answer)

            threading.Thread(target=answer_later, daemon=True).start()
        else:
            if self.first_student_saw_every_calibration_done is None:
                self.first_student_saw_every_calibration_done = all(
                    f.done() for f in self.calibrations
                )
            future.set_exception(RuntimeError("no grading in this test"))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass

    def kill(self) -> None:
        pass


class _Pool:
    def __init__(self, executor: _Executor) -> None:
        self.executor = executor

    grade = pool_module.Pool.grade


def _transcripts_of(name: str) -> dict[Any, Any]:
    return {(f"{name}.exercise.check", "environment"): ([], [[(name,)]])}


@pytest.mark.unit
def test_an_assignment_whose_calibration_did_not_come_back_is_calibrated_by_the_parent(
    monkeypatch,
):
    answers = {
        "a": transcript_store.pack(_transcripts_of("a")),
        "b": OSError("the worker died"),
        "c": "not transcripts",
        "d": transcript_store.pack(_transcripts_of("a")),  # another assignment's
    }
    here = []

    def calibrate_here(names: list[str], config: GradingConfig) -> dict[Any, Any]:
        here.append(list(names))
        return {key: value for name in names for key, value in _transcripts_of(name).items()}

    monkeypatch.setattr(pool_module, "calibrate", calibrate_here)
    monkeypatch.setattr(pool_module, "_check_count", lambda name: 0)
    executor = _Executor(answers)
    got = pool_module.calibrate_in(_Pool(executor), list(answers), GradingConfig())
    assert sorted(name for name, _ in executor.asked) == ["calibrate_as_data"] * 4
    assert here == [["b", "c", "d"]]
    expected = {}
    for name in "abcd":
        expected.update(_transcripts_of(name))
    assert got == expected


@pytest.mark.unit
def test_the_longest_assignment_is_calibrated_first():
    executor = _Executor({}, delay=0.0)
    names = ["tensors", "training", "modules", "backprop"]
    counts = {name: pool_module._check_count(name) for name in names}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pool_module, "calibrate", lambda names, config: {})
        pool_module.calibrate_in(_Pool(executor), names, GradingConfig())
    asked = [args[0] for _, args in executor.asked]
    assert asked == sorted(names, key=lambda name: -counts[name])
    assert [counts[name] for name in asked] == sorted(counts.values(), reverse=True)


@pytest.mark.unit
def test_nothing_is_calibrated_where_the_batch_does_not_replay():
    executor = _Executor({})
    config = GradingConfig(replay=False)
    assert pool_module.calibrate_in(_Pool(executor), ["tensors"], config) == {}
    assert executor.asked == []


@pytest.mark.unit
def test_no_student_is_handed_out_before_every_calibration_is_back(monkeypatch, tmp_path):
    names = ["tensors", "mlp"]
    answers = {name: transcript_store.pack(_transcripts_of(name)) for name in names}
    executor = _Executor(answers, delay=0.3)
    monkeypatch.setattr(pool_module, "Pool", lambda *args: _Pool(executor))
    monkeypatch.setattr(pool_module, "require_sandbox", lambda weak: None)
    students = {}
    for index in range(3):
        folder = tmp_path / f"student{index}"
        folder.mkdir()
        students[folder.name] = folder
    results = pool_module.grade_class(students, names, jobs=2, config=GradingConfig())
    assert [name for name, _ in executor.asked[:2]] == ["calibrate_as_data"] * 2
    assert executor.first_student_saw_every_calibration_done is True
    # Each student's grading was handed the calibration's transcripts.
    graded = [args for name, args in executor.asked if name == "grade_student_as_data"]
    assert graded and all(
        transcript_store.unpack(args[-1])
        == {**_transcripts_of("tensors"), **_transcripts_of("mlp")}
        for args in graded
    )
    assert len(results) == 3
