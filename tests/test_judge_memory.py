"""Every judge runs under a memory limit of its own (issue 27, item 5).

Before, the judge had none: an answer that made it allocate gigabytes lost ``grade`` its
report and killed a batch's worker, and could take the machine.  Now each judge forked from
the fork server (the command's, the second judge, a batch's workers) bounds what it may
allocate (``RLIMIT_DATA``, ``Limits.judge_memory_bytes``); an answer past it fails its check
with a message that says so, and grading goes on.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.batch.pool import grade_class
from autograder.batch.workers import ForkedWorkers
from autograder.engine.containment import JUDGE_MEMORY_BYTES
from autograder.engine.fork_server import fork_judge, fork_server
from autograder.engine.pipes import read_json, write_json
from autograder.engine.sandbox import Limits
from autograder.grading.config import GradingConfig
from autograder.grading.second_judge import SecondJudge
from tests.gradelib import ROOT, SOLUTIONS, by_function, splice

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="the fork server is Linux only"),
    pytest.mark.xdist_group("workers"),
]

GIB = 1024**3


def try_past_the_limit(fd_in: int, fd_out: int) -> None:
    """A judge's entry point for these tests: its memory limit, and whether allocating that
    much more is refused (a judge already holds hundreds of MB)."""
    limit = resource.getrlimit(resource.RLIMIT_DATA)[0]
    try:
        hog = bytearray(2 * GIB)
        refused = False
        del hog
    except MemoryError:
        refused = True
    write_json(fd_out, {"limit": limit, "refused": refused})


def _reap(pid: int, *fds: int) -> None:
    for fd in fds:
        os.close(fd)
    os.waitpid(pid, 0)


def test_a_forked_judge_cannot_allocate_past_its_limit():
    assert fork_server() is not None
    judge = fork_judge("tests.test_judge_memory:try_past_the_limit", memory_bytes=2 * GIB)
    assert judge is not None
    pid, to_judge, from_judge = judge
    try:
        assert read_json(from_judge) == {"limit": 2 * GIB, "refused": True}
    finally:
        _reap(pid, to_judge, from_judge)


def _data_limit(pid: int, timeout: float = 60.0) -> int | None:
    """The soft ``RLIMIT_DATA`` of a process once it has set one (None: unlimited)."""
    deadline = time.monotonic() + timeout
    while True:
        with open(f"/proc/{pid}/limits") as limits:
            line = next(row for row in limits if row.startswith("Max data size"))
        soft = line.split()[3]
        if soft != "unlimited" or time.monotonic() > deadline:
            return None if soft == "unlimited" else int(soft)
        time.sleep(0.05)


def test_the_second_judge_and_the_workers_run_under_the_runs_limit():
    limits = Limits(judge_memory_bytes=3 * GIB)
    second = SecondJudge.start(limits)
    assert second is not None
    try:
        assert _data_limit(second.pid) == 3 * GIB
    finally:
        second.close()
    workers = ForkedWorkers.start(1, "tests.test_batch_workers:serve_test_worker", ("getpid", ()))
    assert workers is not None
    try:
        pid = workers.submit(os.getpid).result(60)
        assert _data_limit(pid) == JUDGE_MEMORY_BYTES  # the default
    finally:
        workers.shutdown(wait=False, cancel_futures=True)


def test_the_commands_judge_runs_under_the_default_limit(tmp_path):
    """``grade`` hands its grading to a judge forked from the fork server: a child of the
    command (adopted), under the default limit, while the command's other child, the fork
    server, has none (its runners have their own)."""
    submission = tmp_path / "tensors.py"
    submission.write_text("import time\ntime.sleep(20)\n")  # holds the judge at the import
    command = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", str(submission)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        found: dict[int, int | None] = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and JUDGE_MEMORY_BYTES not in found.values():
            for pid in _children(command.pid):
                found[pid] = _data_limit(pid, timeout=0)
            time.sleep(0.2)
        assert JUDGE_MEMORY_BYTES in found.values(), found
        assert None in found.values(), found  # the fork server
    finally:
        command.kill()
        command.wait()


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def _vm_data(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(row for row in status if row.startswith("VmData"))
    return int(line.split()[1]) * 1024


# 240 MB of float32: within the wire format's limit on an answer (256 MiB), and twice that
# (the answer read, then its tensor) well past a worker's limit in this test.
BIG_ANSWER = (
    "import torch\n\ndef gather(input, dim, index):\n    return torch.zeros(60 * 1024 * 1024)\n"
)


@pytest.mark.slow
def test_an_answer_past_a_workers_limit_fails_its_checks_and_the_batch_goes_on(tmp_path):
    """A worker judge starts with what the fork server holds (torch imported); grading
    adds about 100 MB.  Under a limit 400 MB above that, honest checks pass and the
    answers of 240 MB each fail their check, with the reason."""
    server = fork_server()
    assert server is not None
    server.layers()  # answered once its prelude is done: torch imported (else run alone, the
    # test measured the server before its imports, and the limit starved the worker)
    limit = _vm_data(server.pid) + 400 * 1024**2
    folder = tmp_path / "big"
    folder.mkdir()
    tensors = (SOLUTIONS / "tensors.py").read_text()
    (folder / "tensors.py").write_text(splice(tensors, BIG_ANSWER))
    config = GradingConfig.from_environment(limits=Limits(judge_memory_bytes=limit))
    (result,) = grade_class({"big": folder}, ["tensors"], config=config, timeout=600)
    assert result.error is None, result.error
    totals = by_function(result.results)
    assert totals["gather"][0] == 0, totals
    assert all(score == total for name, (score, total) in totals.items() if name != "gather")
    said = [r.feedback for r in result.results if r.function == "gather" and not r.passed]
    assert any("too large for the judge's memory limit" in text for text in said), said
