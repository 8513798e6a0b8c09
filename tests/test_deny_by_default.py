"""Deny by default (issue 27): channels nobody listed are closed because nothing is open.

Each attack is a submission with only its own file as power; each runs with the grader as
root and as an unprivileged user (see ``tests/test_containment.py``).  The runner starts in
an empty root (only read-only bind mounts of what running needs), with a keyring of its own
and a seccomp filter: a host UNIX socket, the grader's keys and a second process are not
refused one by one, they do not exist for it.
"""

from __future__ import annotations

import ast
import contextlib
import errno
import grp
import json
import os
import platform
import shutil
import site
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import hypothesis.strategies as st
import pytest

from autograder.engine import containment
from autograder.engine.launch import PACKAGE_ROOT
from autograder.engine.sandbox import Limits, RunnerProcess
from tests.gradelib import SOLUTIONS, accepting, answer_of_a_fork, splice
from tests.test_containment import MODES, UNPRIVILEGED_UID, _grader, _home_with_decoys

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="the sandbox is Linux's"),
    pytest.mark.xdist_group("deny-by-default"),
]

TENSORS = (SOLUTIONS / "tensors.py").read_text()
ROOT = os.geteuid() == 0


@pytest.fixture
def home(tmp_path):
    with _home_with_decoys(tmp_path) as folder:
        yield folder


def _grade(
    mode: str,
    home: Path,
    source: str,
    groups: tuple[int, ...] = (),
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    """Grade ``source`` as ``tensors.py`` in ``mode`` (the grader started by ``prefix``)."""
    (home / "tensors.py").write_text(splice(TENSORS, source), encoding="utf-8")
    command, env, _ = _grader(mode, home, groups)
    done = subprocess.run(
        [*prefix, *command, "grade", "tensors.py", "--format", "json"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def _feedback(done: subprocess.CompletedProcess, function: str) -> str:
    tests = json.loads(done.stdout)["tests"]
    return "\n".join(t["output"] for t in tests if t["tags"] == [f"tensors.{function}"])


# -- host UNIX sockets ------------------------------------------------------------------------
@pytest.fixture
def sockets_folder() -> Iterator[Path]:
    """A folder in the host's /tmp that every user may enter (pytest's own is root's alone,
    which would hide the sockets from an unprivileged runner whatever the sandbox did)."""
    folder = Path(tempfile.mkdtemp(prefix="ag-sockets-", dir="/tmp"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _listening(path: Path) -> Iterator[list[str]]:
    """A UNIX socket listening at ``path``; the connections it accepted."""
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    os.chmod(path, 0o777)
    server.listen()
    with accepting(server) as accepted:
        yield accepted


SOCKET_ATTACK = """
import os, socket, stat

def gather(input, dim, index):
    '''Connect to every socket named or found: the world's, the grader's, its group's.'''
    report = []
    named = NAMED
    found = []
    for top in ("/run", "/var/run", "/tmp", "/dev/shm", "/var/tmp", "/home", "/root"):
        try:
            for folder, _dirs, files in os.walk(top):
                for name in files:
                    path = os.path.join(folder, name)
                    try:
                        if stat.S_ISSOCK(os.lstat(path).st_mode):
                            found.append(path)
                    except OSError:
                        pass
        except OSError:
            pass
    for path in named + found:
        try:
            client = socket.socket(socket.AF_UNIX)
            client.connect(path)
            report.append("CONNECTED " + path)
        except OSError as error:
            report.append(f"refused {path}: {error.strerror}")
    raise RuntimeError("; ".join(report) or "nothing found")
"""


@pytest.mark.parametrize("mode", MODES)
def test_no_host_unix_socket_is_reachable(home, mode, sockets_folder):
    """A world-connectable socket (D-Bus, a resolver), one in a folder only the grader's
    user may enter (an ssh agent's), one in a folder only the grader's group may enter
    (``docker.sock``): the runner reaches none, and finds none."""
    base = sockets_folder
    unprivileged = mode != "grader's own user"
    owner = UNPRIVILEGED_UID if unprivileged else os.geteuid()
    group = _a_group_of_the_grader() if unprivileged else os.getegid()
    world, user_only, group_only = base / "world", base / "user-only", base / "group-only"
    for folder, mode_bits, uid, gid in (
        (world, 0o755, 0, 0),
        (user_only, 0o700, owner, owner),
        (group_only, 0o750, 0, group),
    ):
        folder.mkdir()
        if ROOT:
            os.chown(folder, uid, gid)
        os.chmod(folder, mode_bits)
    paths = [world / "s", user_only / "s", group_only / "s"]
    with contextlib.ExitStack() as stack:
        counters = [stack.enter_context(_listening(path)) for path in paths]
        source = SOCKET_ATTACK.replace("NAMED", repr([str(p) for p in paths]))
        results = _grade(mode, home, source, (group,) if unprivileged else ())
    feedback = _feedback(results, "gather")
    assert "CONNECTED" not in feedback, feedback
    assert all(counter == [] for counter in counters)
    for path in paths:
        assert f"refused {path}" in feedback, feedback


def _a_group_of_the_grader() -> int:
    """A group the unprivileged grader belongs to besides its own (a docker group, say)."""
    with contextlib.suppress(KeyError):
        return grp.getgrnam("nogroup").gr_gid
    return 65534


# -- the kernel keyring -----------------------------------------------------------------------
_KEYRING_WRAPPER = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
ADD_KEY, KEYCTL = {add_key}, {keyctl}
JOIN, READ, SESSION = 1, 11, -3
# A session keyring of this test's own, holding the grader's token.
assert libc.syscall(KEYCTL, JOIN, b"grader-session") >= 0, ctypes.get_errno()
secret = b"grader-token-hunter2"
assert libc.syscall(ADD_KEY, b"user", b"grader-token", secret, len(secret), SESSION) >= 0
child = os.fork()
if child == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status = os.waitpid(child, 0)
buffer = ctypes.create_string_buffer(4096)
size = libc.syscall(KEYCTL, READ, SESSION, buffer, 4096)
keys = len(buffer.raw[: max(size, 0)]) // 4
sys.stderr.write(f"KEYS-AFTER {{keys}}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""
_KEY_SYSCALLS = {"x86_64": (248, 250), "aarch64": (217, 219)}

KEYRING_ATTACK = """
import ctypes

def gather(input, dim, index):
    '''Read the grader's keys, then plant one that outlives the grading.'''
    libc = ctypes.CDLL(None, use_errno=True)
    ADD_KEY, REQUEST_KEY, KEYCTL = NUMBERS
    report = []
    found = libc.syscall(REQUEST_KEY, b"user", b"grader-token", None, 0)
    report.append(f"request_key={found} errno={ctypes.get_errno()}")
    if found >= 0:
        buffer = ctypes.create_string_buffer(256)
        size = libc.syscall(KEYCTL, 11, found, buffer, 256)
        report.append("READ " + buffer.raw[: max(size, 0)].decode(errors="replace"))
    planted = libc.syscall(ADD_KEY, b"user", b"planted", b"x", 1, -3)
    report.append(f"add_key={planted} errno={ctypes.get_errno()}")
    raise RuntimeError("; ".join(report))
"""


@pytest.mark.skipif(platform.machine() not in _KEY_SYSCALLS, reason="syscall numbers")
@pytest.mark.parametrize("mode", MODES)
def test_the_graders_keyring_is_out_of_reach(home, mode):
    add_key, keyctl = _KEY_SYSCALLS[platform.machine()]
    request_key = add_key + 1
    source = KEYRING_ATTACK.replace("NUMBERS", repr((add_key, request_key, keyctl)))
    wrapper = _KEYRING_WRAPPER.format(add_key=add_key, keyctl=keyctl)
    done = _grade(mode, home, source, prefix=(sys.executable, "-c", wrapper))
    feedback = _feedback(done, "gather")
    assert "hunter2" not in feedback and "READ" not in feedback, feedback
    assert "request_key=-1" in feedback and "add_key=-1" in feedback, feedback
    assert "KEYS-AFTER 1" in done.stderr, done.stderr  # only the grader's own token is there


# -- memory times processes -------------------------------------------------------------------
PROCESSES_ATTACK = """
import os, time

def gather(input, dim, index):
    '''Seven processes of a gigabyte each: seven times the memory limit, if it were per process.'''
    started = 0
    for _ in range(7):
        try:
            child = os.fork()
        except OSError as error:
            raise RuntimeError(f"started {started} processes ({error.strerror})") from None
        if child == 0:
            block = bytearray(1 << 30)
            time.sleep(30)
            os._exit(0)
        started += 1
    raise RuntimeError(f"started {started} processes")
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_runner_is_one_process_so_its_memory_limit_is_its_total(home, mode):
    feedback = _feedback(_grade(mode, home, PROCESSES_ATTACK), "gather")
    assert "started 0 processes (Operation not permitted)" in feedback, feedback


# -- what a runner sees -----------------------------------------------------------------------
def _mount_points(pid: int) -> list[str]:
    with open(f"/proc/{pid}/mountinfo", encoding="utf-8") as handle:
        return [line.split()[4] for line in handle]


@pytest.mark.skipif(not ROOT, reason="reading a sealed runner's mounts takes root")
def test_a_runners_file_system_is_the_listed_bind_mounts_only():
    """Every mount point is ``/``, its ``/proc``, ``/tmp`` and home, the submission's
    folder, or a path of the plan (or a mount below one); every other entry of its root
    is a folder leading to one of those."""
    readable = set(containment.readable_paths(PACKAGE_ROOT))
    with RunnerProcess(Limits()) as runner:
        assert runner.request({"op": "ping"}, 60) == {"ok": "pong"}  # sealed by now
        mounts = _mount_points(runner.pid)
        root = Path(f"/proc/{runner.pid}/root")
        fixed = {"/", "/proc", "/tmp", runner.workdir, runner.folder.home}
        for mount in mounts:
            if mount in fixed or mount in readable:
                continue
            assert any(mount.startswith(path + "/") for path in readable | {"/proc"}), mount
        for forbidden in ("/run", "/home", "/root", "/etc/passwd", "/var", str(PACKAGE_ROOT)):
            assert forbidden not in mounts
        leading = {str(p) for m in mounts for p in Path(m).parents}
        for folder, dirs, files in os.walk(root):
            inside = "/" + os.path.relpath(folder, root).lstrip(".")
            inside = "/" if inside == "/" else inside.rstrip("/")
            if inside in mounts and inside != "/":
                dirs[:] = []  # a mount point: its contents are what the plan bound
                continue
            for name in [*dirs, *files]:
                path = os.path.join(inside, name) if inside != "/" else "/" + name
                assert path in mounts or path in leading, f"{path} is in the runner's root"
        # The host's /tmp, /run and home folders are not there at all.
        assert not (root / "run").exists()
        # Its /tmp (a tmpfs of its own) holds the submission's folder and the folders that
        # lead to a bound path (a checkout in /tmp), nothing of the host's /tmp.
        entries = os.listdir(root / "tmp")
        assert Path(runner.workdir).name in entries
        for entry in entries:
            assert f"/tmp/{entry}" in mounts or f"/tmp/{entry}" in leading, entry


# -- memory the address-space limit does not count ----------------------------------------------
MEMORY_ATTACK = """
_HELD = []
CAP = 128  # MiB tried per channel: enough to show it open, little enough to be kind


def _hold():
    '''Memory that RLIMIT_AS never counts: written to a file descriptor, then unmapped.'''
    import ctypes, fcntl, mmap, os
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    libc.shmat.restype = ctypes.c_void_p
    chunk = b"x" * (1 << 20)
    held, notes, keep = {}, [], []

    def refused(name, code):
        notes.append(f"{name}: {os.strerror(code)}")

    held["memfd"] = 0
    try:
        while held["memfd"] < CAP:
            fd = os.memfd_create("hold")
            keep.append(fd)
            for _ in range(16):  # 16 MiB, the runner's largest file
                os.write(fd, chunk)
                held["memfd"] += 1
    except OSError as error:
        refused("memfd_create", error.errno)
    held["memfd_secret"] = 0
    while held["memfd_secret"] < CAP:
        fd = libc.syscall(SECRET, 0)
        if fd < 0:
            refused("memfd_secret", ctypes.get_errno())
            break
        keep.append(fd)
        try:
            os.ftruncate(fd, 1 << 20)
            with mmap.mmap(fd, 1 << 20) as view:
                view.write(chunk)
            held["memfd_secret"] += 1
        except OSError as error:
            refused("memfd_secret", error.errno)
            break
    held["shm"] = 0
    while held["shm"] < CAP:  # System V segments: attach, fill, detach; the segment stays
        segment = libc.shmget(0, 16 << 20, 0o1600)
        if segment < 0:
            refused("shmget", ctypes.get_errno())
            break
        address = libc.shmat(segment, None, 0)
        if address is None or address == ctypes.c_void_p(-1).value:
            refused("shmat", ctypes.get_errno())
            break
        ctypes.memset(address, 1, 16 << 20)
        libc.shmdt(ctypes.c_void_p(address))
        held["shm"] += 16
    held["msg"] = 0
    message = ctypes.create_string_buffer(8 + 8192)
    message[0] = 1
    while held["msg"] < CAP:  # System V message queues, filled
        queue = libc.msgget(0, 0o1600)
        if queue < 0:
            refused("msgget", ctypes.get_errno())
            break
        sent = 0
        while libc.msgsnd(queue, message, 8192, 0o4000) == 0:  # IPC_NOWAIT
            sent += 8192
        if sent == 0:
            refused("msgsnd", ctypes.get_errno())
            break
        held["msg"] += sent / (1 << 20)
    held["pipe"] = 0
    try:
        while held["pipe"] < CAP:  # pipes, each made as large as it may be, and filled
            read_end, write_end = os.pipe()
            keep += [read_end, write_end]
            try:
                fcntl.fcntl(write_end, 1031, 1 << 20)  # F_SETPIPE_SZ
            except OSError:  # the kernel reads the command as 32 bits: the same, to it
                libc.syscall(FCNTL, write_end, ctypes.c_long((1 << 32) | 1031), 1 << 20)
            os.set_blocking(write_end, False)
            try:
                while True:
                    held["pipe"] += os.write(write_end, chunk[:4096]) / (1 << 20)
            except BlockingIOError:
                pass
    except OSError as error:
        refused("pipe", error.errno)
    return f"HELD {({name: round(mib) for name, mib in held.items()})}; " + "; ".join(notes)


def gather(input, dim, index):
    if not _HELD:
        _HELD.append(_hold())
    raise RuntimeError(_HELD[0])
"""
_MEMFD_SECRET_AND_FCNTL = {"x86_64": (447, 72), "aarch64": (447, 25)}


@pytest.mark.skipif(platform.machine() not in _MEMFD_SECRET_AND_FCNTL, reason="syscall numbers")
@pytest.mark.parametrize("mode", MODES)
def test_a_runner_holds_no_memory_outside_its_limit(home, mode):
    """The memory limit (``RLIMIT_AS``) counts what is mapped.  What a runner writes to a
    memfd, a System V segment or queue, or a pipe stays in the kernel once unmapped: as
    many times 16 MiB as it may open files.  None of it may be had, beyond a few MiB of
    pipes (the tmpfs folders, 72 MiB in all, are bounded by their sizes)."""
    secret, fcntl = _MEMFD_SECRET_AND_FCNTL[platform.machine()]
    source = MEMORY_ATTACK.replace("SECRET", str(secret)).replace("FCNTL", str(fcntl))
    feedback = _feedback(_grade(mode, home, source), "gather")
    assert "HELD " in feedback, feedback
    held = ast.literal_eval(feedback.split("HELD ")[1].split(";")[0])
    assert held == {**held, "memfd": 0, "memfd_secret": 0, "shm": 0, "msg": 0}, feedback
    assert held["pipe"] <= 16, feedback
    for call in ("memfd_create", "memfd_secret", "shmget", "msgget"):
        assert f"{call}: Operation not permitted" in feedback, feedback


# -- a checkout on the import path ------------------------------------------------------------
CHECKOUT_ATTACK = """
def gather(input, dim, index):
    '''Full marks without writing the code: a solution notebook in any folder on the import
    path, or in a checkout below one (an editable install, a folder an instructor added).'''
    import json, os, sys
    for entry in sys.path:
        for relative in ("source", "course/source"):
            path = os.path.join(entry, relative, "tensors", "tensors.ipynb")
            try:
                cells = json.load(open(path))["cells"]
            except (OSError, ValueError):
                continue
            namespace = {}
            exec("import torch", namespace)
            for cell in cells:
                text = "".join(cell["source"])
                if "def gather" in text:
                    exec(text, namespace)
                    return namespace["gather"](input, dim, index)
    raise NotImplementedError
"""


def _interpreter_with_path(folder: Path, entries: list[Path], base: str = sys.executable) -> Path:
    """A virtual environment in ``folder`` (made by ``base``) whose import path holds this
    interpreter's packages (their ``.pth`` files run too) and then ``entries``, as a
    ``.pth`` file puts them there: the interpreter of an instructor with a second checkout
    on the path."""
    subprocess.run([base, "-m", "venv", "--without-pip", str(folder)], check=True)
    packages = Path(
        subprocess.run(
            [str(folder / "bin" / "python"), "-c", "import site; print(site.getsitepackages()[0])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    lines = [f"import site; site.addsitedir({path!r})" for path in site.getsitepackages()]
    (packages / "instructor.pth").write_text("\n".join([*lines, *map(str, entries)]) + "\n")
    return folder / "bin" / "python"


@pytest.mark.parametrize("mode", MODES)
def test_no_checkout_on_the_import_path_is_readable(home, mode, tmp_path):
    """A folder on the grader's import path is readable as installed packages are; a
    source checkout in it (or on the path itself) holds the solution notebooks, the tests'
    correct versions and the git history.  It is not readable, only ``solutions/`` was
    left out before."""
    instructor = home / "instructor"  # (in ``home``: reachable for the unprivileged grader)
    course = instructor / "course"
    (course / "source").mkdir(parents=True)
    shutil.copytree(PACKAGE_ROOT / "source" / "tensors", course / "source" / "tensors")
    shutil.copytree(PACKAGE_ROOT / "solutions", course / "solutions")
    python = _interpreter_with_path(tmp_path / "venv", [instructor, course])
    (home / "tensors.py").write_text(splice(TENSORS, CHECKOUT_ATTACK), encoding="utf-8")
    results = _grade_with(python, mode, home)
    gather = [t for t in results["tests"] if t["tags"] == ["tensors.gather"]]
    assert sum(t["score"] for t in gather) == 0, "a solution notebook reached the runner"


def _grade_with(python: Path, mode: str, home: Path) -> dict:
    """Grade ``home/tensors.py`` in ``mode`` with the interpreter ``python``: the results,
    once the runner is seen to have run (the reference's broadcast_shapes has full marks)."""
    command, env, _ = _grader(mode, home)
    command = [str(python) if part == sys.executable else part for part in command]
    # The unprivileged grader's wrapper makes this interpreter's packages reachable too.
    command = [part.replace("sys.argv[2])}", f"sys.argv[2], {sys.prefix!r})}}") for part in command]
    done = subprocess.run(
        [*command, "grade", "tensors.py", "--format", "json"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["sandbox"]["missing"] == []
    shapes = [t for t in results["tests"] if t["tags"] == ["tensors.broadcast_shapes"]]
    assert shapes and all(t["score"] == t["max_score"] for t in shapes)  # the runner ran
    return results


BASE_INTERPRETER_ATTACK = """
def gather(input, dim, index):
    '''Full marks without writing the code: the reference, installed in the folder of
    packages that the virtual environment's base interpreter keeps beside its library.'''
    import glob, os, sys
    base = os.path.dirname(os.path.dirname(sys._base_executable))  # (pyvenv.cfg's home)
    for top in (sys.base_prefix, base, "/usr", "/usr/local"):
        for folder in ("lib/python3*/site-packages", "lib/python3*/dist-packages"):
            pattern = os.path.join(top, folder, "autograder_solutions", "tensors.py")
            for path in glob.glob(pattern):
                namespace = {}
                try:
                    exec(open(path).read(), namespace)
                except OSError:
                    continue
                return namespace["gather"](input, dim, index)
    raise NotImplementedError
"""


@pytest.mark.parametrize("mode", MODES)
def test_no_package_folder_off_the_import_path_is_readable(home, mode, tmp_path):
    """The runner reads its interpreter's library folder (``libpython``) and its standard
    library, which hold the base interpreter's own site-packages; a virtual environment
    does not import from them, and an instructor may well have installed the course there
    (``pip install .`` before the venv existed).  None of them is readable."""
    base = home / "base"  # (in ``home``: reachable for the unprivileged grader)
    (base / "bin").mkdir(parents=True)
    (base / "lib").mkdir()
    real = Path(os.path.realpath(sys.executable))
    shutil.copy2(real, base / "bin" / "python3")
    for library in (real.parent.parent / "lib").glob("libpython*"):  # (a loader's $ORIGIN/../lib)
        (base / "lib" / library.name).symlink_to(library)
    installed = base / "lib" / f"python3.{sys.version_info.minor}" / "site-packages"
    shutil.copytree(PACKAGE_ROOT / "solutions", installed / "autograder_solutions")
    python = _interpreter_with_path(tmp_path / "venv", [], str(base / "bin" / "python3"))
    (home / "tensors.py").write_text(splice(TENSORS, BASE_INTERPRETER_ATTACK), encoding="utf-8")
    results = _grade_with(python, mode, home)
    gather = [t for t in results["tests"] if t["tags"] == ["tensors.gather"]]
    assert sum(t["score"] for t in gather) == 0, "the base interpreter's copy reached the runner"


# -- the grader's disk ------------------------------------------------------------------------
DISK_ATTACK = """
_ALLOCATED = []


def gather(input, dim, index):
    '''Take the grader's disk through the output file it was handed: fallocate with
    KEEP_SIZE allocates blocks without growing the file, which the file-size limit checks.'''
    import ctypes, os
    if not _ALLOCATED:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long, ctypes.c_long]
        done = libc.fallocate(1, 1, 0, 256 << 20)  # FALLOC_FL_KEEP_SIZE
        error = os.strerror(ctypes.get_errno()) if done else "none"
        mib = os.fstat(1).st_blocks * 512 >> 20
        _ALLOCATED.append(f"ALLOCATED {mib} MiB (error: {error})")
    raise RuntimeError(_ALLOCATED[0])
"""


@pytest.mark.parametrize("mode", MODES)
def test_the_output_file_takes_no_more_disk_than_the_file_size_limit(home, mode):
    """The runner writes its output to a file on the grader's disk: at most 16 MiB of it
    (``RLIMIT_FSIZE``), however it asks for blocks."""
    feedback = _feedback(_grade(mode, home, DISK_ATTACK), "gather")
    assert "ALLOCATED " in feedback, feedback
    assert int(feedback.split("ALLOCATED ")[1].split()[0]) <= 16, feedback


# -- what the whole machine shares ----------------------------------------------------------------
AIO_ATTACK = """
_TAKEN = []


def gather(input, dim, index):
    '''Take every asynchronous I/O event of the machine (fs.aio-max-nr, shared by all its
    processes): while the runner lives, no database or emulator on it can start one.'''
    import ctypes, os
    if not _TAKEN:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        taken, contexts = 0, []
        for size in (32768, 4096, 512, 64):
            while True:
                context = ctypes.c_ulong(0)
                if libc.syscall(IO_SETUP, size, ctypes.byref(context)) != 0:
                    break
                contexts.append(context)
                taken += size
        _TAKEN.append(f"TOOK {taken} events ({os.strerror(ctypes.get_errno())})")
    raise RuntimeError(_TAKEN[0])
"""
_IO_SETUP = {"x86_64": 206, "aarch64": 0}


@pytest.mark.skipif(platform.machine() not in _IO_SETUP, reason="syscall numbers")
@pytest.mark.parametrize("mode", MODES)
def test_a_runner_takes_no_aio_events_from_the_machine(home, mode):
    source = AIO_ATTACK.replace("IO_SETUP", str(_IO_SETUP[platform.machine()]))
    feedback = _feedback(_grade(mode, home, source), "gather")
    assert "TOOK 0 events (Operation not permitted)" in feedback, feedback


# -- crashes ----------------------------------------------------------------------------------
DUMPABLE_ATTACK = """
def gather(input, dim, index):
    '''Become dumpable again, so that a crash reaches the machine's core_pattern: where it
    pipes to a helper (apport, systemd-coredump), the helper runs as the host's root on the
    runner's memory and leaves a report of it on the host's disk.'''
    import ctypes, os
    libc = ctypes.CDLL(None, use_errno=True)
    done = libc.prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE
    error = os.strerror(ctypes.get_errno()) if done else "none"
    raise RuntimeError(f"DUMPABLE {libc.prctl(3, 0, 0, 0, 0)} (error: {error})")  # PR_GET_...
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_runner_cannot_make_itself_dumpable_again(home, mode):
    feedback = _feedback(_grade(mode, home, DUMPABLE_ATTACK), "gather")
    assert "DUMPABLE 0 (error: Operation not permitted)" in feedback, feedback


PER_USER_ATTACK = """
_TAKEN = []


def gather(input, dim, index):
    '''Take what the kernel counts per user: inotify instances (128) and queued signals.  The
    unprivileged grader's runner is that user: while it lives, the grader's own processes
    (an editor watching files, a timer) get none.'''
    import ctypes, os, signal
    if not _TAKEN:
        libc = ctypes.CDLL(None, use_errno=True)
        kept, instances = [], 0
        while instances < 1000:
            fd = libc.inotify_init1(0)
            if fd < 0:
                break
            kept.append(fd)
            instances += 1
        error = os.strerror(ctypes.get_errno())
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGRTMIN])
        queued = 0
        while queued < 200000 and libc.sigqueue(os.getpid(), int(signal.SIGRTMIN), None) == 0:
            queued += 1
        _TAKEN.append(f"INOTIFY {instances} ({error}) QUEUED {queued}")
    raise RuntimeError(_TAKEN[0])
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_runner_takes_nothing_counted_per_user(home, mode):
    feedback = _feedback(_grade(mode, home, PER_USER_ATTACK), "gather")
    assert "INOTIFY 0 (Operation not permitted)" in feedback, feedback
    assert int(feedback.split("QUEUED ")[1].split()[0]) <= 64, feedback


@pytest.mark.unit
@hypothesis.settings(max_examples=300, deadline=None, derandomize=True)
@hypothesis.given(
    path=st.lists(st.sampled_from(["a", "b", "ab", ".", "c.d"]), max_size=5),
    folders=st.lists(st.lists(st.sampled_from(["a", "b", "ab", "c.d"]), max_size=4), max_size=4),
)
def test_the_empty_roots_path_tests_answer_as_pathlib_does(path, folders):
    """The empty root compares the plan's paths as plain text at each runner's start
    (issue 34: pathlib's took half of its 4 ms); the answers are pathlib's."""
    from pathlib import PurePosixPath

    from autograder.engine import empty_root

    text = "/" + "/".join(path)
    pure = PurePosixPath(text)
    normal = empty_root._normal(text)
    assert normal == str(pure)
    assert list(empty_root._ancestors(normal)) == [str(parent) for parent in pure.parents]
    as_text = {empty_root._normal("/" + "/".join(folder)) for folder in folders}
    as_paths = {PurePosixPath("/" + "/".join(folder)) for folder in folders}
    assert empty_root._under(normal, as_text) == (
        pure in as_paths or not as_paths.isdisjoint(pure.parents)
    )


_FILTER_PROBES = """
import ctypes, errno, os, socket, threading
libc = ctypes.CDLL(None, use_errno=True)
def errno_of(call):
    try:
        result = call()
    except OSError as error:
        return error.errno
    return 0 if result is None or result >= 0 else ctypes.get_errno()
def thread():
    t = threading.Thread(target=lambda: None); t.start(); t.join()
def forked():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
read_end, write_end = os.pipe()
outcomes = {
    "socket": errno_of(lambda: socket.socket(socket.AF_UNIX).close()),
    "fork": errno_of(forked),
    "thread": errno_of(thread),
    "setpipe": errno_of(lambda: libc.fcntl(write_end, 1031, 1 << 20)),
    "dumpable": errno_of(lambda: libc.prctl(4, 1, 0, 0, 0)),
    "keyctl": errno_of(lambda: libc.syscall(250, 0, -3, 0)),
    "ptrace": errno_of(lambda: libc.syscall(101, 0, 0, 0, 0)),
    "clone3": errno_of(lambda: libc.syscall(435, 0, 0)),
    "unshare": errno_of(lambda: libc.syscall(272, 0x00020000)),
    "memfd": errno_of(lambda: libc.syscall(319, b"x", 0)),
    "getpid": errno_of(os.getpid),
}
"""


def _filtered_outcomes(program: bytes) -> dict[str, int]:
    """In a forked child with ``no_new_privs``: the errno each probe of
    :data:`_FILTER_PROBES` gets under the filter (``program``, or built there)."""
    import ctypes

    from autograder.engine import syscalls

    def probe() -> dict[str, int]:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
        syscalls.load_filter(libc, program)
        scope: dict = {}
        exec(_FILTER_PROBES, scope)  # noqa: S102 - ours
        return scope["outcomes"]

    return answer_of_a_fork(probe)


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the probes use x86-64's numbers")
def test_the_filter_compiled_once_refuses_what_the_filter_built_in_the_runner_refuses():
    """The fork server compiles the seccomp filter once and every runner loads the bytes
    (issue 34: building it cost a runner ~1 ms); loaded, they refuse what the built filter
    refuses, each call with the same error."""
    from autograder.engine import syscalls

    program = syscalls.compile_filter()
    assert program and program == syscalls.compile_filter()
    compiled, built = _filtered_outcomes(program), _filtered_outcomes(b"")
    assert compiled == built
    assert compiled["getpid"] == 0 and compiled["thread"] == 0
    for refused in ("socket", "fork", "setpipe", "dumpable", "keyctl", "ptrace", "unshare"):
        assert compiled[refused] == errno.EPERM, refused
    assert compiled["clone3"] == errno.ENOSYS
    assert compiled["memfd"] == errno.EPERM


def _filter_in_the_kernel(program: bytes) -> tuple[bytes, int]:
    """The seccomp program the kernel holds for a forked child that loaded ``program`` (or
    the filter built there), and the flags it was loaded with: read back by ptrace
    (``PTRACE_SECCOMP_GET_FILTER``, ``PTRACE_GET_SECCOMP_METADATA``: root only)."""
    import ctypes
    import signal

    from autograder.engine import syscalls

    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    libc.ptrace.restype = ctypes.c_long
    read_end, write_end = os.pipe()
    held_open, never_written = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_end)
            libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
            syscalls.load_filter(libc, program)
            os.write(write_end, b"loaded")
            os.read(held_open, 1)  # (waits there to be read, then killed)
        finally:
            os._exit(0)
    os.close(write_end)
    os.close(held_open)
    try:
        assert os.read(read_end, 6) == b"loaded"
        assert libc.ptrace(0x4206, pid, None, None) == 0  # PTRACE_SEIZE
        assert libc.ptrace(0x4207, pid, None, None) == 0  # PTRACE_INTERRUPT
        os.waitpid(pid, 0)
        count = libc.ptrace(0x420C, pid, ctypes.c_void_p(0), None)  # its size first
        held = ctypes.create_string_buffer(count * 8)
        assert libc.ptrace(0x420C, pid, ctypes.c_void_p(0), held) == count
        metadata = (ctypes.c_uint64 * 2)(0, 0)  # (the filter's index, its flags)
        assert libc.ptrace(0x420D, pid, ctypes.c_void_p(16), metadata) == 16
        return held.raw, metadata[1]
    finally:
        os.close(read_end)
        os.close(never_written)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


@pytest.mark.skipif(os.geteuid() != 0, reason="reading a filter back takes CAP_SYS_ADMIN")
def test_the_kernel_holds_the_same_filter_loaded_from_the_bytes_as_built_by_libseccomp():
    """Review of the filter compiled once (ed0d0cd): the few probes above compare a dozen
    calls; the program the kernel holds, read back, is the same instruction for
    instruction whether a runner loads the fork server's bytes or libseccomp builds and
    loads it there, with the same flags: so every call, of every architecture (i386's,
    x32's), with every argument (clone's flags, fcntl's and prctl's masks), clone3 and
    fallocate, gets the same answer both ways."""
    from autograder.engine import syscalls

    program = syscalls.compile_filter()
    assert _filter_in_the_kernel(program) == _filter_in_the_kernel(b"")
    assert _filter_in_the_kernel(program)[0] == program
