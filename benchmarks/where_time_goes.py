"""`make bench PROFILE=1` (`bench.py --profile`): where a first grading's time goes.

Three measurements, each printed as a small table:

1. The whole command, as a student or CI runs it (`autograder grade` of the reference
   solutions, fresh process, fresh transcript folder), its process tree sampled every few
   milliseconds from /proc: the CPU-seconds of each kind of process (the command, the fork
   servers, the judges, the runners), the runners started, and how much of the machine's
   cores stood idle (cores x wall - CPU), before the first runner and after.
2. One runner's life, step by step, median of several (:func:`runner_steps`): the fork
   server's clone of a runner into its namespaces (request to pid), sealing up to the first
   answer, importing a submission in it, and its exit (kill to reaped).
3. The judge's own view, grading the same submission in this process on one core
   (``grade_path(parallel=False)``), the engine's calls timed where they are made
   (:class:`JudgeProfile`): the time the judge waited for a runner to be started and to
   import the submission, waited for answers, and spent on its own work (hypothesis, the
   reference, comparing); hypothesis's examples per check and the share of the checks'
   time spent in them.

All of it is measurement only: nothing here changes what is graded.
"""

from __future__ import annotations

import collections
import contextlib
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TICKS = os.sysconf("SC_CLK_TCK")


# -- 1. the whole command's process tree -----------------------------------------------------------
@dataclass
class _Seen:
    """One process of the tree as last sampled."""

    parent: int
    nested: bool  # in a PID namespace of its own: a runner (or what it started)
    cpu: float = 0.0  # its own user + system seconds
    children_cpu: float = 0.0  # of its children it has reaped
    first: float = 0.0
    last: float = 0.0


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent, own CPU seconds, reaped children's CPU seconds) of a process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    own = (int(fields[11]) + int(fields[12])) / _TICKS
    reaped = (int(fields[13]) + int(fields[14])) / _TICKS
    return int(fields[1]), own, reaped


def _nested(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("NSpid:"):
                    return len(line.split()) > 2
    except OSError:
        pass
    return False


def _tree(top: int) -> list[int]:
    """``top`` and every process below it (children of children, from /proc)."""
    found, queue = [], [top]
    while queue:
        pid = queue.pop()
        found.append(pid)
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as handle:
                queue.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


@dataclass
class TreeProfile:
    """What one sampled run of a command came to."""

    wall: float
    cpu_total: float  # every process of the tree, as sampled
    by_role: dict[str, float]
    runners: int
    judges: int
    first_runner: float | None  # seconds from the start to the first runner seen
    cpu_before_first_runner: float
    cores: int
    samples: int

    def idle(self, start: float, end: float, cpu: float) -> float:
        return max(self.cores * (end - start) - cpu, 0.0)


def profile_command(command: list[str], cwd: Path, env: dict[str, str]) -> TreeProfile:
    """Run ``command`` and sample its process tree every ~5 ms until it exits."""
    start = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    seen: dict[int, _Seen] = {}
    first_runner: float | None = None
    cpu_at_first_runner = 0.0
    samples = 0
    while process.poll() is None:
        now = time.monotonic() - start
        for pid in _tree(process.pid):
            stat = _stat(pid)
            if stat is None:
                continue
            entry = seen.get(pid)
            if entry is None:
                entry = seen[pid] = _Seen(stat[0], _nested(pid), first=now)
            entry.parent, entry.cpu, entry.children_cpu, entry.last = stat[0], *stat[1:], now
            if entry.nested and first_runner is None:
                first_runner = now
                cpu_at_first_runner = sum(e.cpu for e in seen.values())
        samples += 1
        time.sleep(0.005)
    _, stderr = process.communicate()
    wall = time.monotonic() - start
    if process.returncode != 0:
        raise SystemExit(f"profiled command failed:\n{stderr.decode()[-2000:]}")
    # A judge: the parent of runners (the probe's middle process has one, so: of two or more).
    parents = collections.Counter(e.parent for e in seen.values() if e.nested)
    judges = {pid for pid, count in parents.items() if count > 1 and pid in seen}
    by_role: dict[str, float] = collections.Counter()
    for pid, entry in seen.items():
        if pid == process.pid:
            role = "command"
        elif entry.nested:
            role = "runners"
        elif pid in judges:
            role = "judges (own work)"
        else:
            role = "fork servers"
        by_role[role] += entry.cpu
    # A runner's CPU after its last sample is missing there but counted in its judge's
    # reaped children's time, which also holds a second judge that the judge reaped.
    reaped = sum(seen[pid].children_cpu for pid in judges)
    reaped -= sum(
        seen[pid].cpu + seen[pid].children_cpu for pid in judges if seen[pid].parent in judges
    )
    by_role["runners"] = max(by_role["runners"], reaped)
    runners = sum(parents[pid] for pid in judges)
    return TreeProfile(
        wall=wall,
        cpu_total=sum(by_role.values()),
        by_role=dict(by_role),
        runners=runners,
        judges=len(judges),
        first_runner=first_runner,
        cpu_before_first_runner=cpu_at_first_runner,
        cores=os.cpu_count() or 1,
        samples=samples,
    )


# -- 2. one runner's life --------------------------------------------------------------------------
def runner_steps(submission: Path, count: int = 15) -> dict[str, float]:
    """Median milliseconds of each step of a sealed runner's life, over ``count`` runners.

    fork: the fork server's answer to a spawn request (its clone into the namespaces);
    seal: from then to the first answer (adoption, the empty root, Landlock, the filter);
    import: loading ``submission`` in it (its import, torch already there);
    exit: from the kill to the runner reaped (the kernel freeing its copy of torch);
    cpu: the CPU time of the whole life, the fork server's share (and a middle process's,
    where one is used) included (what a busy machine cannot overlap).
    """
    from autograder.engine import bytecode
    from autograder.engine import fork_server as server_module
    from autograder.engine.sandbox import Limits, RunnerProcess

    steps: dict[str, list[float]] = {"fork": [], "seal": [], "import": [], "exit": []}
    server = server_module.fork_server()
    spawn = server_module.ForkServer.spawn

    def timed_spawn(self: Any, *args: Any, **kwargs: Any) -> int:
        begin = time.perf_counter()
        try:
            return spawn(self, *args, **kwargs)
        finally:
            steps["fork"].append(time.perf_counter() - begin)

    with RunnerProcess(Limits()) as warm:  # the fork server's own start is not a runner's
        warm.request({"op": "ping"}, 60)
    compiled = bytecode.compiled(submission)  # once, by the judge (as ModuleSession does)
    server_module.ForkServer.spawn = timed_spawn  # type: ignore[method-assign]
    cpu_before = _tree_cpu(server.pid if server else None)
    try:
        for _ in range(count):
            runner = RunnerProcess(Limits())
            spawned = time.perf_counter()
            runner.request({"op": "ping"}, 60)
            sealed = time.perf_counter()
            steps["seal"].append(sealed - spawned)
            inside = runner.place_file(submission, submission.name, compiled)
            runner.request({"op": "load", "path": inside, "module": submission.stem}, 60)
            steps["import"].append(time.perf_counter() - sealed)
            stopping = time.perf_counter()
            runner.close()
            steps["exit"].append(time.perf_counter() - stopping)
    finally:
        server_module.ForkServer.spawn = spawn  # type: ignore[method-assign]
    cpu = (_tree_cpu(server.pid if server else None) - cpu_before) / count
    medians = {step: 1000 * statistics.median(times) for step, times in steps.items()}
    return {**medians, "cpu": 1000 * cpu}


def _tree_cpu(server: int | None) -> float:
    """CPU seconds of the fork server (with the middle processes it reaped) and of this
    process's reaped children (the runners)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    stat = _stat(server) if server is not None else None
    return usage.ru_utime + usage.ru_stime + (stat[1] + stat[2] if stat else 0.0)


# -- 3. the judge's own view -----------------------------------------------------------------------
@dataclass
class CheckTiming:
    check_id: str
    seconds: float = 0.0
    runner_wait: float = 0.0  # waiting for answers (the runner computing, the pipes)
    examples: int = 0
    in_properties: float = 0.0  # inside hypothesis's properties (generation and bodies)


@dataclass
class JudgeProfile:
    """The judge's calls into the engine, timed (see :func:`profile_judge`)."""

    checks: list[CheckTiming] = field(default_factory=list)
    runners_started: int = 0
    runners_prepared: int = 0  # of those, started ahead in the background
    # Seconds the judge waited, by kind, in all: "answers", "spawn" (a runner's fork, if it
    # was not started ahead), "load" (spawn, then sealing and importing the submission).
    waits: collections.Counter[str] = field(default_factory=collections.Counter)
    wall: float = 0.0
    _current: CheckTiming | None = None

    @property
    def check_seconds(self) -> float:
        return sum(c.seconds for c in self.checks)

    def add_wait(self, kind: str, seconds: float) -> None:
        self.waits[kind] += seconds
        if kind == "answers" and self._current is not None:
            self._current.runner_wait += seconds


@contextlib.contextmanager
def _patched(owner: Any, name: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]):
    original = getattr(owner, name)
    setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def _timing(profile: JudgeProfile, kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            begin = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                profile.add_wait(kind, time.perf_counter() - begin)

        return timed

    return wrap


@contextlib.contextmanager
def profile_judge(profile: JudgeProfile) -> Iterator[None]:
    """Time the engine's calls that the judge makes while grading in this process."""
    from autograder.engine import sandbox, session
    from autograder.grading import context, replay

    def counting_init(original: Callable[..., Any]) -> Callable[..., Any]:
        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            profile.runners_started += 1
            ahead = threading.current_thread().name.startswith("spare-runner")
            profile.runners_prepared += ahead
            original(self, *args, **kwargs)

        return init

    def per_check(original: Callable[..., Any]) -> Callable[..., Any]:
        def run_check(self: Any, check: Any, check_id: str, *args: Any, **kwargs: Any) -> None:
            timing = profile._current = CheckTiming(check_id)
            begin = time.perf_counter()
            try:
                original(self, check, check_id, *args, **kwargs)
            finally:
                timing.seconds = time.perf_counter() - begin
                profile.checks.append(timing)
                profile._current = None

        return run_check

    def counting_examples(original: Callable[..., Any]) -> Callable[..., Any]:
        def generate(self: Any, strategies: Any, max_examples: int, example: Any) -> None:
            timing = profile._current

            def counted(values: Any) -> None:
                if timing is not None:
                    timing.examples += 1
                example(values)

            begin = time.perf_counter()
            try:
                original(self, strategies, max_examples, counted)
            finally:
                if timing is not None:
                    timing.in_properties += time.perf_counter() - begin

        return generate

    with contextlib.ExitStack() as stack:
        patches = [
            (sandbox.RunnerProcess, "__init__", counting_init),
            (session.ModuleSession, "_fresh_runner", _timing(profile, "spawn")),
            (session.ModuleSession, "load", _timing(profile, "load")),
            (sandbox.RunnerProcess, "exchange", _timing(profile, "answers")),
            (sandbox.RunnerProcess, "receive", _timing(profile, "answers")),
            (replay.TranscriptStore, "run_check", per_check),
            (context.CheckContext, "_generate", counting_examples),
        ]
        for owner, name, wrap in patches:
            stack.enter_context(_patched(owner, name, wrap))
        yield


def judge_profile(submission: Path, cache: Path) -> JudgeProfile:
    """Grade ``submission`` in this process on one core, every check live, timed."""
    from autograder.grading.config import GradingConfig
    from autograder.grading.grade import grade_path

    profile = JudgeProfile()
    config = GradingConfig(cache_dir=cache)
    with profile_judge(profile):
        begin = time.perf_counter()
        report = grade_path(submission, config=config, parallel=False)
        profile.wall = time.perf_counter() - begin
    if any(not r.passed and r.assignment in report.files for r in report.results):
        raise SystemExit("the profiled grading did not give full marks")
    return profile


# -- the report ------------------------------------------------------------------------------------
def print_profile(submission: Path, work: Path, autograder: list[str]) -> None:
    """Run the three measurements on ``submission`` and print them."""
    import torch  # noqa: F401 - measured apart below

    env = {**os.environ, "AUTOGRADER_CACHE_DIR": str(work / "cache-profile-command")}
    floor = _import_floor()
    tree = profile_command([*autograder, "grade", str(submission), "--format", "json"], work, env)
    print(f"\n1. `autograder grade` of {submission.name}, first grading, process tree sampled")
    print(
        f"   wall {tree.wall:.2f} s ({tree.wall / floor:.1f}x `python -c 'import torch'` = "
        f"{floor:.2f} s, measured just before); {tree.samples} samples"
    )
    print(
        f"   CPU {tree.cpu_total:.2f} s in all on {tree.cores} cores; idle core-seconds "
        f"{tree.idle(0, tree.wall, tree.cpu_total):.2f}"
    )
    if tree.first_runner is not None:
        before, cpu_before = tree.first_runner, tree.cpu_before_first_runner
        idle_before = tree.idle(0, before, cpu_before)
        idle_after = tree.idle(before, tree.wall, tree.cpu_total - cpu_before)
        print(
            f"   first runner after {before:.2f} s (CPU until then {cpu_before:.2f} s, idle "
            f"{idle_before:.2f} core-s); after it: idle {idle_after:.2f} core-s"
        )
    print(f"   runners started {tree.runners}, judges {tree.judges}")
    for role, cpu in sorted(tree.by_role.items(), key=lambda item: -item[1]):
        print(f"   {role:<20} {cpu:6.2f} CPU-s")

    from autograder.engine.fork_server import fork_server

    steps = runner_steps(ROOT_SOLUTIONS / "cnn.py")
    server = fork_server()
    huge = server.layers().get("huge_pages", 0) if server is not None else 0
    print(
        "\n2. one sealed runner's life (median of 15, ms; the fork server holds "
        f"{huge / (1 << 20):.0f} MiB in huge pages)"
    )
    for step, ms in steps.items():
        print(f"   {step:<8} {ms:7.1f}")

    profile = judge_profile(submission, work / "cache-profile-judge")
    checks = profile.checks
    waits = profile.waits
    examples = sum(c.examples for c in checks)
    in_properties = sum(c.in_properties for c in checks)
    with_examples = [c for c in checks if c.examples]
    own = profile.wall - waits["answers"] - waits["load"]
    print(
        f"\n3. the judge alone, every check live, one core: {profile.wall:.2f} s, "
        f"{len(checks)} checks, {profile.runners_started} runners "
        f"({profile.runners_prepared} started ahead)"
    )
    print(f"   waiting for a runner: its fork             {waits['spawn']:6.2f} s")
    print(f"   ... and its sealing and import            {waits['load'] - waits['spawn']:6.2f} s")
    print(f"   waiting for answers                        {waits['answers']:6.2f} s")
    print(f"   the judge's own work                       {own:6.2f} s")
    print(
        f"   hypothesis: {examples} examples in {len(with_examples)} checks "
        f"({examples / max(len(with_examples), 1):.1f} per check), "
        f"{in_properties:.2f} s = {100 * in_properties / max(profile.check_seconds, 1e-9):.0f} % "
        f"of the checks' time"
    )
    by_assignment: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for check in checks:
        row = by_assignment[check.check_id.split(".")[0]]
        row[0] += check.seconds
        row[1] += check.runner_wait
        row[2] += check.in_properties
        row[3] += check.examples
    print(f"   {'assignment':<20} {'checks s':>8} {'answers s':>9} {'props s':>8} {'examples':>8}")
    for name, (seconds, waited, props, count) in by_assignment.items():
        print(f"   {name:<20} {seconds:8.2f} {waited:9.2f} {props:8.2f} {int(count):8d}")
    slowest = sorted(checks, key=lambda c: -c.seconds)[:8]
    print("   slowest checks: " + ", ".join(f"{c.check_id} {c.seconds:.2f} s" for c in slowest))


ROOT_SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def _import_floor() -> float:
    begin = time.monotonic()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    return time.monotonic() - begin
