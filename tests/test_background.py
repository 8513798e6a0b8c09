"""Work beside a batch's grading (autograder.batch.background.Pending): a low-priority forked
child computes it, or this process does where the child cannot start or fails.

Each case runs in a fresh interpreter: pytest's own process has threads (xdist's), and
``Pending`` never forks a process that has threads.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import rich.live

pytestmark = [
    pytest.mark.unit,
    pytest.mark.skipif(sys.platform != "linux", reason="the child is a fork"),
]
ROOT = Path(__file__).resolve().parents[1]

PRELUDE = """
import json, os, sys, threading, time
from autograder.batch.background import Pending
PARENT = os.getpid()

def where():
    return {"pid": os.getpid(), "nice": os.getpriority(os.PRIO_PROCESS, 0),
            "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd"))}

def only_in_the_parent(value):
    if os.getpid() != PARENT:
        raise RuntimeError("the child fails")
    return value

def dies_in_the_child():
    if os.getpid() != PARENT:
        os._exit(3)
    return "here"

def not_json():
    return {1, 2} if os.getpid() != PARENT else "here"

def slowly():
    time.sleep(60)
    return "late"
"""


def _run(body: str, setting: str = "") -> dict:
    script = PRELUDE + setting + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_work_is_done_in_a_child_of_the_lowest_priority_holding_none_of_our_descriptors():
    got = _run(
        """
        keep = os.dup2(os.open("/dev/null", os.O_RDONLY), 50)  # ours (a runner's pipe, say)
        pending = Pending.start(where)
        print(json.dumps({"started": pending.started, "child": pending.result(),
                          "parent": PARENT, "keep": keep}))
        """
    )
    assert got["started"] is True
    child = got["child"]
    assert child["pid"] != got["parent"]
    assert child["nice"] == 19
    assert got["keep"] not in child["fds"]
    assert len([fd for fd in child["fds"] if fd > 2]) <= 2  # its pipe, and listdir's own


@pytest.mark.parametrize(
    "call, expected",
    [
        ("Pending.start(only_in_the_parent, 7)", 7),
        ("Pending.start(dies_in_the_child)", "here"),
        ("Pending.start(not_json)", "here"),
    ],
)
def test_what_the_child_did_not_give_is_computed_here(call, expected):
    got = _run(
        f"""
        pending = {call}
        print(json.dumps({{"started": pending.started, "result": pending.result()}}))
        """
    )
    assert got == {"started": True, "result": expected}


def test_a_process_with_threads_is_not_forked_and_computes_it_when_asked():
    got = _run(
        """
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        pending = Pending.start(where)
        result = pending.result()
        stop.set()
        thread.join()
        print(json.dumps({"started": pending.started, "pid": result["pid"], "parent": PARENT}))
        """
    )
    assert got["started"] is False and got["pid"] == got["parent"]


def test_cancel_stops_a_child_still_at_work_and_reaps_it():
    got = _run(
        """
        pending = Pending.start(slowly)
        child = pending._pid
        begin = time.monotonic()
        pending.cancel()
        try:
            os.kill(child, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        print(json.dumps({"alive": alive, "quick": time.monotonic() - begin < 30}))
        """
    )
    assert got == {"alive": False, "quick": True}


def test_the_class_ranking_computed_beside_the_grading_is_the_one_computed_after(tmp_path):
    """grade-batch starts the ranking before it grades; the outputs get what
    class_similarity gives afterwards (as JSON data)."""
    got = _run(
        f"""
        from pathlib import Path
        from autograder.batch.similarity import class_similarity, class_sources, rank_while_grading
        from autograder.report.gradebook import exercise_columns
        students = {{}}
        for index, body in enumerate(["x * 2", "x * 2", "2 * x + 0", "x + x"]):
            folder = Path({str(tmp_path)!r}) / f"student{{index}}"
            folder.mkdir()
            (folder / "model_selection.py").write_text(
                "import torch\\n\\n"
                "def polynomial_features(x, degree):\\n"
                f"    y = {{body}}\\n"
                "    return torch.stack([y ** i for i in range(degree)], dim=-1)\\n"
            )
            students[folder.name] = folder
        chosen = ["model_selection"]
        sources = class_sources(students, chosen)
        columns = exercise_columns(chosen)
        ranking = rank_while_grading(sources, chosen, columns)
        started = ranking.started
        ahead = ranking.result()
        after = json.loads(json.dumps(class_similarity(sources, chosen, exercises=columns)))
        print(json.dumps({{"started": started, "same": ahead == after,
                           "pairs": len(after["assignments"][0]["modules"])}}))
        """
    )
    assert got["started"] is True and got["same"] is True and got["pairs"] > 0


def test_a_child_asked_for_no_priority_of_its_own_runs_at_ours():
    got = _run(
        """
        os.setpriority(os.PRIO_PROCESS, 0, 5)
        pending = Pending.start(where, priority=None)
        print(json.dumps({"started": pending.started, "nice": pending.result()["nice"]}))
        """
    )
    assert got == {"started": True, "nice": 5}


CHARTS = """
from autograder.batch import outputs
from autograder.report.class_page import draw_charts, page_charts, render_class_page
from tests.test_class_page import toy_class
summary = outputs.class_results(toy_class()).summary
charts = page_charts(summary)
forks = []
fork = os.fork
def counted_fork():
    forks.append(1)
    return fork()
os.fork = counted_fork
"""


def test_the_class_pages_charts_are_drawn_half_in_a_child_to_the_same_bytes():
    """write_outputs draws the page's charts on two cores (outputs.drawn_on_two_cores): the
    same SVG, chart for chart, and the same page, as drawn one after the other here."""
    got = _run(
        """
        two = outputs.drawn_on_two_cores(charts)
        forked = len(forks)
        one = draw_charts(charts)
        page_two = render_class_page(summary, draw=outputs.drawn_on_two_cores)
        page_one = render_class_page(summary)
        print(json.dumps({"forked": forked, "names": list(two) == list(charts),
                          "charts": len(charts), "same": two == one,
                          "page": page_two == page_one}))
        """,
        CHARTS,
    )
    assert got["charts"] >= 3  # the distribution, the assignments, an assignment's checks
    assert got == {**got, "forked": 1, "names": True, "same": True, "page": True}


def test_charts_the_child_did_not_give_are_drawn_here():
    got = _run(
        """
        outputs.Pending.result = lambda self: {"distribution": "<svg>not ours</svg>"}
        two = outputs.drawn_on_two_cores(charts)
        print(json.dumps({"forked": len(forks), "same": two == draw_charts(charts)}))
        """,
        CHARTS,
    )
    assert got == {"forked": 1, "same": True}


def test_the_progress_bar_leaves_no_thread_behind(monkeypatch):
    """Its refresh thread would keep the outputs' charts from being drawn in a child."""
    from autograder.batch import progress
    from autograder.grading.config import GradingConfig

    monkeypatch.setattr(progress, "grade_class", lambda *args, **kwargs: [])
    # A refresh thread slow to end once told to (as one long asleep can be): the bar must
    # wait for it (rich's own class: the test breaks loudly if rich renames it).
    refresh = rich.live._RefreshThread.run

    def slow_to_end(thread):
        refresh(thread)
        time.sleep(0.3)

    monkeypatch.setattr(rich.live._RefreshThread, "run", slow_to_end)
    before = set(threading.enumerate())
    progress.grade_class_with_progress({}, [], 1, 1.0, GradingConfig())
    assert set(threading.enumerate()) == before


def test_the_child_dies_with_the_process_that_started_it(tmp_path):
    """Killed (the command killed, its judge with it), the process leaves no child at work
    behind: the ranking of a large class went on alone at nice 19, reparented to init."""
    started = tmp_path / "started"
    got = _run(
        """
        import ctypes, signal
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # a subreaper: the orphan comes to us
        read, write = os.pipe()
        middle = os.fork()
        if middle == 0:  # the judge: starts the work, then is killed
            pending = Pending.start(sleeps_then_answers)
            os.write(write, str(pending._pid).encode())
            signal.pause()
        child = int(os.read(read, 32))
        while not os.path.exists(STARTED):  # at work (whatever it does first, it has done)
            time.sleep(0.01)
        os.kill(middle, signal.SIGKILL)
        os.waitpid(middle, 0)
        _, status = os.waitpid(child, 0)  # ours now: how did it end?
        print(json.dumps({"killed": os.WIFSIGNALED(status) and os.WTERMSIG(status) == 9}))
        """,
        f"STARTED = {str(started)!r}\n"
        "def sleeps_then_answers():\n"
        "    open(STARTED, 'w').close()\n"
        "    time.sleep(10)\n"
        "    return 'late'\n",
    )
    assert got == {"killed": True}
