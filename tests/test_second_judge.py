"""Grading on two cores: a second judge grades like the judge, and failing it costs nothing."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from autograder.engine import protocol
from autograder.engine.fork_server import fork_server
from autograder.grading.config import GradingConfig
from autograder.grading.grade import find_modules, grade_module, grade_path
from autograder.grading.registry import load_assignment
from autograder.grading.replay import Transcript, TranscriptStore
from autograder.grading.second_judge import SecondJudge, grade_in_parallel
from tests.gradelib import ROOT, SOLUTIONS, children_of, splice

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="the fork server is Linux only"),
    pytest.mark.xdist_group("parallel"),
]

EXAMPLE = ROOT / "examples" / "submission"


@pytest.fixture
def live(monkeypatch, tmp_path):
    """Every check graded live, nothing kept from earlier tests of this process."""
    monkeypatch.setenv("AUTOGRADER_REPLAY", "0")
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(tmp_path / "cache"))


def _options(**more) -> dict:
    """What the judge sends with every assignment: the run's configuration as data."""
    return {"config": GradingConfig.from_environment().to_dict(), **more}


def _grade_here(name: str, path: Path | None) -> list:
    return grade_module(load_assignment(name), path)


class _GradedHere(list):
    """The names graded in this process; each waits until the second judge has started."""

    def __init__(self, started: list) -> None:
        super().__init__()
        self.started = started

    def grade(self, name: str, path: Path | None, _more=None) -> list:
        self.append(name)
        deadline = time.monotonic() + 60
        while not self.started and time.monotonic() < deadline:
            time.sleep(0.01)
        return _grade_here(name, path)


def _second_judge_goes_first(monkeypatch) -> tuple[list, _GradedHere]:
    """(what the second judge was asked: (name, options), what the judge graded itself)."""
    started: list = []
    original = SecondJudge.grade

    def grade(self, name, path, options):
        started.append((name, options))
        return original(self, name, path, options)

    monkeypatch.setattr(SecondJudge, "grade", grade)
    return started, _GradedHere(started)


def test_the_second_judge_grades_like_the_judge(live, monkeypatch):
    # A large environment takes several reads on the fork server's socket.
    monkeypatch.setenv("AUTOGRADER_TEST_LARGE_VARIABLE", "x" * 300_000)
    judge = SecondJudge.start()
    assert judge is not None
    try:
        for name, path in find_modules(EXAMPLE).items():
            if path is not None:
                assert judge.grade(name, path, _options()) == _grade_here(name, path), name
    finally:
        judge.close()


def test_parallel_grading_gives_the_serial_report(live):
    serial = grade_path(EXAMPLE)
    both = grade_path(EXAMPLE, parallel=True)
    assert both.results == serial.results
    assert 0 < both.score < both.max_score


def test_grading_on_two_cores_leaves_no_process_behind(live, monkeypatch):
    """The second judge, done, closes its fork server and exits: killed instead, its fork
    server was left to this process (a child subreaper), a zombie after every grading."""
    assert fork_server() is not None  # this process's own: it stays, for the next grading
    before = children_of(os.getpid())
    started = []
    original = SecondJudge.start.__func__
    monkeypatch.setattr(
        SecondJudge, "start", classmethod(lambda cls, *a: started.append(1) or original(cls, *a))
    )
    grade_path(EXAMPLE, parallel=True)
    assert started, "graded without a second judge"
    assert children_of(os.getpid()) <= before


def test_a_second_judge_killed_leaves_no_process_behind(live):
    """Killed (the judge is failing), its children (its fork server, any runner) are adopted
    by this process: they are killed and reaped, not left here as zombies."""
    assert fork_server() is not None
    before = children_of(os.getpid())
    judge = SecondJudge.start()
    assert judge is not None
    assert judge.grade("tensors", SOLUTIONS / "tensors.py", _options()) is not None
    assert children_of(judge.pid)  # its fork server at least
    judge.close(wait=False)
    assert children_of(os.getpid()) <= before


def test_the_second_judge_takes_assignments_from_the_back(live, monkeypatch):
    """The judge grades from the front; what the second judge took, it did not grade."""
    modules = {name: SOLUTIONS / f"{name}.py" for name in ("tensors", "model_selection")}
    started, graded_here = _second_judge_goes_first(monkeypatch)
    store = TranscriptStore(GradingConfig.from_environment())
    results = grade_in_parallel(modules, graded_here.grade, _options(), store)
    assert [name for name, _ in started] == ["model_selection"] and graded_here == ["tensors"]
    assert set(results) == set(modules)
    for name, path in modules.items():
        assert results[name] == _grade_here(name, path)
        assert all(r.passed for r in results[name])


def test_a_second_judge_that_dies_costs_nothing(live, monkeypatch):
    """Killed in the middle of an assignment: the judge grades that one and the rest."""
    modules = {name: SOLUTIONS / f"{name}.py" for name in ("model_selection", "training")}
    original = SecondJudge.grade

    def dying(self, name, path, options):
        os.kill(self.pid, 9)
        return original(self, name, path, options)

    graded_here = []

    def grade_here(name, path, _more):
        graded_here.append(name)
        return _grade_here(name, path)

    monkeypatch.setattr(SecondJudge, "grade", dying)
    store = TranscriptStore(GradingConfig.from_environment())
    results = grade_in_parallel(modules, grade_here, _options(), store)
    assert sorted(graded_here) == sorted(modules)
    assert all(r.passed for name in modules for r in results[name])


def test_a_second_judge_answering_nonsense_is_not_believed(live, monkeypatch):
    judge = SecondJudge.start()
    assert judge is not None
    try:
        # Answers for another assignment, of another shape, or a failure.
        monkeypatch.setattr(protocol, "read_message", lambda fd: {"results": [_foreign()]})
        assert judge.grade("tensors", SOLUTIONS / "tensors.py", _options()) is None
        monkeypatch.setattr(protocol, "read_message", lambda fd: {"results": [{"score": 1}]})
        assert judge.grade("tensors", SOLUTIONS / "tensors.py", _options()) is None
        wrong_type = {**_foreign(), "assignment": "tensors", "score": "5"}
        monkeypatch.setattr(protocol, "read_message", lambda fd: {"results": [wrong_type]})
        assert judge.grade("tensors", SOLUTIONS / "tensors.py", _options()) is None
        right = {**_foreign(), "assignment": "tensors"}
        monkeypatch.setattr(protocol, "read_message", lambda fd: {"results": [right]})
        assert judge.grade("tensors", SOLUTIONS / "tensors.py", _options())[0].check == "values"
        monkeypatch.setattr(protocol, "read_message", lambda fd: {"error": "Traceback"})
        assert judge.grade("tensors", SOLUTIONS / "tensors.py", _options()) is None

        def garbled(fd):
            raise protocol.ProtocolError("not a message")

        monkeypatch.setattr(protocol, "read_message", garbled)
        assert judge.grade("tensors", SOLUTIONS / "tensors.py", _options()) is None
    finally:
        judge.close()
    judge.close()  # a second close touches nothing (the descriptor numbers may be reused)
    assert judge._to == judge._from == -1


def _foreign() -> dict:
    from dataclasses import asdict

    from autograder.grading.model import CheckResult

    return asdict(CheckResult("cnn", "corr2d", "values", 5.0, 5.0, True))


def test_the_second_judges_runners_are_its_own_children(live, tmp_path):
    """As the judge's are: it reaps them and reads their exit status."""
    module = tmp_path / "tensors.py"
    module.write_text(
        splice(
            (SOLUTIONS / "tensors.py").read_text(),
            "import ctypes\n\ndef broadcast_to(x, shape):\n    ctypes.string_at(0)\n",
        )
    )
    judge = SecondJudge.start()
    assert judge is not None
    try:
        results = judge.grade("tensors", module, _options())
        assert results is not None
        assert all(r.passed for r in results if r.function != "broadcast_to")
        assert "killed by SIGSEGV" in next(r.feedback for r in results if not r.passed)
        status = Path(f"/proc/{judge.pid}/status").read_text()
        assert f"PPid:\t{os.getpid()}\n" in status
    finally:
        judge.close()


def test_the_second_judge_dies_with_the_judge(tmp_path):
    script = textwrap.dedent(
        """
        import os, sys
        from autograder.grading.second_judge import SecondJudge
        judge = SecondJudge.start()
        print(judge.pid, flush=True)
        os._exit(0)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return  # gone
        if state in ("Z", "X"):
            return  # dead, waiting to be reaped by whoever adopted it
        time.sleep(0.05)
    pytest.fail(f"the second judge {pid} outlived its judge")


def test_assignments_with_transcripts_recorded_here_stay_with_the_judge():
    store = TranscriptStore(GradingConfig())
    store.transcripts[("mlp.dropout.values", print, "e")] = Transcript()
    assert store.recorded_here("mlp") and not store.recorded_here("model_selection")


@pytest.fixture
def kept(monkeypatch, tmp_path):
    """A fresh folder of kept transcripts."""
    monkeypatch.setenv("AUTOGRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("AUTOGRADER_REPLAY", raising=False)
    return tmp_path / "cache"


def test_the_second_judge_replays_kept_transcripts(kept, monkeypatch):
    """It adopts the judge's snapshot: nothing graded live, so no file is written again."""
    modules = {name: SOLUTIONS / f"{name}.py" for name in ("tensors", "model_selection")}
    for name, path in modules.items():
        grade_module(load_assignment(name), path)  # keeps the transcripts on disk
    store = TranscriptStore(GradingConfig.from_environment())
    store.take_snapshot(modules)
    files = {path: path.stat().st_ino for path in kept.rglob("*.pt")}
    assert len(files) == 2
    started, graded_here = _second_judge_goes_first(monkeypatch)
    results = grade_in_parallel(modules, graded_here.grade, _options(), store)
    assert [name for name, _ in started] == ["model_selection"] and started[0][1]["kept"]
    assert all(r.passed for name in modules for r in results[name])
    assert {path: path.stat().st_ino for path in files} == files


def test_a_kept_file_changed_since_the_snapshot_is_not_adopted(kept):
    grade_module(load_assignment("model_selection"), SOLUTIONS / "model_selection.py")
    judges = TranscriptStore(GradingConfig.from_environment())
    judges.take_snapshot(["model_selection", "tensors"])
    files = judges.kept_files("model_selection")
    assert len(files) == 1 and judges.kept_files("tensors") == {}
    second = TranscriptStore(GradingConfig.from_environment())
    second.adopt_kept_files(files)
    assert set(second.kept_files("model_selection")) == set(files)
    (name,) = files
    path = next(kept.rglob(f"{name}.pt"))
    path.write_bytes(path.read_bytes() + b"\0")  # student code could have rewritten it
    later = TranscriptStore(GradingConfig.from_environment())
    later.adopt_kept_files(files)
    assert later.kept_files("model_selection") == {}


def test_student_code_cannot_reach_the_pipes_to_the_judge(live, tmp_path):
    """A runner holds its output, /dev/null and its own two pipes: nothing it inherited.

    (The second judge's fork server is a fork of the second judge, which holds its pipes to
    the judge: a runner writing there could hand the judge results of its own.)
    """
    module = tmp_path / "tensors.py"
    module.write_text(
        splice(
            (SOLUTIONS / "tensors.py").read_text(),
            "import os, stat\n\n"
            "def gather(input, dim, index):\n"
            "    seen = {}\n"
            "    for fd in range(1024):\n"
            "        try:\n"
            "            info = os.fstat(fd)\n"
            "        except OSError:\n"
            "            continue\n"
            "        seen[fd] = (stat.S_ISFIFO(info.st_mode), info.st_ino)\n"
            "    raise RuntimeError('seen=' + repr(seen))\n",
        )
    )
    judge = SecondJudge.start()
    assert judge is not None
    try:
        to_judge = {os.fstat(fd).st_ino for fd in (judge._to, judge._from)}
        results = judge.grade("tensors", module, _options(only=["gather"]))
    finally:
        judge.close()
    assert results is not None
    feedback = next(r.feedback for r in results if not r.passed)
    seen = ast.literal_eval(feedback.split("seen=")[1].split("}")[0] + "}")
    assert sorted(seen)[:3] == [0, 1, 2]
    pipes = [inode for fd, (is_pipe, inode) in seen.items() if fd > 2]
    assert len(pipes) == 2 and all(seen[fd][0] for fd in seen if fd > 2), seen
    assert not to_judge & set(pipes)


def test_a_second_judge_that_cannot_start_costs_nothing(live, monkeypatch):
    def broken(cls):
        raise RuntimeError("the fork server is in trouble")

    monkeypatch.setattr(SecondJudge, "start", classmethod(broken))
    escaped = []  # nothing may escape the thread (it would be printed over the report)
    monkeypatch.setattr(threading, "excepthook", escaped.append)
    graded = []
    modules = {name: SOLUTIONS / f"{name}.py" for name in ("tensors", "cnn")}
    store = TranscriptStore(GradingConfig.from_environment())
    results = grade_in_parallel(
        modules, lambda name, path, _more: graded.append(name) or [], _options(), store
    )
    assert sorted(graded) == ["cnn", "tensors"] and results == {"tensors": [], "cnn": []}
    assert not escaped
