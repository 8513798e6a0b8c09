"""`make bench`: how fast and how lean grading is, next to nbgrader on the same content.

Prints a table (issue 34's rows, and issue 31's ratio):
- first gradings, in turns (:func:`side_by_side`), medians of ``--runs`` (3) each:
  ``autograder grade`` of a folder holding every assignment's reference solution, in a
  fresh process (torch imported from scratch) with a fresh transcript folder (every check
  live); the same for the first nine assignments only (the course before issue 31);
  ``python -c "import torch"``, the floor any first grading pays; nbgrader autograde of
  the release notebooks filled with the solutions (one process, every assignment, as an
  instructor runs it).  The ratios (ours / the import floor, all / the first nine) are
  each turn's, then their median: the machine's drift hits both sides of a ratio alike;
- a later grading, the transcripts of earlier gradings on disk (passing checks replayed,
  see autograder/grading/replay.py);
- per-submission cost in a batch of 20: `autograder grade-batch --jobs 2` over 20 copies,
  starting with no transcripts, minus the cold first-grading time, divided by 19 (this
  charges the batch's start-up beyond one cold grading to the 19 others);
- the same for the first nine assignments alone (issue 34's table measured the course when it
  had nine): 20 copies of their solutions, ``--assignment`` each, against the first grading of
  the nine;
- the marginal cost of a submission: a batch of 40 copies minus the batch of 20, over 20;
- the same for a mixed class: 20 different submissions, each with realistic mistakes
  (the mutants of tests/mutants) in some assignments and other correct variants elsewhere;
- the ratio nbgrader / autograder (cold, same content), for both cold measures;
- peak memory of the whole grading (judge, fork server and runners): the largest sum of
  proportional set sizes of the process tree, sampled every 20 ms, in separate runs (reading
  /proc/PID/smaps_rollup that often slows the grading down, so timed runs are not sampled);
- the start of one sealed runner.

The header states the machine and its load average before and after (other jobs make the
absolute times, not the paired ratios, drift).  ``--profile`` instead says where a first
grading's time goes (benchmarks/where_time_goes.py).  Targets: issue 34 and issue 31.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.grading.registry import ASSIGNMENT_NAMES  # noqa: E402

AUTOGRADER = [sys.executable, "-m", "autograder.cli"]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            direct = [int(p) for p in handle.read().split()]
    except OSError:
        return []
    return direct + [grandchild for child in direct for grandchild in _children(child)]


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(
    command: list[str], cwd: Path, cache: Path | None = None, sample_memory: bool = False
) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a command; return (wall seconds, peak PSS of its process tree in MiB, result).

    ``cache`` is the folder where grading keeps its transcripts (a fresh one: none yet).
    The peak is 0 unless ``sample_memory``: sampling costs the grading time.
    """
    env = dict(os.environ)
    if cache is not None:
        env["AUTOGRADER_CACHE_DIR"] = str(cache)
    peak = 0
    start = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            tree = [process.pid, *_children(process.pid)]
            # Runners live under the fork server, which is a child of the judge.
            peak = max(peak, sum(_pss_kib(pid) for pid in tree))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True) if sample_memory else None
    if sampler is not None:
        sampler.start()
    stdout, stderr = process.communicate()
    wall = time.monotonic() - start
    done.set()
    if sampler is not None:
        sampler.join()
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    return wall, peak / 1024, result


def full_submission(folder: Path, names: list[str] | None = None) -> Path:
    """A submission folder holding the reference solution of each of ``names`` (default:
    every assignment)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ASSIGNMENT_NAMES if names is None else names:
        shutil.copy(ROOT / "solutions" / f"{name}.py", folder / f"{name}.py")
    return folder


# The course before issue 31: its first nine assignments (issue 31's speed goal compares
# grading all of them with grading these, from cold, in one paired run).
FIRST_NINE = ASSIGNMENT_NAMES[:9]


@dataclass
class SideBySide:
    """Medians of the runs taken in turns (:func:`side_by_side`); None where not measured."""

    first: float
    nine: float
    floor: float
    first_over_floor: float  # median of each turn's ratio
    all_over_nine: float  # median of each turn's ratio
    nbgrader: float | None
    note: str
    baseline: float | None


def import_floor() -> float:
    """Wall seconds of ``python -c "import torch"``: what any first grading pays at least."""
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    return time.monotonic() - start


def side_by_side(work: Path, runs: int, baseline: Path | None = None) -> SideBySide:
    """First gradings, the import floor and nbgrader's autograde: medians of ``runs`` each,
    taken in turns.

    In each turn: our first grading of every assignment's solution, of the first nine's
    only (what the course was before issue 31), ``python -c "import torch"``, nbgrader's
    autograde (then a checkout of an earlier commit, ``baseline``); each grading in a fresh
    process with a fresh transcript folder.  The machine's drift (other jobs, CPU
    frequency) falls on all alike, and the ratios are taken within a turn.
    """
    submission = full_submission(work / "single")
    nine = full_submission(work / "nine", list(FIRST_NINE))
    command = [*AUTOGRADER, "grade", str(submission), "--format", "json"]
    nine_command = [*AUTOGRADER, "grade", str(nine), "--format", "json"]
    try:
        db_url: str | None = prepare_nbgrader_course(work / "course")
        note = f"median of {runs} runs"
    except Exception as error:  # noqa: BLE001 - report, do not crash the bench
        db_url, note = None, f"could not prepare the nbgrader course: {error}"
    ours, nines, floors, theirs, before = [], [], [], [], []
    for run in range(runs):
        wall, _, result = run_measured(command, ROOT, cache=work / f"cache-first-{run}")
        _succeeded(result)
        ours.append(wall)
        wall, _, result = run_measured(nine_command, ROOT, cache=work / f"cache-nine-{run}")
        _succeeded(result, allow_missing=True)
        nines.append(wall)
        floors.append(import_floor())
        if baseline is not None:  # `python -m` imports the package of its folder
            wall, _, result = run_measured(command, baseline, cache=work / f"cache-base-{run}")
            _succeeded(result)
            before.append(wall)
        if db_url is not None:
            wall, error = run_nbgrader(work / "course", db_url)
            if error is not None:
                db_url, note = None, error
            else:
                theirs.append(wall)
    return SideBySide(
        first=statistics.median(ours),
        nine=statistics.median(nines),
        floor=statistics.median(floors),
        first_over_floor=statistics.median(o / f for o, f in zip(ours, floors)),
        all_over_nine=statistics.median(o / n for o, n in zip(ours, nines)),
        nbgrader=statistics.median(theirs) if db_url is not None else None,
        note=note,
        baseline=statistics.median(before) if before else None,
    )


def bench_kept(work: Path, runs: int) -> tuple[float, float]:
    """(grading with kept transcripts, peak MiB): median of ``runs``; the peak is the larger
    of one sampled run of each kind (a first grading, a grading with transcripts kept)."""
    submission = full_submission(work / "single")
    command = [*AUTOGRADER, "grade", str(submission), "--format", "json"]
    kept = work / "cache-kept"
    _succeeded(run_measured(command, ROOT, cache=kept)[2])  # keeps the transcripts
    later = []
    for _ in range(runs):
        wall, _, result = run_measured(command, ROOT, cache=kept)
        _succeeded(result)
        later.append(wall)
    peaks = []
    for cache in (work / "cache-sampled", kept):
        _, peak, result = run_measured(command, ROOT, cache=cache, sample_memory=True)
        _succeeded(result)
        peaks.append(peak)
    return statistics.median(later), max(peaks)


def _succeeded(result: subprocess.CompletedProcess, allow_missing: bool = False) -> None:
    """Stop the bench unless the grading succeeded (``allow_missing``: a submission without
    some assignments, whose grading exits 1 for the points they lose)."""
    if result.returncode != 0 and not (allow_missing and result.returncode == 1):
        raise SystemExit(f"grading failed:\n{result.stderr[-2000:]}")


def mixed_class(folder: Path, size: int) -> Path:
    """``size`` different students: a realistic mistake (a mutant of tests/mutants) in about
    a third of their assignments, another correct way of writing it in some of the rest."""
    from tests.gradelib import correct_files, mutant_files, splice

    for student in range(size):
        target = folder / f"student{student:02d}"
        target.mkdir(parents=True)
        for position, name in enumerate(ASSIGNMENT_NAMES):
            source = (ROOT / "solutions" / f"{name}.py").read_text()
            mutants, variants = mutant_files(name), correct_files(name)
            if (student + position) % 3 == 0 and mutants:
                pick = mutants[(student * 7 + position) % len(mutants)]
                source = splice(source, pick.read_text())
            elif (student + position) % 3 == 1 and variants:
                source = splice(source, variants[student % len(variants)].read_text())
            (target / f"{name}.py").write_text(source)
    return folder


def grade_batch(
    work: Path, folder: Path, assignments: list[str] | None = None
) -> tuple[float | None, str]:
    """Wall seconds of ``grade-batch --jobs 2`` over ``folder`` (of ``assignments``; default:
    every one), starting with no transcripts."""
    out = work / f"out-{folder.name}"
    chosen = [option for name in assignments or () for option in ("--assignment", name)]
    wall, _, result = run_measured(
        [
            *AUTOGRADER,
            "grade-batch",
            str(folder),
            "--jobs",
            "2",
            "--output-dir",
            str(out),
            *chosen,
        ],
        ROOT,
        cache=work / f"cache-{folder.name}",
    )
    if result.returncode != 0:
        return None, f"grade-batch failed: {result.stderr[-500:]}"
    return wall, f"{len(list(folder.iterdir()))} submissions in {wall:.1f} s"


def per_additional(wall: float | None, cold: float, size: int) -> float | None:
    """(wall - cold) / (size - 1): what each submission after the first added."""
    return None if wall is None else (wall - cold) / (size - 1)


def prepare_nbgrader_course(course: Path) -> str:
    """A course directory with the release built and one student, every notebook solved."""
    import nbformat

    from autograder.release.build import build_release

    course.mkdir(parents=True)
    db_url = f"sqlite:///{course}/gradebook.db"
    build_release(ROOT, course, db_url=db_url)
    for name in ASSIGNMENT_NAMES:
        source = nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)
        answers = {
            cell.metadata["nbgrader"]["grade_id"]: cell.source
            for cell in source.cells
            if cell.metadata.get("nbgrader", {}).get("solution")
        }
        student = nbformat.read(ROOT / "release" / name / f"{name}.ipynb", as_version=4)
        for cell in student.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        folder = course / "submitted" / "student" / name
        folder.mkdir(parents=True)
        nbformat.write(student, folder / f"{name}.ipynb")
    return db_url


def run_nbgrader_autograde(course: Path, db_url: str) -> None:
    """In a fresh process: nbgrader autograde of every assignment, like an instructor would."""
    from autograder.release.student import course_api, tools_on_path

    with tools_on_path():
        api = course_api(course, db_url=db_url, Execute={"timeout": 600})
        for name in ASSIGNMENT_NAMES:
            result = api.autograde(name, "student", force=True)
            if not result["success"]:
                raise SystemExit(f"nbgrader autograde failed for {name}: {result.get('log')}")


def run_nbgrader(course: Path, db_url: str) -> tuple[float, str | None]:
    """(wall seconds, error or None) of one nbgrader autograde, in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the kernels import this checkout
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, __file__, "--nbgrader-autograde", str(course), db_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - start
    if result.returncode != 0:
        return wall, f"nbgrader autograde failed: {result.stderr[-500:]}"
    return wall, None


RUNNER_STARTS = 30


def runner_start_ms(count: int = RUNNER_STARTS) -> tuple[float, list[str]]:
    """Median milliseconds from asking for a sealed runner to its first answer, and the layers.

    What the sandbox costs per runner: the fork server's clone into the namespaces, the
    empty root's mounts, Landlock, the keyring and the syscall filter, then one round trip.
    """
    from autograder.engine.sandbox import Limits, RunnerProcess, sandbox_layers

    layers = sandbox_layers().layers
    with RunnerProcess(Limits()) as warm:  # the fork server's own start is not a runner's
        warm.request({"op": "ping"}, 60)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        with RunnerProcess(Limits()) as runner:
            runner.request({"op": "ping"}, 60)
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times), list(layers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of an earlier commit: its first grading is timed in turns with ours "
        "(what a change costs, e.g. the sealed sandbox against 67ff80c)",
    )
    parser.add_argument(
        "--nbgrader-autograde", nargs=2, metavar=("COURSE", "DB_URL"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--sandbox-only",
        action="store_true",
        help="only the cost of starting one sealed runner (median of 30), with its layers",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="only where a first grading's time goes (benchmarks/where_time_goes.py)",
    )
    args = parser.parse_args()
    if args.profile:
        from where_time_goes import print_profile

        with tempfile.TemporaryDirectory(prefix="autograder-profile-") as folder:
            work = Path(folder)
            print_profile(full_submission(work / "single"), work, AUTOGRADER)
        return
    if args.sandbox_only:
        median, layers = runner_start_ms()
        print(f"sealed runner, request to first answer: {median:.1f} ms (median of 30)")
        print(f"layers: {', '.join(layers)}")
        return
    if args.nbgrader_autograde:
        run_nbgrader_autograde(Path(args.nbgrader_autograde[0]), args.nbgrader_autograde[1])
        return
    size = 20
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="autograder-bench-") as folder:
        work = Path(folder)
        paired = side_by_side(work, args.runs, args.baseline)
        cold, nbgrader = paired.first, paired.nbgrader
        kept, peak = bench_kept(work, args.runs)
        copies, more_copies = work / "copies", work / "copies40"
        for index in range(size):
            full_submission(copies / f"student{index:02d}")
        for index in range(2 * size):
            full_submission(more_copies / f"student{index:02d}")
        wall, copies_note = grade_batch(work, copies)
        per_copy = per_additional(wall, cold, size)
        wall_more, marginal_note = grade_batch(work, more_copies)
        marginal = None if None in (wall, wall_more) else (wall_more - wall) / size
        wall_mixed, mixed_note = grade_batch(work, mixed_class(work / "mixed", size))
        per_mixed = per_additional(wall_mixed, cold, size)
        # Issue 34's own rows graded the course's first nine assignments: the same batch of 20
        # copies of their solutions, against the first grading of the nine.
        nine_copies = work / "copies-nine"
        for index in range(size):
            full_submission(nine_copies / f"student{index:02d}", list(FIRST_NINE))
        wall_nine, nine_note = grade_batch(work, nine_copies, list(FIRST_NINE))
        per_nine = per_additional(wall_nine, paired.nine, size)
    runner_ms, _layers = runner_start_ms()

    def seconds(value: float | None, note: str) -> str:
        return f"{value:.2f} s" if value is not None else f"n/a ({note})"

    def ratio(ours: float) -> str:
        return f"{nbgrader / ours:.1f}x" if nbgrader is not None else "n/a"

    count = len(ASSIGNMENT_NAMES)
    rows = [
        (
            'import floor, `python -c "import torch"` (in turns with the next rows)',
            f"{paired.floor:.2f} s",
            "",
        ),
        (
            f"first grading of the {count} solutions, fresh process and transcript folder",
            f"{cold:.2f} s",
            "",
        ),
        (
            "  the same / the import floor (each turn's ratio)",
            f"{paired.first_over_floor:.2f}x",
            "<= 2x (issue 34)",
        ),
        (
            "first grading of the first nine assignments' solutions (in turns)",
            f"{paired.nine:.2f} s",
            "",
        ),
        (
            f"  all {count} / the first nine (each turn's ratio)",
            f"{paired.all_over_nine:.2f}x",
            "<= 1.6x (issue 31)",
        ),
        ("later grading, transcripts kept", f"{kept:.2f} s", ""),
        (
            "per additional submission, batch of 20 copies (--jobs 2)",
            seconds(per_copy, copies_note),
            "<= 0.5 s",
        ),
        (
            "  the same, the first nine assignments only (issue 34's measure)",
            seconds(per_nine, nine_note),
            "<= 0.5 s",
        ),
        (
            "marginal submission, (batch of 40 - batch of 20) / 20",
            seconds(marginal, marginal_note),
            "<= 0.4 s",
        ),
        (
            "per additional submission, mixed class of 20",
            seconds(per_mixed, mixed_note),
            "<= 0.7 s",
        ),
        ("nbgrader autograde, same content", seconds(nbgrader, paired.note), ""),
        ("ratio nbgrader / autograder, first grading", ratio(cold), ">= 20x"),
        ("ratio nbgrader / autograder, transcripts kept", ratio(kept), ""),
        ("peak memory of the whole grading (summed PSS)", f"{peak:.0f} MiB", "<= 1024 MiB"),
        ("sealed runner, request to first answer (median of 30)", f"{runner_ms:.1f} ms", ""),
    ]
    before = paired.baseline
    if before is not None:
        change = f"{before:.2f} s -> {cold:.2f} s ({100 * (cold / before - 1):+.0f} %)"
        rows.append(("first grading, baseline checkout -> this one", change, "<= +15 %"))
    load = "/".join(f"{value:.1f}" for value in (*load_before, *os.getloadavg()))
    print(
        f"Benchmark on {platform.node()} ({os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}), {time.strftime('%Y-%m-%d %H:%M')}, load "
        f"average (1, 5, 15 min) before/after {load}, assignments: {', '.join(ASSIGNMENT_NAMES)}"
    )
    width = max(len(row[0]) for row in rows)
    print(f"{'measure':<{width}}  {'value':>28}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>28}  {target}")


if __name__ == "__main__":
    main()
