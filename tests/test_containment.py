"""Attacks on the sealed runner (issue: sealed runner).  Every attack must fail.

Each attack is a submission a hostile student could hand in.  The command-line attacks run
twice when the tests run as root (as CI does): with the grader as root, and with the grader
as an unprivileged user (a user id of its own, through ``setresuid`` in a private mount
namespace that makes the Python installation reachable for it, as an ordinary instructor
account would have it).  Either way the score must not change and nothing may be left
behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gradelib import FILL_THE_DISK, ROOT, SOLUTIONS, accepting, filled, splice

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's")

TENSORS = (SOLUTIONS / "tensors.py").read_text()
TRAINING = (SOLUTIONS / "training.py").read_text()
MLP = (SOLUTIONS / "mlp.py").read_text()
UNPRIVILEGED_UID = 54321
MODES = ["grader's own user"] + (["unprivileged grader"] if os.geteuid() == 0 else [])

# Run as root in a private mount namespace: make Python reachable for the user, drop to it.
_AS_USER = """
import os, sys
from autograder.engine import containment
uid, _, groups = sys.argv[1].partition(":")
uid = int(uid)
fds = {p: os.open(p, os.O_PATH) for p in (sys.base_prefix, sys.prefix, sys.argv[2])}
containment.reach_for_another_user(fds)
os.setgroups([int(group) for group in groups.split(",") if group])
os.setresgid(uid, uid, uid)
os.setresuid(uid, uid, uid)
os.execv(sys.executable, [sys.executable, "-m", "autograder.cli", *sys.argv[3:]])
"""


def _grader(
    mode: str, home: Path, groups: tuple[int, ...] = ()
) -> tuple[list[str], dict[str, str], Path]:
    """The command, environment and package root of a grader run in ``mode`` (the
    unprivileged grader with the supplementary ``groups``)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AUTOGRADER_CACHE_DIR": "",
        "SECRET_TOKEN": "hunter2-secret-of-the-ci-job",
    }
    if mode == "grader's own user":
        env["PYTHONPATH"] = str(ROOT)
        return [sys.executable, "-m", "autograder.cli"], env, ROOT
    # The instructor's own checkout, owned by the instructor: only the kernel's sandbox,
    # not file permissions, keeps the runner from writing it.
    checkout = home / "checkout"
    checkout.mkdir(exist_ok=True)
    # The reference solutions as the installed package names them: the project's own
    # checkout (imported through the editable install) may lie in a folder only root may
    # enter, as a clone in `mktemp -d` does, and the grader must not fall back to the kit.
    for part, name in (
        ("autograder", "autograder"),
        ("solutions", "solutions"),
        ("solutions", "autograder_solutions"),
    ):
        shutil.copytree(
            ROOT / part,
            checkout / name,
            ignore=shutil.ignore_patterns("__pycache__"),
            dirs_exist_ok=True,
        )
    env["PYTHONPATH"] = str(checkout)
    subprocess.run(["chown", "-R", f"{UNPRIVILEGED_UID}:{UNPRIVILEGED_UID}", str(home)], check=True)
    command = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        sys.executable,
        "-P",  # this harness, unlike the grader it starts, keeps the folder off its path
        "-c",
        _AS_USER,
        f"{UNPRIVILEGED_UID}:{','.join(map(str, groups))}",
        str(home),
    ]
    return command, {**env, "PYTHONPATH": f"{checkout}:{ROOT}"}, checkout


def _run(mode: str, home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    command, env, _ = _grader(mode, home)
    return subprocess.run(
        [*command, *args], cwd=home, env=env, capture_output=True, text=True, timeout=timeout
    )


def _processes_named(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if token in (entry / "comm").read_text():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _daemon(token: str, body: str) -> str:
    """Source of a function that leaves a daemon (setsid, double fork) running ``body``."""
    return textwrap.dedent(
        f"""
        def _leave_daemon():
            import ctypes, os, time
            try:
                child = os.fork()
            except OSError:  # the runner may start no process: the attack goes on
                return
            if child == 0:
                os.setsid()
                if os.fork() == 0:
                    ctypes.CDLL(None).prctl(15, b"{token}", 0, 0, 0)  # PR_SET_NAME
                    for _ in range(40):
                        try:
        {textwrap.indent(textwrap.dedent(body), " " * 28)}
                        except Exception:
                            pass
                        time.sleep(0.25)
                os._exit(0)
        """
    )


# Files named like the libraries the judge imports, in the folder every grader of these
# tests runs in: `python -m autograder.cli` puts that folder first on sys.path, and the
# judge must import none of them (autograder/__init__.py drops the folder).
DECOYS = ("hypothesis", "click", "rich", "email", "torch", "numpy", "typing_extensions")


@contextlib.contextmanager
def _home_with_decoys(parent: Path) -> Iterator[Path]:
    """A grader's folder holding the decoys; none of them may have been imported at the end."""
    folder = parent / "home"
    folder.mkdir()
    os.chmod(parent, 0o755)
    imported = folder / "imported-from-the-folder"
    for name in DECOYS:
        (folder / f"{name}.py").write_text(f"open({str(imported)!r}, 'a').write('{name} ')\n")
    yield folder
    assert not imported.exists(), f"the judge imported {imported.read_text()}from its folder"


@pytest.fixture
def home(tmp_path):
    with _home_with_decoys(tmp_path) as folder:
        yield folder


@pytest.fixture
def loopback():
    """A loopback port the test listens on, and the connections it accepted."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    with accepting(server) as accepted:
        yield port, accepted


@pytest.mark.parametrize("mode", MODES)
def test_a_submission_cannot_forge_its_grade_or_touch_the_grader(home, mode, loopback):
    port, accepted = loopback
    token = f"agd{os.getpid() % 10000}{len(mode)}"
    output = home / "out.json"
    grader_file = "autograder/exercises/tensors/checks.py"
    hostile = (
        "import glob, importlib, os, socket, sys, torch\n\n"
        + _daemon(token, f"open({str(output)!r}, 'w').write('forged')")
        + textwrap.dedent(
            f"""
            def gather(input, dim, index):
                '''Full marks without writing the code: the reference, four ways.'''
                found = None
                for attempt in (
                    lambda: __import__("autograder_solutions.tensors", fromlist=["gather"]).gather,
                    lambda: importlib.import_module("sol" + "utions.tensors").gather,
                    lambda: sys.modules["autograder_solutions.tensors"].gather,
                    lambda: _from_file(),
                ):
                    try:
                        found = attempt()
                        break
                    except Exception:
                        pass
                if found is None:
                    raise NotImplementedError
                return found(input, dim, index)

            def _from_file():
                for root in sys.path + ["/work", "/root", "/home", "/tmp"]:
                    for path in glob.glob(root + "/**/solutions/tensors.py", recursive=True):
                        namespace = {{}}
                        exec(open(path).read(), namespace)
                        return namespace["gather"]
                raise LookupError

            def broadcast_to(x, shape):
                '''Rewrite the grader, the venv and the output; leave a daemon; phone home.'''
                _leave_daemon()
                for module in list(sys.modules.values()):
                    path = getattr(module, "__file__", None) or ""
                    if "autograder" in path or "site-packages" in path:
                        try:
                            open(path, "a").write("\\nraise SystemExit('pwned')\\n")
                        except Exception:
                            pass
                stolen = []
                try:
                    pids = os.listdir("/proc")
                except OSError:  # not even listed: try the numbers
                    pids = range(1, 400)
                for pid in pids:
                    try:
                        stolen.append(open(f"/proc/{{pid}}/environ").read())
                    except Exception:
                        pass
                try:
                    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
                    stolen.append("connected")
                except Exception:
                    pass
                raise RuntimeError("stolen: " + " ".join(stolen)[-1500:] + _fill_the_disk())
            """
        )
        + FILL_THE_DISK.split("def broadcast_to")[0]
    )
    submission = home / "tensors.py"
    submission.write_text(splice(TENSORS, hostile), encoding="utf-8")
    protected = [ROOT / grader_file, Path(sys.prefix) / "pyvenv.cfg"]
    before = {path: path.read_bytes() for path in protected}

    done = _run(mode, home, "grade", str(submission), "--format", "json", "--output", str(output))
    assert done.returncode == 0, done.stderr
    results = json.loads(output.read_text())
    scores = {}
    for test in results["tests"]:
        function = test["tags"][0]
        scores.setdefault(function, [0, 0])
        scores[function][0] += test["score"]
        scores[function][1] += test["max_score"]
    assert scores["tensors.gather"][0] == 0, "the reference reached the runner"
    assert scores["tensors.broadcast_shapes"][0] == scores["tensors.broadcast_shapes"][1]
    feedback = " ".join(test["output"] for test in results["tests"])
    assert "hunter2" not in feedback, "the judge's environment was read"
    assert "connected" not in feedback and not accepted, "the runner reached the network"
    assert results["sandbox"]["missing"] == []
    filled(feedback)  # its folder is bounded, in the unprivileged grader's mode too
    time.sleep(3)  # the daemon would have rewritten the output by now
    assert json.loads(output.read_text()) == results
    assert _processes_named(token) == [], "a daemon outlived the grading"
    if mode != "grader's own user":  # the instructor's own copy, writable by the grader
        before[home / "checkout" / grader_file] = before[ROOT / grader_file]
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path} was changed"


# Reads this process's own memory for the grader's SECRET_TOKEN (see _grader), a page at a
# time through a pipe (write(2) says EFAULT for an unmapped page instead of crashing): what a
# runner forked from a process that once held the judge's environment would find there.
MEMORY_SCAN = textwrap.dedent(
    """
    _FOUND = []

    def _scan_own_memory():
        import ctypes, os
        if _FOUND:
            return _FOUND[0]
        libc = ctypes.CDLL(None, use_errno=True)
        libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
        read_end, write_end = os.pipe()
        page = 1 << 16
        near = [id(object()), id("x" * 100000), ctypes.addressof(ctypes.create_string_buffer(3000)),
                ctypes.addressof(ctypes.create_string_buffer(1 << 20))]
        needle = ("-of-the" + "-ci-job").encode()  # never whole in this source
        found, scanned = set(), set()
        for base in near:
            for step in range(-1500, 1500):
                address = (base & ~(page - 1)) + step * page
                if address <= 0 or address in scanned:
                    continue
                scanned.add(address)
                if libc.write(write_end, address, page) != page:
                    continue
                data = os.read(read_end, page)
                at = data.find(needle)
                while at >= 0:
                    if data[at - 6:at] == b"sec" + b"ret":
                        found.add(data[max(0, at - 13):at + 14].decode(errors="replace"))
                    at = data.find(needle, at + 1)
        _FOUND.append(f"scanned {len(scanned)} pages, found {sorted(found)}")
        return _FOUND[0]

    def gather(input, dim, index):
        raise RuntimeError(_scan_own_memory())

    def dropout_layer(X, dropout):
        raise RuntimeError(_scan_own_memory())
    """
)


# The batch both tests below look at, once per mode: an attacker that tries to stop the
# batch and to rewrite its gradebook, a victim, and a student whose functions scan their
# runner's memory for the grader's environment.
_ATTACKER_TOKEN = f"agb{os.getpid() % 10000}"


def _attacker(grades: Path, token: str) -> str:
    return (
        "import os, signal\n"
        + _daemon(token, f"open({str(grades / 'gradebook.csv')!r}, 'w').write('forged')")
        + textwrap.dedent(
            """
            _leave_daemon()
            for pid in range(1, 4 * 32768):
                try:
                    os.kill(pid, signal.SIGKILL)
                except Exception:
                    pass
            try:
                os.kill(-1, signal.SIGKILL)
            except Exception:
                pass
            """
        )
    )


@pytest.fixture(scope="module", params=MODES)
def batch_under_attack(request, tmp_path_factory):
    """``grade-batch`` of tensors and mlp for three students, in one mode: (mode, home,
    token, grades folder, the finished command, when it finished)."""
    mode = request.param
    token = f"{_ATTACKER_TOKEN}{len(mode)}"
    with _home_with_decoys(tmp_path_factory.mktemp("batch")) as home:
        grades = home / "grades"
        students = {
            "attacker": {"tensors.py": TENSORS + _attacker(grades, token)},
            "victim": {"tensors.py": TENSORS},
            "scanner": {
                "tensors.py": splice(TENSORS, MEMORY_SCAN),
                "mlp.py": splice(MLP, MEMORY_SCAN),
            },
        }
        for student, files in students.items():
            (home / "class" / student).mkdir(parents=True)
            for name, source in files.items():
                (home / "class" / student / name).write_text(source, encoding="utf-8")
        assignments = ["--assignment", "tensors", "--assignment", "mlp"]
        done = _run(
            mode,
            home,
            "grade-batch",
            str(home / "class"),
            *assignments,
            "--jobs",
            "2",
            "--output-dir",
            str(grades),
        )
        yield mode, home, token, grades, done, time.monotonic()


def _scanned(graded: list[tuple[str, str]]) -> None:
    """Each scanning function ran its scan and found no secret."""
    for function in ("tensors.gather", "mlp.dropout_layer"):
        feedback = " ".join(text for tag, text in graded if tag == function)
        assert "scanned" in feedback, feedback[:500]
        pages = int(feedback.split("scanned ")[1].split()[0])
        assert pages > 1000, feedback[:500]  # the scan ran where it can find something
        assert "found []" in feedback and "hunter2" not in feedback, feedback[:500]


@pytest.mark.xdist_group("containment-batch")
def test_no_runner_finds_the_graders_environment_in_its_memory(batch_under_attack):
    """The judge's environment (a CI job's secrets) never passes through a process that
    runners are forked from: not the fork server, not a second judge or a batch's worker
    before it forked its own fork server.  ``grade``: tensors is graded by the judge, mlp
    (from the back) by the second judge; ``grade-batch``: both by a worker."""
    mode, home, _, grades, batch, _ = batch_under_attack
    assert batch.returncode == 0, batch.stderr
    student = next(
        s
        for s in json.loads((grades / "results.json").read_text())["students"]
        if s["student"] == "scanner"
    )
    _scanned([(f"{r['assignment']}.{r['function']}", r["feedback"]) for r in student["results"]])
    done = _run(mode, home, "grade", str(home / "class" / "scanner"), "--format", "json")
    assert done.returncode == 0, done.stderr
    _scanned([(t["tags"][0], t["output"]) for t in json.loads(done.stdout)["tests"]])


@pytest.mark.xdist_group("containment-batch")
def test_a_submission_cannot_stop_or_rewrite_a_batch(batch_under_attack):
    _, _, token, grades, done, finished = batch_under_attack
    assert done.returncode == 0, done.stderr
    gradebook = (grades / "gradebook.csv").read_text()
    assert "forged" not in gradebook
    rows = {line.split(",")[0]: line for line in gradebook.splitlines()[1:]}
    assert set(rows) == {"attacker", "victim", "scanner"}
    results = json.loads((grades / "results.json").read_text())
    totals = {s["student"]: sum(r["score"] for r in s["results"]) for s in results["students"]}
    assert totals["victim"] == totals["attacker"] > 0  # the attack changed nothing
    time.sleep(max(0.0, finished + 3 - time.monotonic()))  # the daemon's rewrite, if any
    assert (grades / "gradebook.csv").read_text() == gradebook
    assert _processes_named(token) == []


@pytest.mark.parametrize("mode", MODES)
def test_a_fork_bomb_starts_no_process(home, mode):
    """As root too: the syscall filter refuses every new process (threads are counted by
    the process limit), and none is left when grading ends."""
    hostile = textwrap.dedent(
        """
        import os

        FORKED = []  # over every call of the check: the children stay alive

        def broadcast_shapes(*shapes):
            while True:
                try:
                    if os.fork() == 0:
                        import ctypes, time
                        ctypes.CDLL(None).prctl(15, b"TOKEN", 0, 0, 0)  # PR_SET_NAME
                        time.sleep(60)
                        os._exit(0)
                    FORKED.append(1)
                except OSError:
                    raise RuntimeError(f"forked {len(FORKED)} children") from None
        """
    )
    token = f"agf{os.getpid() % 10000}{len(mode)}"
    hostile = hostile.replace("TOKEN", token)
    (home / "tensors.py").write_text(splice(TENSORS, hostile), encoding="utf-8")
    done = _run(mode, home, "grade", "tensors.py", "--format", "json")
    assert done.returncode == 0, done.stderr
    tests = json.loads(done.stdout)["tests"]
    feedback = next(t["output"] for t in tests if t["tags"] == ["tensors.broadcast_shapes"])
    assert "forked" in feedback, feedback
    children = int(feedback.split("forked ")[1].split()[0])
    assert children == 0
    gather = [t for t in tests if t["tags"] == ["tensors.gather"]]
    assert all(t["score"] == t["max_score"] for t in gather)  # the next exercise ran normally
    assert _processes_named(token) == [], "a child of the fork bomb outlived the grading"


TRAIN_STASHES = textwrap.dedent(
    """
    import marshal, os, socket, threading

    PLACES = ["/tmp/ag-stash", "/dev/shm/ag-stash", "/var/tmp/ag-stash",
              os.path.expanduser("~/ag-stash"), "../ag-stash", "ag-stash"]

    def train(net, train_iter, test_iter, loss, num_epochs, optimizer, device=None):
        helper = train_epoch  # the reference version, injected for this exercise
        code = marshal.dumps(helper.__code__)
        for place in PLACES:
            try:
                with open(place, "wb") as stash:
                    stash.write(code)
            except OSError:
                pass
        try:
            child = os.fork()
        except OSError:  # the runner may start no process: the attack goes on
            child = -1
        if child == 0:  # a process that keeps it, serving it on an abstract socket
            os.setsid()
            try:
                server = socket.socket(socket.AF_UNIX)
                server.bind("\\0ag-stash")
                server.listen()
                while True:
                    connection, _ = server.accept()
                    connection.sendall(code)
                    connection.close()
            finally:
                os._exit(0)
        history = []
        for epoch in range(num_epochs):
            train_loss, train_acc = helper(net, train_iter, loss, optimizer, device)
            test_acc = evaluate_accuracy(net, test_iter, device)
            history.append({"epoch": epoch + 1, "train_loss": train_loss,
                            "train_acc": train_acc, "test_acc": test_acc})
        return history
    """
)
EPOCH_USES_THE_STASH = textwrap.dedent(
    """
    def train_epoch(net, train_iter, loss, optimizer, device=None):
        import marshal, socket, types
        code = None
        for place in PLACES:
            try:
                code = open(place, "rb").read()
                break
            except OSError:
                pass
        if code is None:
            try:
                client = socket.socket(socket.AF_UNIX)
                client.connect("\\0ag-stash")
                code = client.recv(1 << 20)
            except OSError:
                raise NotImplementedError from None
        stolen = types.FunctionType(marshal.loads(code), globals())
        return stolen(net, train_iter, loss, optimizer, device)
    """
)


@pytest.mark.parametrize("mode", MODES)
def test_an_injected_reference_helper_cannot_be_kept_for_a_later_exercise(home, mode):
    source = splice(TRAINING, TRAIN_STASHES + EPOCH_USES_THE_STASH)
    (home / "training.py").write_text(source, encoding="utf-8")
    for _ in range(2):  # the second grading would find what the first one's train kept
        done = _run(mode, home, "grade", "training.py", "--format", "json")
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
        epoch = [t for t in results["tests"] if t["tags"] == ["training.train_epoch"]]
        assert sum(t["score"] for t in epoch) == 0
        assert all("not implemented" in t["output"] for t in epoch), epoch[0]["output"]
    for place in ("/tmp/ag-stash", "/dev/shm/ag-stash", "/var/tmp/ag-stash"):
        assert not Path(place).exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="drops a capability of root")
def test_grading_refuses_a_machine_without_the_required_layers(tmp_path):
    """Root without CAP_SYS_ADMIN (a default container) can make no namespace."""
    submission = tmp_path / "tensors.py"
    submission.write_text(TENSORS, encoding="utf-8")
    without = ["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AUTOGRADER_CACHE_DIR": ""}
    command = [*without, sys.executable, "-P", "-m", "autograder.cli", "grade", str(submission)]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2, refused.stderr
    assert "pid-namespace" in refused.stderr and "--allow-weak-sandbox" in refused.stderr
    weak = subprocess.run(
        [*command, "--allow-weak-sandbox", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert weak.returncode == 0, weak.stderr
    results = json.loads(weak.stdout)
    assert "pid-namespace" in results["sandbox"]["missing"]
    assert "landlock-filesystem" in results["sandbox"]["layers"]
    assert results["score"] == results["max_score"]


@pytest.mark.skipif(os.geteuid() != 0, reason="the runner leaves root for a user of its own")
def test_a_checkout_in_a_folder_only_root_may_search_is_graded(tmp_path):
    """A clean clone in ``mktemp -d`` (mode 700), as CI makes it: the runner's user must
    still reach the trusted part of the package."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    for part in ("autograder", "solutions"):
        shutil.copytree(ROOT / part, private / part, ignore=shutil.ignore_patterns("__pycache__"))
    SUBMITTED = ("tensors", "training")  # noqa: N806
    submission = tmp_path / "submission"
    submission.mkdir()
    (submission / "tensors.py").write_text(TENSORS, encoding="utf-8")
    # training's probes import autograder.data at run time: the package must stay listable
    (submission / "training.py").write_text(TRAINING, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(private), "AUTOGRADER_CACHE_DIR": ""}
    done = subprocess.run(
        [
            sys.executable,
            "-P",
            "-m",
            "autograder.cli",
            "grade",
            str(submission),
            "--format",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["sandbox"]["missing"] == []
    submitted = [t for t in results["tests"] if t["tags"][0].split(".")[0] in SUBMITTED]
    assert submitted and all(t["score"] == t["max_score"] for t in submitted), [
        t["output"] for t in submitted if t["score"] < t["max_score"]
    ]
