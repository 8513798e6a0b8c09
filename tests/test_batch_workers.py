"""A batch's workers, forked from the fork server (autograder.batch.workers): what the batch
relies on of a process pool, each tested on a worker that serves a few harmless functions."""

from __future__ import annotations

import operator
import os
import signal
import sys
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from autograder.batch import pool as pool_module
from autograder.batch import workers
from autograder.batch.workers import ForkedWorkers
from autograder.engine import protocol
from autograder.engine.fork_server import fork_server
from tests.gradelib import children_of

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="the fork server is Linux's"),
    pytest.mark.xdist_group("workers"),
]

ENTRY = "tests.test_batch_workers:serve_test_worker"


def _parent_and_torch() -> tuple[int, bool]:
    return os.getppid(), "torch" in sys.modules


def _sleep_then_answer(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _exit_now(status: int) -> None:
    os._exit(status)


def _answer_over_the_limit() -> None:
    """(In the parent, its name; the workers' own writes a frame that claims more bytes than
    an answer may have, and some of them, before its real answer.)"""


def serve_test_worker(fd_in: int, fd_out: int) -> None:
    """The test workers' entry point: what the fork server's child runs."""

    def _answer_over_the_limit() -> int:
        header = protocol.HEADER.pack(protocol.MAX_MESSAGE_BYTES + 1)
        os.write(fd_out, header + b"{" * 64)
        return 0

    functions = [_parent_and_torch, _sleep_then_answer, _exit_now, operator.truediv, os.getpid]
    served = {f.__name__: f for f in [*functions, _answer_over_the_limit]}
    workers.serve(fd_in, fd_out, served)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def pool():
    assert fork_server() is not None
    before = children_of(os.getpid())
    started = ForkedWorkers.start(2, ENTRY, ("getpid", ()))
    assert started is not None
    started.children_before = before  # what this process had before the workers
    yield started
    started.shutdown(wait=False, cancel_futures=True)


def test_workers_are_forks_of_the_fork_server_adopted_by_the_batch(pool):
    parent, torch_imported = pool.submit(_parent_and_torch).result(60)
    assert parent == os.getpid()  # reaped by the batch's parent, dies with it
    assert torch_imported  # shared with the fork server, not imported again


def test_results_and_exceptions_come_back(pool):
    assert pool.submit(operator.truediv, 1, 4).result(60) == 0.25
    with pytest.raises(ZeroDivisionError):
        pool.submit(operator.truediv, 1, 0).result(60)
    assert pool.submit(operator.truediv, 9, 3).result(60) == 3  # the worker goes on


def _both_pids(pool: ForkedWorkers) -> set[int]:
    """The two workers' pids: two calls at once run in two workers (one call at a time each)."""
    calls = [pool.submit(_sleep_then_answer, 3.0) for _ in range(2)]
    return {call.result(60) for call in calls}


def test_two_workers_run_at_once(pool):
    assert len(_both_pids(pool)) == 2


def _broken_then_reaped(pool: ForkedWorkers, call, pids: set[int], killed: bool = True) -> None:
    """``call`` failed with BrokenProcessPool; after shutdown no worker is left, nor, where
    the pool ``killed`` its workers, anything a worker leaves its parent (its fork server,
    its runners: adopted by this process when the worker dies)."""
    assert isinstance(call.exception(60), BrokenProcessPool)
    with pytest.raises(BrokenProcessPool):
        pool.submit(os.getpid)
    pool.shutdown(wait=True)
    assert all(_gone(pid) for pid in pids), "a worker was left behind"
    if killed:
        assert children_of(os.getpid()) <= pool.children_before


def test_a_worker_that_dies_breaks_the_pool_and_every_worker_is_reaped(pool):
    pids = _both_pids(pool)
    # (A worker that exits by itself leaves its fork server here, a zombie until this
    # process ends: no one is left who knows its id.)
    _broken_then_reaped(pool, pool.submit(_exit_now, 3), pids, killed=False)


def test_a_worker_whose_answer_cannot_be_read_is_killed_and_breaks_the_pool(pool):
    """Its pipe would hold the rest of that answer: read as the next call's, it would give
    another student's result, or a wait for bytes that never come."""
    pids = _both_pids(pool)
    _broken_then_reaped(pool, pool.submit(_answer_over_the_limit), pids)


def test_kill_stops_a_running_call_at_once(pool):
    pids = _both_pids(pool)
    running = pool.submit(_sleep_then_answer, 600)
    time.sleep(0.2)
    pool.kill()
    _broken_then_reaped(pool, running, pids)


def test_shutdown_lets_running_calls_finish_and_reaps_every_worker(pool):
    pids = _both_pids(pool)
    running = pool.submit(_sleep_then_answer, 1.0)
    time.sleep(0.2)
    pool.shutdown(wait=True)
    assert running.result(0) in pids
    assert all(_gone(pid) for pid in pids)
    with pytest.raises(RuntimeError):
        pool.submit(os.getpid)


def test_a_batch_done_leaves_no_process_behind():
    """A worker, its parent's pipe closed, closes its fork server before it exits: left to
    die with the worker, that server was adopted by the batch's process, a zombie."""
    assert fork_server() is not None  # this process's own: it stays
    before = children_of(os.getpid())
    started = ForkedWorkers.start(2, ENTRY, ("getpid", ()))
    assert started is not None
    assert len(_both_pids(started)) == 2
    started.shutdown(wait=True)
    assert children_of(os.getpid()) <= before


def test_workers_that_cannot_start_stop_the_batch_instead_of_starting_forever(
    monkeypatch, tmp_path
):
    """Every worker dies as it starts (its entry point is missing): the batch ends, with the
    students who reached a worker given an error, or with WorkersCannotStart."""
    monkeypatch.setattr(pool_module, "WORKER_ENTRY", "tests.test_batch_workers:no_such_entry")
    for student in ("ada", "ben", "cy"):
        (tmp_path / student).mkdir()
        (tmp_path / student / "tensors.py").write_text("")
    students = {path.name: path for path in sorted(tmp_path.iterdir())}

    def hung(_signum, _frame):
        raise AssertionError("the batch kept starting workers")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(300)  # a guard against hanging, far above what the batch takes
    try:
        results = pool_module.grade_class(students, ["tensors"], jobs=2)
    except pool_module.WorkersCannotStart:
        return
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [r.student for r in results] == ["ada", "ben", "cy"]
    assert all(r.error and r.score == 0 for r in results)
