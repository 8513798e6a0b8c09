"""What a runner's start costs: the fork server's memory in huge pages, runners started
ahead (issue 34).

Every runner is forked twice from the fork server, and a fork copies (and an exit frees) one
page-table entry per 4 KiB page of anonymous memory.  The fork server moves its memory into
huge pages while it imports torch, before any runner exists (see
:func:`collapse_into_huge_pages`); these tests check, in a forked child so that pytest's own
memory is left alone, that a mapping in use moves and that a mapping barely touched is not
filled up.
"""

from __future__ import annotations

import ctypes
import json
import mmap
import os
import sys
import tempfile
from concurrent.futures import Future
from typing import Any

import pytest

from autograder.engine import session as session_module
from autograder.engine.fork_server import collapse_into_huge_pages, fork_judge, fork_server
from autograder.engine.pipes import read_json, write_json
from autograder.engine.sandbox import Limits
from autograder.engine.session import ModuleSession, SpareRunners
from autograder.grading.config import GradingConfig
from autograder.grading.grade import grade_path
from autograder.grading.registry import load_assignment
from tests.gradelib import SOLUTIONS, answer_of_a_fork

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="huge pages are Linux's")

MIB = 1 << 20


def _region(address: int) -> dict[str, int]:
    """The Anonymous and AnonHugePages (bytes) of the mapping holding ``address``."""
    found: dict[str, int] = {}
    inside = False
    with open("/proc/self/smaps") as handle:
        for line in handle:
            field, _, rest = line.partition(" ")
            if "-" in field and ":" not in field:
                start, end = (int(bound, 16) for bound in field.split("-"))
                inside = start <= address < end
            elif inside and field in ("Anonymous:", "AnonHugePages:"):
                found[field[:-1]] = 1024 * int(rest.split()[0])
    return found


def _in_child(touched_mib: int, size_mib: int) -> dict[str, int]:
    """In a forked child: map ``size_mib``, write ``touched_mib`` of it, collapse; what the
    mapping held before and after, and how much was asked to move."""

    def collapse() -> dict[str, Any]:
        area = mmap.mmap(-1, size_mib * MIB, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        for offset in range(0, touched_mib * MIB, mmap.PAGESIZE):
            area[offset] = 1
        address = ctypes.addressof(ctypes.c_char.from_buffer(area))
        before = _region(address)
        asked = collapse_into_huge_pages()
        after = _region(address)
        kept = all(area[offset] == 1 for offset in range(0, touched_mib * MIB, mmap.PAGESIZE))
        return {
            "before_huge": before.get("AnonHugePages", 0),
            "after_huge": after.get("AnonHugePages", 0),
            "after_anonymous": after.get("Anonymous", 0),
            "asked": asked,
            "kept": kept,
        }

    return answer_of_a_fork(collapse)


@pytest.mark.unit
def test_memory_in_use_moves_into_huge_pages_with_its_contents():
    report = _in_child(touched_mib=16, size_mib=16)
    if report["after_huge"] == report["before_huge"]:
        pytest.skip("this kernel does not collapse memory into huge pages (MADV_COLLAPSE)")
    assert report["after_huge"] >= report["before_huge"] + 8 * MIB
    assert report["kept"]


@pytest.mark.unit
def test_a_mapping_barely_touched_is_not_filled():
    report = _in_child(touched_mib=1, size_mib=64)
    assert report["after_anonymous"] <= 2 * MIB
    assert report["kept"]


def test_the_fork_server_moves_its_memory_into_huge_pages():
    """It asks the kernel to, while it imports torch and after (how much moves depends on
    the free huge pages of the moment: with them, a third of torch's import sat in small
    pages before)."""
    server = fork_server()
    assert server is not None
    assert server.layers()["huge_pages"] > 64 * MIB


def test_the_fork_server_serves_on_one_thread():
    """Every runner is a fork of it: the thread that moves its memory into huge pages while
    torch imports is gone before it serves (a thread alive at a fork could hold a lock that
    the runner then waits on forever)."""
    server = fork_server()
    assert server is not None
    server.layers()  # answered by the loop that forks
    assert os.listdir(f"/proc/{server.pid}/task") == [str(server.pid)]


def say_where_my_server_is(fd_in: int, fd_out: int) -> None:
    """A judge's entry point for the test below: it says, then waits until the test is done
    (a judge that returns closes its server)."""
    server = fork_server()
    write_json(fd_out, {"pid": server.pid if server else -1})
    os.read(fd_in, 1)  # end of file: the test closed its pipe


def _huge_pages_of(pid: int) -> int:
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            if line.startswith("AnonHugePages:"):
                return 1024 * int(line.split()[1])
    return 0


def test_a_judges_own_server_shares_the_huge_pages_of_the_command_server():
    """A judge and its own server are forks of the command's server, after it moved its
    memory: their runners' forks copy as few page-table entries, and the pages stay shared
    (a server that moved its memory again would hold a copy of its own)."""
    judge = fork_judge("tests.test_fork_cost:say_where_my_server_is")
    assert judge is not None
    pid, to_judge, from_judge = judge
    try:
        server = read_json(from_judge)["pid"]
        assert _huge_pages_of(server) > 64 * MIB
    finally:
        for fd in (to_judge, from_judge):
            os.close(fd)
        os.waitpid(pid, 0)


class _Runner:
    """A stand-in for a sealed runner: it notes how many restarts came before its start."""

    restarts = 0  # the test's count so far

    def __init__(self, _limits: object, _readable: object) -> None:
        self.started_after = _Runner.restarts
        self.dead = None
        self.workdir = ""

    def place_file(self, _source: object, name: str, _compiled: bytes = b"") -> str:
        return name

    def exchange(self, _payload: bytes, _timeout: float) -> tuple[dict, bytes]:
        return {"ok": ["f"]}, b""

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class _AtOnce:
    """An executor that runs what it is given when it is given (a start in order)."""

    def __init__(self, *_args: object, **_kwargs: object) -> None:
        pass

    def submit(self, function, *args):  # noqa: ANN001, ANN202
        future: Future = Future()
        future.set_result(function(*args))
        return future

    def shutdown(self) -> None:
        pass


@pytest.mark.unit
def test_every_restarted_runner_was_started_before_its_restart(monkeypatch, tmp_path):
    """As grading does it: load, prepare; then for each exercise restart, prepare, call.

    A restart's runner is taken by the first call after it, so the one prepared for the
    restart after must be started then too, not when that restart comes (sealing takes
    tens of milliseconds of waiting on the kernel: it must be under way by then)."""
    monkeypatch.setattr(session_module, "RunnerProcess", _Runner)
    monkeypatch.setattr(session_module, "ThreadPoolExecutor", _AtOnce)
    monkeypatch.setattr(_Runner, "restarts", 0)
    session = ModuleSession(tmp_path / "m.py", "m")
    session.load()
    session.prepare()
    started = []
    for restart in range(1, 5):
        session.restart()
        _Runner.restarts = restart
        session.prepare()
        assert session.ensure_loaded()
        started.append(session._runner.started_after)
    session.close()
    assert started == [0, 1, 2, 3]


@pytest.mark.unit
def test_a_judge_shares_spares_so_each_modules_first_runner_is_started_ahead(monkeypatch, tmp_path):
    """As grade_path does it for the modules one judge grades in turn: the last exercise of
    a module prepares a runner, which the next module's session takes when it loads; a
    session's close leaves the shared spares to their owner."""
    monkeypatch.setattr(session_module, "RunnerProcess", _Runner)
    monkeypatch.setattr(session_module, "ThreadPoolExecutor", _AtOnce)
    monkeypatch.setattr(_Runner, "restarts", 0)
    spares = SpareRunners()
    spares.keep(1)  # before the first module, while the checks are imported
    first = ModuleSession(tmp_path / "a.py", "a", spares=spares)
    first.load()
    first.prepare()  # its only exercise: a runner for the next module
    first.close()
    _Runner.restarts = 1  # the next module starts now
    second = ModuleSession(tmp_path / "b.py", "b", spares=spares)
    second.load()
    assert second._runner.started_after == 0  # started while the first module was graded
    second.close()
    spares.close()
    other = ModuleSession(tmp_path / "c.py", "c", limits=Limits(cpu_seconds=1), spares=spares)
    assert other.spares is not spares  # spares of other limits are not taken


def test_a_grading_starts_one_runner_per_exercise_and_none_it_does_not_use(monkeypatch, tmp_path):
    """The spares a judge shares are started ahead, never one too many: a module's last
    exercise starts a runner only when another module follows."""
    started = []

    class Counted(session_module.RunnerProcess):  # type: ignore[misc,valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(session_module, "RunnerProcess", Counted)
    for name in ("model_selection", "tensors"):
        (tmp_path / f"{name}.py").write_text((SOLUTIONS / f"{name}.py").read_text())
    report = grade_path(tmp_path, config=GradingConfig(cache_dir=None), parallel=False)
    assert all(r.passed for r in report.results if r.assignment in report.files)
    exercises = sum(len(load_assignment(n).exercises) for n in ("model_selection", "tensors"))
    assert len(started) == exercises


def say_whether_bytecode_is_written(_fd_in: int, fd_out: int) -> None:
    """A judge's entry point for the test below."""
    write_json(fd_out, {"write_bytecode": not sys.dont_write_bytecode})


@pytest.mark.parametrize("asking", [True, False])
def test_a_judge_keeps_bytecode_as_the_asking_process_would(monkeypatch, asking):
    """The fork server's environment writes no bytecode (for its runners); a judge forked
    for a process that writes it does too, or every grading compiled the checks again."""
    monkeypatch.setattr(sys, "dont_write_bytecode", not asking)
    judge = fork_judge("tests.test_fork_cost:say_whether_bytecode_is_written")
    assert judge is not None
    pid, to_judge, from_judge = judge
    try:
        assert read_json(from_judge) == {"write_bytecode": asking}
    finally:
        for fd in (to_judge, from_judge):
            os.close(fd)
        os.waitpid(pid, 0)


def _clone_from_a_helper(uid: int | None) -> tuple[int, dict]:
    """In a forked helper (as ``uid`` where given): :func:`fork_into_namespaces` as the fork
    server calls it.  The clone becomes *this* process's child (the helper's parent): it
    says what it sees, and this process reaps it.  (clone's pid, what it saw)."""
    from autograder.engine import containment

    layers = list(containment.NAMESPACE_LAYERS)
    from_helper, helper_writes = os.pipe()
    from_clone, clone_writes = os.pipe()
    helper = os.fork()
    if helper == 0:
        try:
            os.close(from_helper)
            os.close(from_clone)
            if uid is not None:
                os.setgroups([])
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                # As after the exec of an unprivileged grader: its /proc/self is its own.
                ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE
            pid = containment.fork_into_namespaces(layers, user_namespace=uid is not None)
            if pid == 0:
                seen = {"pid": os.getpid(), "uid": os.getuid(), "parent": os.getppid()}
                os.write(clone_writes, json.dumps(seen).encode())
                os._exit(7)
            os.write(helper_writes, json.dumps({"clone": pid}).encode())
        finally:
            os._exit(0)
    for fd in (helper_writes, clone_writes):
        os.close(fd)
    os.waitpid(helper, 0)
    with os.fdopen(from_helper, "rb") as pipe:
        cloned = json.loads(pipe.read())["clone"]
    assert cloned is not None, "clone refused"
    with os.fdopen(from_clone, "rb") as pipe:
        seen = json.loads(pipe.read())
    _, status = os.waitpid(cloned, 0)  # ours to reap: the helper's parent got it
    assert os.waitstatus_to_exitcode(status) == 7
    return cloned, seen


UNPRIVILEGED_UID = 54321


@pytest.mark.parametrize(
    "uid",
    [None, *([UNPRIVILEGED_UID] if os.geteuid() == 0 else [])],
    ids=["as-is", "unprivileged"],
)
def test_a_runner_is_cloned_into_its_namespaces_as_its_judges_child(uid):
    """One clone, no middle process (issue 34): the child is PID 1 of its own PID namespace,
    keeps its user id (mapped in a user namespace of its own where the caller is not root),
    and its parent is the caller's parent, the judge, which reaps it and reads its exit
    status."""
    _cloned, seen = _clone_from_a_helper(uid)
    assert seen["pid"] == 1
    assert seen["parent"] == 0  # (its parent lies outside its PID namespace)
    assert seen["uid"] == (os.getuid() if uid is None else uid)


def test_the_fork_server_clones_every_runner_in_one_step(monkeypatch):
    """A fork server the main thread started forks runners in one step on this machine (a
    refusal would fall back to a middle process, ~6 ms more CPU and latency a runner): it
    counts the runners it cloned, and each is our child from its start."""
    from autograder.engine import fork_server as server_module
    from autograder.engine.launch import FORK_SERVER_BOOTSTRAP, runner_command, scrubbed_environment
    from autograder.engine.sandbox import RunnerProcess

    folder = tempfile.gettempdir()
    server = server_module.ForkServer.start(
        runner_command(FORK_SERVER_BOOTSTRAP), scrubbed_environment(folder), folder
    )
    monkeypatch.setattr(server_module, "_SERVER", server)
    monkeypatch.setattr(server_module, "_OWNER", os.getpid())
    try:
        for _ in range(2):
            with RunnerProcess(Limits()) as runner:
                runner.request({"op": "ping"}, 60)
        assert server.layers()["runners"] == {"cloned": 2, "through_a_middle": 0}
    finally:
        server.close()


# In a fresh interpreter (a fork server of its own): a thread starts the fork server and
# ends while a runner forked since is serving.
_STARTED_BY_A_THREAD = """
import threading
from autograder.engine.fork_server import fork_server
from autograder.engine.sandbox import Limits, RunnerProcess

started, done = threading.Event(), threading.Event()

def start():
    fork_server()
    started.set()
    done.wait()

thread = threading.Thread(target=start)
thread.start()
started.wait()
with RunnerProcess(Limits()) as runner:
    assert runner.request({"op": "ping"}, 60) == {"ok": "pong"}
    done.set()
    thread.join()
    print(runner.request({"op": "ping"}, 60))
"""


def test_a_runner_outlives_the_thread_that_started_the_fork_server():
    """A spare runner's thread may be the first to ask for the fork server, and it ends
    when its spares are closed.  A runner cloned as the judge's child (CLONE_PARENT) is the
    child of that thread, whose end fires the runner's parent-death signal: it was killed
    by SIGKILL in the middle of a grading (a correct submission failed)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", _STARTED_BY_A_THREAD],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    assert "pong" in done.stdout, done.stdout + done.stderr


@pytest.mark.unit
def test_a_judge_is_woken_the_moment_a_runner_exits():
    """Closing a runner waits for its exit (~4 ms, the kernel freeing its copy of torch):
    the judge is woken by the kernel when it happens (a pidfd), not at its next poll.  The
    child here exits when we let it; after the wait it is there to reap."""
    from autograder.engine.sandbox import _ExitWatch

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write_end)
        os.read(read_end, 1)
        os._exit(5)
    os.close(read_end)
    with _ExitWatch(pid) as watch:
        watch.wait(0)  # not exited: a look, no wait
        assert os.waitpid(pid, os.WNOHANG) == (0, 0)
        os.close(write_end)
        watch.wait(600)
        reaped, status = os.waitpid(pid, os.WNOHANG)
    assert reaped == pid and os.waitstatus_to_exitcode(status) == 5
