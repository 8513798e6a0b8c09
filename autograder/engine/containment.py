"""Seal a runner with the kernel's own isolation before any student code runs.

A runner is forked by the fork server (:mod:`autograder.engine.fork_server`) straight into
new namespaces (:func:`fork_into_namespaces`; where ``clone`` cannot, through a middle
process that enters them, :func:`enter_namespaces`).  The runner is then the first process
of a PID namespace of its own and seals itself (:func:`seal_runner`) before it serves a
single request:

``pid-namespace``
    The runner is PID 1 of its own PID namespace: it cannot see or signal any process
    outside, and when it dies the kernel kills every process in the namespace, however it
    detached itself (new session, double fork, ignored signals).
``mount-namespace``
    A private ``/proc`` showing only the sandbox's processes; the runner's writable folder
    is a tmpfs of a fixed size mounted there, so that what it writes never reaches the disk
    and is gone with it.
``empty-root``
    The runner's ``/`` is a fresh tmpfs holding only read-only bind mounts of what running
    needs (:mod:`autograder.engine.empty_root`): nothing else of the host's tree exists for
    it, no ``/run``, no home folder, no host ``/tmp``, no host UNIX socket.
``network-namespace``, ``ipc-namespace``
    No network at all, loopback included; no shared System V objects.
``unprivileged``
    No capabilities, ``no_new_privs``; as root, a user id of its own (so the process limit
    applies and root-owned files and sockets are out of reach).
``process-limit``
    ``RLIMIT_NPROC``, counted for this runner alone (its own user namespace, or its own
    user id under root): a fork bomb stops at a fixed number of processes.
``landlock-filesystem``
    Landlock: read only the Python runtime, the third-party packages and the trusted part
    of ``autograder`` (never ``solutions`` nor the checks) and the folder the judge puts the
    submission in; write only the runner's own folder inside it.
``session-keyring``
    A new, empty session keyring instead of the grader's (whose keys it would possess).
``syscall-filter``
    A seccomp filter (:mod:`autograder.engine.syscalls`): no keyring, tracing, mount,
    namespace, BPF, io_uring, socket or new-process calls.  One process: its memory limit
    is the runner's total.
``landlock-network``, ``landlock-scopes``
    Landlock's TCP rules and its scopes (no signals or abstract sockets outside the
    sandbox), where the kernel has them; the namespaces already cover both.

The layers a machine provides are found once, when the fork server starts, by sealing a
probe child; every runner must then get all of them or exit without serving, and no runner
starts where a required layer is missing unless the limits accept a weak sandbox.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import platform
import resource
import signal
import site
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from autograder.engine import empty_root, syscalls

# Every layer, in the order the docs and the JSON results list them.
LAYERS = (
    "pid-namespace",
    "mount-namespace",
    "empty-root",
    "network-namespace",
    "ipc-namespace",
    "unprivileged",
    "process-limit",
    "landlock-filesystem",
    "session-keyring",
    "syscall-filter",
    "landlock-network",
    "landlock-scopes",
)
# What must hold unless the instructor accepts a weaker sandbox: the network and scope
# rules of Landlock only repeat what the namespaces already guarantee.
REQUIRED = frozenset(LAYERS) - {"landlock-network", "landlock-scopes"}

# How to turn on what is missing, by layer (shown when grading refuses to start).
ENABLE_HINTS = {
    "user-namespace": (
        "unprivileged user namespaces are refused: "
        "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 "
        "(Ubuntu 23.10+), or sudo sysctl -w kernel.unprivileged_userns_clone=1 (older Debian)"
    ),
    "landlock-filesystem": (
        "Landlock is off in this kernel: boot with lsm=landlock,... "
        "(Linux 5.13+, CONFIG_SECURITY_LANDLOCK=y)"
    ),
    "syscall-filter": (
        "seccomp needs libseccomp: apt-get install libseccomp2 "
        "(and a kernel with CONFIG_SECCOMP_FILTER=y)"
    ),
}


# What a judge (a command's, a second judge, a batch's worker) may allocate: RLIMIT_DATA,
# the memory it writes to, not the address space torch's libraries reserve.  A judge forked
# with torch imported holds about 0.8 GiB of it and about 1 GiB after grading every
# assignment (measured: VmData); reading the largest answer the wire allows takes twice
# its 256 MiB more.  Past the limit an allocation fails: the check or the student fails.
JUDGE_MEMORY_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class Limits:
    """Resource limits for one runner process, and the memory of every judge."""

    memory_bytes: int | None = 6 * 1024**3
    cpu_seconds: int = 900
    file_bytes: int = 16 * 1024**2
    # The runner's writable folder (a tmpfs in its mount namespace): bytes and files in all.
    folder_bytes: int = 64 * 1024**2
    folder_files: int = 1024
    # The runner's private /tmp (a tmpfs of its own, besides its folder).
    tmp_bytes: int = 8 * 1024**2
    tmp_files: int = 256
    output_bytes: int = 4000
    processes: int = 64
    # Open files: each pipe holds up to 64 KiB outside the memory limit (RLIMIT_NOFILE).
    open_files: int = 256
    # Signals queued and not yet taken (RLIMIT_SIGPENDING): the kernel counts them per user,
    # and the unprivileged grader's runner is the grader's user.
    queued_signals: int = 64
    # Accept a runner without every required layer (--allow-weak-sandbox): trusted code only.
    weak_sandbox: bool = False
    # Each judge's own memory (see JUDGE_MEMORY_BYTES); None: no limit.
    judge_memory_bytes: int | None = JUDGE_MEMORY_BYTES


@dataclass(frozen=True)
class RunnerFolder:
    """Where a runner works: the judge puts the submission in ``workdir`` (read-only for
    the runner); ``home``, inside it, is the runner's own, writable folder."""

    workdir: str

    @property
    def home(self) -> str:
        return os.path.join(self.workdir, "home")

    @classmethod
    def create(cls) -> RunnerFolder:
        folder = cls(tempfile.mkdtemp(prefix="autograder-runner-"))
        os.mkdir(folder.home, 0o700)
        return folder


def apply_limits(limits: Limits) -> None:
    """Resource limits of a runner, set in the runner itself before it is sealed."""
    if limits.memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_SIGPENDING, (limits.queued_signals, limits.queued_signals))
    # A write past the file-size limit fails with an error instead of killing the runner.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def limit_judge_memory(limit: int | None) -> None:
    """Bound what this process, a judge, may allocate (its soft RLIMIT_DATA) to ``limit``.

    Only the soft limit: no student code runs in a judge, and a process it starts (a fork
    server started afresh) may still raise its own back.  The judge's runners are forked by
    its fork server, which was forked before this: their limits are their own.
    """
    if limit is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


# -- the kernel's interface ----------------------------------------------------------------------
_CLONE_NEWNS = 0x00020000
_CLONE_NEWUTS = 0x04000000
_CLONE_NEWIPC = 0x08000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWPID = 0x20000000
_CLONE_NEWNET = 0x40000000
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 2, 4, 8
_MS_BIND, _MS_REC, _MS_PRIVATE = 4096, 16384, 1 << 18
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_DUMPABLE = 4
_SYS_LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_CAPABILITY_VERSION_3 = 0x20080522
_O_PATH = getattr(os, "O_PATH", 0)

# Landlock's file-system rights, by the ABI version that introduced them.
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1, 2, 4, 8
_FS_REMOVE_DIR, _FS_REMOVE_FILE, _FS_MAKE_CHAR, _FS_MAKE_DIR = 16, 32, 64, 128
_FS_MAKE_REG, _FS_MAKE_SOCK, _FS_MAKE_FIFO, _FS_MAKE_BLOCK = 256, 512, 1024, 2048
_FS_MAKE_SYM, _FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 4096, 8192, 16384, 32768
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_FILE_ONLY = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
_READ = _FS_READ_FILE | _FS_READ_DIR
_NET_BIND_TCP, _NET_CONNECT_TCP = 1, 2
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1, 2

# Device files a program may use harmlessly; GPU devices where they exist (the CUDA tier).
_DEVICES_READ = ("/dev/urandom", "/dev/random", "/dev/zero", "/dev/null")
_DEVICES_WRITE = ("/dev/null",)
_GPU_PATHS = ("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0")
_GPU_READ = ("/proc/driver/nvidia", "/sys/devices", "/sys/bus/pci", "/sys/module/nvidia")
_CPU_READ = ("/sys/devices/system/cpu",)
# What torch reads of /proc on first use (cpuinfo, for half-precision kernels).
_PROC_READ = ("/proc/cpuinfo", "/proc/stat")
# Shared libraries loaded after the fork server started (ctypes, torch's lazy imports).
_SYSTEM_LIBRARIES = ("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/etc/ld.so.cache")

# The part of the package that runs beside student code; everything else stays unreadable
# (an assignment's probes come on top: see trusted_paths).
TRUSTED_PARTS = ("__init__.py", "engine", "data.py")
# Packages a runner must never read, wherever they are installed (``solutions`` is the
# source folder of ``autograder_solutions``).
SECRET_PACKAGES = ("solutions", "autograder_solutions", "autograder")
# Folders of installed packages (the others that hold a secret package are source trees).
_INSTALLED = ("site-packages", "dist-packages")
# Where they lie below a library folder (``lib``, ``lib/python3.11``, ``/usr/lib``).
_PACKAGE_FOLDERS = (*_INSTALLED, *(f"python3*/{name}" for name in _INSTALLED))

# A runner that cannot get a layer the machine has exits with this status, serving nothing.
SEAL_FAILED_STATUS = 71
# Under root each runner runs as a user id of its own: this plus its process id.
_ROOT_UID_BASE = 0x40000000


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _load_libc() -> ctypes.CDLL | None:
    """libc, loaded once at import: a forked child must not load libraries."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _load_libc()


_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


def die_with_parent() -> None:
    """Be killed when the parent dies (Linux): nothing may outlive the grading process that
    started it.  Set it after any change of user id, which clears it."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)


def become_subreaper() -> bool:
    """Adopt orphaned descendants (what the fork server forks through a middle process);
    Linux only."""
    return _LIBC is not None and _LIBC.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


class SealError(OSError):
    """A layer could not be put in place."""


def _check(result: int, what: str) -> int:
    if result < 0:
        code = ctypes.get_errno()
        raise SealError(code, f"{what}: {os.strerror(code)}")
    return result


def landlock_abi() -> int:
    """The Landlock ABI version of this kernel; 0 where there is none."""
    if _LIBC is None:
        return 0
    version = _LIBC.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, 0, _LANDLOCK_CREATE_RULESET_VERSION)
    return max(version, 0)


# -- what a runner may read ----------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """What every runner of one fork server gets: computed once, before any runner exists."""

    readable: tuple[str, ...]
    layers: frozenset[str]  # the layers every runner must get (those the probe got)
    user_namespace: bool = False  # whether the probe could make a user namespace
    # Folders whose entries may be listed, not read: the package's own, so that Python's
    # importer finds the trusted modules in it (``from autograder import data``).
    listable: tuple[str, ...] = ()
    # The seccomp filter, compiled once (syscalls.compile_filter); empty: built by each runner.
    filter_program: bytes = b""

    def refusal(self, weak_sandbox: bool) -> str | None:
        """Why a runner may not start here (required layers missing), or None."""
        missing = missing_layers(self.layers)
        if missing and not weak_sandbox:
            return explain_missing(missing, self.user_namespace)
        return None


def _secret_locations(package_root: Path, package_folders: Iterable[Path] = ()) -> list[Path]:
    """Where the secret packages live: every installed copy, and every source checkout.

    Looked for in the package's root, on the import path and in ``package_folders``.  A
    folder of installed packages holding one loses only the secret packages.  Any other
    folder holding one (the package's root, a second checkout on the import path through a
    ``.pth`` file) is a source checkout, and goes whole: its tests, notebooks and git history
    hold the solutions too.  A folder on the path above it keeps the rest of its entries.
    """
    places: list[Path] = []
    folders = [package_root, *(Path(entry or ".") for entry in sys.path), *package_folders]
    for folder in folders:
        held = [folder / name for name in SECRET_PACKAGES if (folder / name).exists()]
        if held and folder.resolve().name not in _INSTALLED:
            places.append(folder)
        else:
            places += held
    return [p.resolve() for p in places if p.exists()]


def _package_folders(roots: Iterable[Path]) -> list[Path]:
    """The folders of installed packages inside ``roots``, on the import path or not.

    The interpreter's library folder and its standard library hold the base interpreter's
    site-packages, ``/usr/lib`` the system's: a virtual environment imports from neither,
    but a copy of the course installed there (before the venv existed) is readable.
    """
    return [
        folder
        for root in roots
        if root.is_dir()
        for pattern in _PACKAGE_FOLDERS
        for folder in root.glob(pattern)
        if folder.is_dir()
    ]


def _carve(allowed: Iterable[Path], denied: list[Path]) -> list[Path]:
    """``allowed``, where a folder that contains a denied path is replaced by its entries."""
    kept: list[Path] = []
    stack = [p for p in allowed if p.exists()]
    while stack:
        path = stack.pop()
        if path in denied:
            continue
        if path.is_dir() and any(path in d.parents for d in denied):
            with contextlib.suppress(OSError):
                stack.extend(path.iterdir())
            continue
        kept.append(path)
    return kept


def _assignment_folders(package_root: Path) -> list[Path]:
    exercises = package_root / "autograder" / "exercises"
    return sorted(p for p in exercises.iterdir() if p.is_dir()) if exercises.is_dir() else []


def trusted_paths(package_root: Path) -> list[Path]:
    """The files of the package a runner may read: :data:`TRUSTED_PARTS`, and of every
    assignment its ``probes.py`` and the ``__init__.py`` files importing it runs (never its
    checks, hidden ones included, nor its oracle)."""
    package = package_root / "autograder"
    trusted = [package / part for part in TRUSTED_PARTS]
    trusted.append(package / "exercises" / "__init__.py")
    for folder in _assignment_folders(package_root):
        trusted += [folder / "__init__.py", folder / "probes.py"]
    return [path for path in trusted if path.exists()]


def listable_paths(package_root: Path) -> tuple[str, ...]:
    """Folders a runner may list but not read: the folders that hold the trusted parts."""
    package = package_root / "autograder"
    folders = [package, package / "exercises", *_assignment_folders(package_root)]
    return tuple(str(folder) for folder in folders if folder.is_dir())


def readable_paths(package_root: Path) -> tuple[str, ...]:
    """Everything a runner may read: Python, its packages, system libraries, trusted code.

    Computed in the fork server, whose ``sys.path`` is the runners' own.  The source tree
    and any installed copy of ``autograder`` or the solutions are carved out; only
    :data:`TRUSTED_PARTS` of ``autograder`` come back.
    """
    roots: set[Path] = set()
    for key in ("stdlib", "platstdlib"):
        with contextlib.suppress(KeyError):
            roots.add(Path(sysconfig.get_paths()[key]))
    # A source checkout's root holds the tests, notebooks and git history (solutions all):
    # never a root.  An installed package's root is a site-packages folder: carved below.
    checkout = package_root.resolve()
    installed = checkout.name in _INSTALLED
    for entry in [*sys.path, *site.getsitepackages()]:
        path = Path(entry or ".").resolve()
        if installed or path != checkout:
            roots.add(path)
    # The GPU's devices and what its driver reads of /proc and /sys, only where there is one
    # (they show much of the machine's hardware).
    gpu = (*_GPU_PATHS, *_GPU_READ) if os.path.exists(_GPU_PATHS[0]) else ()
    extra = (*_SYSTEM_LIBRARIES, *_DEVICES_READ, *gpu, *_CPU_READ)
    roots.update(Path(p) for p in extra)
    roots.add(Path(sys.executable).resolve().parent.parent / "lib")  # libpython
    resolved = [r.resolve() for r in roots if r.exists()]
    # The standard library's folder holds site-packages: keep the packages carved too.
    denied = _secret_locations(package_root, _package_folders(resolved))
    kept = _carve(resolved, denied)
    trusted = trusted_paths(package_root)
    return tuple(sorted({str(p) for p in kept} | {str(p) for p in trusted}))


# -- namespaces: the runner's clone, or the middle process -----------------------------------------
# The namespaces a runner enters, by the layer each gives (a fresh UTS namespace, a host name
# of its own, is not a layer: nothing to report).
_NAMESPACE_FLAGS = (
    ("mount-namespace", _CLONE_NEWNS),
    ("pid-namespace", _CLONE_NEWPID),
    ("network-namespace", _CLONE_NEWNET),
    ("ipc-namespace", _CLONE_NEWIPC),
)
NAMESPACE_LAYERS = tuple(layer for layer, _ in _NAMESPACE_FLAGS)


def enter_namespaces() -> set[str]:
    """Unshare every namespace we can (the next child becomes the sandbox's PID 1).

    Not root: a user namespace first, mapping our own ids, which grants the rights to make
    the others.  Root needs none (and the runner leaves root behind in :func:`seal_runner`).
    Returns the layers (and ``"user-namespace"``) that took.
    """
    got: set[str] = set()
    if _LIBC is None:
        return got
    if os.geteuid() != 0:
        uid, gid = os.geteuid(), os.getegid()
        if _LIBC.unshare(_CLONE_NEWUSER) != 0:
            return got
        try:
            _map_own_ids(uid, gid)
        except OSError:
            return got
        got.add("user-namespace")
    for layer, flag in _NAMESPACE_FLAGS:
        if _LIBC.unshare(flag) == 0:
            got.add(layer)
    _LIBC.unshare(_CLONE_NEWUTS)
    return got


def _map_own_ids(uid: int, gid: int) -> None:
    """In a user namespace of our own: be there who we were outside (no other id exists)."""
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")


def _load_raw_syscall() -> Callable[..., int] | None:
    """libc's ``syscall`` called with the GIL held (for ``clone``: no other thread of ours
    may run between the fork and the child's first step); None where there is none."""
    if _LIBC is None or platform.machine() not in _SYS_CLONE:
        return None
    raw = ctypes.PyDLL(None, use_errno=True).syscall
    raw.restype = ctypes.c_long
    raw.argtypes = [ctypes.c_long] * 6
    return raw


_CLONE_PARENT = 0x00008000
# clone(2)'s number; its arguments after the flags are all zero here, so their order (which
# differs between architectures) does not matter.
_SYS_CLONE = {"x86_64": 56, "aarch64": 220, "arm64": 220}
_RAW_SYSCALL = _load_raw_syscall()


def fork_into_namespaces(layers: Iterable[str], user_namespace: bool) -> int | None:
    """Fork a child that starts in fresh namespaces, as a child of our own parent: in the
    child 0, in this process the child's pid, None where ``clone`` refused (then nothing
    was forked: fork through a middle process instead, :func:`enter_namespaces`).

    One ``clone`` with ``CLONE_PARENT`` and the namespace flags does what a middle process
    did, which entered the namespaces, forked and exited: the fork server's parent (the
    judge, a child subreaper) gets the child at once, the child is PID 1 of its PID
    namespace, and no second copy of torch's address space is made and freed (about 6 ms
    of CPU a runner).  ``layers``: the namespace layers to enter (all or nothing);
    ``user_namespace``: a user namespace first (not root), mapping our own ids.  Python's
    own fork steps run around it (``PyOS_BeforeFork`` and its pair), as in :func:`os.fork`;
    call it with no other thread running, as the fork server is.
    """
    if _RAW_SYSCALL is None:
        return None
    wanted = set(layers)
    flags = signal.SIGCHLD | _CLONE_PARENT | _CLONE_NEWUTS
    flags |= sum(flag for layer, flag in _NAMESPACE_FLAGS if layer in wanted)
    uid, gid = os.geteuid(), os.getegid()
    if user_namespace:
        flags |= _CLONE_NEWUSER
    python = ctypes.pythonapi
    python.PyOS_BeforeFork()
    pid = _RAW_SYSCALL(_SYS_CLONE[platform.machine()], flags, 0, 0, 0, 0)
    if pid == 0:
        python.PyOS_AfterFork_Child()
        if user_namespace:
            try:
                _map_own_ids(uid, gid)
            except OSError:
                os._exit(SEAL_FAILED_STATUS)
        return 0
    python.PyOS_AfterFork_Parent()
    return pid if pid > 0 else None


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


# -- the runner: everything else -----------------------------------------------------------------
@contextlib.contextmanager
def _opened(paths: Iterable[str]) -> Iterator[dict[str, int]]:
    """``O_PATH`` descriptors of the paths that exist, opened with our current rights."""
    fds: dict[str, int] = {}
    try:
        for path in dict.fromkeys(paths):
            with contextlib.suppress(OSError):
                fds[path] = os.open(path, _O_PATH | os.O_CLOEXEC)
        yield fds
    finally:
        for fd in fds.values():
            os.close(fd)


def _outer_pid() -> int:
    """This process's id as the grader sees it (read before /proc is mounted again)."""
    return int(os.readlink("/proc/self"))


def _mount(
    source: str | None, target: str, fstype: str | None, flags: int, options: str = ""
) -> None:
    assert _LIBC is not None
    try:
        empty_root.mount(_LIBC, source, target, fstype, flags, options)
    except OSError as error:
        raise SealError(error.errno, error.strerror) from None


def _searchable_by_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o001)
    except OSError:
        return False


def reach_for_another_user(paths: dict[str, int]) -> None:
    """Make every path reachable by a user id that owns nothing (the runner under root).

    A folder only its owner may search (``/root``, where pyenv puts Python) would stop the
    runner's imports.  Such a folder gets a fresh, empty tmpfs over it in our mount
    namespace, and each path below it is bind-mounted back in place from the descriptor
    opened before: the rest of the folder stays out of sight.
    """
    # Decided on the real tree first: once a tmpfs covers a folder, what is below it is ours.
    blocked_under: dict[str, Path] = {}
    for path_text in paths:
        blocked = next(
            (
                ancestor
                for ancestor in reversed(Path(path_text).parents)
                if ancestor != Path("/") and not _searchable_by_others(ancestor)
            ),
            None,
        )
        if blocked is not None:
            blocked_under[path_text] = blocked
    covered: set[Path] = set()
    for path_text, blocked in sorted(blocked_under.items()):
        path, fd = Path(path_text), paths[path_text]
        if blocked not in covered:
            _mount("tmpfs", str(blocked), "tmpfs", _MS_NOSUID | _MS_NODEV)
            os.chmod(blocked, 0o755)
            covered.add(blocked)
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            os.makedirs(path, exist_ok=True)
        else:
            os.makedirs(path.parent, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))
        _mount(f"/proc/self/fd/{fd}", str(path), None, _MS_BIND | _MS_REC)


def _landlock_ruleset(
    abi: int, readable: dict[str, int], writable: dict[str, int], listable: dict[str, int]
) -> int:
    """A Landlock ruleset: read ``readable``, read and write ``writable``, list the entries
    of ``listable`` (not read them), nothing else."""
    assert _LIBC is not None
    handled_fs = _FS_BY_ABI[max(v for v in _FS_BY_ABI if v <= abi)]
    attr = _RulesetAttr(handled_fs, 0, 0)
    size = ctypes.sizeof(ctypes.c_uint64)  # ABI 1-3 know only the file-system field
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
        size = 2 * ctypes.sizeof(ctypes.c_uint64)
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = ctypes.sizeof(attr)
    ruleset = _check(
        _LIBC.syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0),
        "landlock_create_ruleset",
    )
    writes = handled_fs & ~_FS_EXECUTE
    for rights, paths in ((_READ, readable), (writes, writable), (_FS_READ_DIR, listable)):
        for path, fd in paths.items():
            allowed = rights & handled_fs
            if not os.path.isdir(f"/proc/self/fd/{fd}"):
                allowed &= _FILE_ONLY
            rule = _PathBeneath(allowed, fd)
            _check(
                _LIBC.syscall(
                    _SYS_LANDLOCK_ADD_RULE,
                    ruleset,
                    _LANDLOCK_RULE_PATH_BENEATH,
                    ctypes.byref(rule),
                    0,
                ),
                f"landlock_add_rule {path}",
            )
    return ruleset


def _drop_capabilities() -> None:
    """No capabilities left, in any set (the user namespace gave us all of them)."""
    assert _LIBC is not None
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_LIBC.capset(ctypes.byref(header), data), "capset")


def seal_runner(
    plan: Plan,
    namespaces: set[str],
    folder: RunnerFolder,
    extra_readable: Iterable[str],
    limits: Limits,
) -> set[str]:
    """Put every layer of ``plan.layers`` in place, in this process, for good.

    Runs in the runner right after the fork, before it reads a request.  Raises
    :class:`SealError` if a layer of the plan does not take: the caller must then exit.
    Returns the layers in force.
    """
    got = {layer for layer in namespaces if layer in LAYERS}
    if _LIBC is None:
        _require(plan.layers, got)
        return got
    root = os.geteuid() == 0
    outer_pid = _outer_pid()
    user = _ROOT_UID_BASE + outer_pid  # under root: the runner's own user id
    readable = [*plan.readable, *extra_readable, folder.workdir]
    home_options = f"size={limits.folder_bytes},nr_inodes={limits.folder_files},mode=0700"
    with _opened(readable) as read_fds:
        if "mount-namespace" in got:
            _mount(None, "/", None, _MS_REC | _MS_PRIVATE)  # nothing leaks to the host
            if root:
                os.chown(folder.workdir, user, user)  # to reach its home, not to write there
            writable = {
                folder.home: home_options,
                "/tmp": f"size={limits.tmp_bytes},nr_inodes={limits.tmp_files},mode=1777",
            }
            try:
                empty_root.build(folder.home, read_fds, writable, "pid-namespace" in got)
                got.add("empty-root")
            except OSError:
                if "empty-root" in plan.layers:
                    raise
                # A weak sandbox: the host's tree, as before the empty root existed.
                if root:
                    reach_for_another_user(read_fds)
                _mount(
                    "tmpfs", folder.home, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC, home_options
                )
                if "pid-namespace" in got:
                    _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
        abi = landlock_abi()
        ruleset = -1
        if abi:
            try:
                with (
                    _opened(_PROC_READ) as proc_fds,  # this sandbox's own /proc, now
                    _opened(plan.listable) as list_fds,  # (after any tmpfs over them)
                    # /tmp only where it is the runner's own tmpfs (the empty root's): else
                    # it is the host's, the judge's (a weak sandbox: Gradescope's Docker).
                    _opened(
                        [folder.home, *(["/tmp"] if "empty-root" in got else []), *_DEVICES_WRITE]
                    ) as write_fds,
                ):
                    readable_fds = {**read_fds, **proc_fds}
                    ruleset = _landlock_ruleset(abi, readable_fds, write_fds, list_fds)
            except SealError:
                if "landlock-filesystem" in plan.layers:
                    raise
        # From here on nothing runs with privileges.
        if root:
            if "empty-root" not in got:
                os.chown(folder.workdir, user, user)  # to reach its home, not to write there
            os.chown(folder.home, user, user)
            os.setgroups([])
            os.setresgid(user, user, user)
            os.setresuid(user, user, user)  # drops every capability
            got.add("process-limit")
        else:
            _drop_capabilities()
            if "user-namespace" in namespaces:
                got.add("process-limit")  # counted in our own user namespace
        if "process-limit" in got:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        try:
            syscalls.join_new_session_keyring(_LIBC)
            got.add("session-keyring")
        except OSError:
            if "session-keyring" in plan.layers:
                raise
        _check(_LIBC.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
        _check(_LIBC.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0), "dumpable")
        got.add("unprivileged")
        if ruleset >= 0:
            try:
                _check(_LIBC.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0), "landlock")
            finally:
                os.close(ruleset)
            got.add("landlock-filesystem")
            if abi >= 4:
                got.add("landlock-network")
            if abi >= 6:
                got.add("landlock-scopes")
        # Last: from here on the runner cannot mount, trace, fork or open a socket.
        try:
            syscalls.load_filter(_LIBC, plan.filter_program)
            got.add("syscall-filter")
        except OSError:
            if "syscall-filter" in plan.layers:
                raise
    # Once the descriptors of the paths above are closed (there may be hundreds).
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    _require(plan.layers, got)
    return got


def _require(wanted: frozenset[str], got: set[str]) -> None:
    missing = sorted(wanted - got)
    if missing:
        raise SealError(errno.EPERM, f"layers not in force: {', '.join(missing)}")


def missing_layers(layers: Iterable[str]) -> list[str]:
    """The required layers not among ``layers``, in :data:`LAYERS` order."""
    have = set(layers)
    return [layer for layer in LAYERS if layer in REQUIRED and layer not in have]


def explain_missing(missing: list[str], user_namespace: bool) -> str:
    """What to tell an instructor whose machine lacks ``missing`` layers."""
    lines = [f"the sandbox is incomplete on this machine: {', '.join(missing)} not available"]
    if not user_namespace and os.geteuid() != 0:
        lines.append("to enable: " + ENABLE_HINTS["user-namespace"])
    if "landlock-filesystem" in missing:
        lines.append("to enable: " + ENABLE_HINTS["landlock-filesystem"])
    lines.append(
        "or accept a weaker sandbox for trusted code only: --allow-weak-sandbox "
        "(the results then list the layers that were in force)"
    )
    return "\n".join(lines)
