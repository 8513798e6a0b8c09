"""A fork server: pay ``import torch`` once, then hand out fresh, sealed runners.

The fork server is a process started with an isolated interpreter and a scrubbed environment
that imports torch and the runner code and then waits.  Runners exist only as its forks:
for every runner the judge wants, it sends the fork server the runner's pipe ends and output
file (``SCM_RIGHTS``) and its settings.  The fork server runs no torch code beyond a few operators
on two small tensors, on one thread (no thread pool exists to break in the fork), and never
touches student code.

Each runner is forked in one ``clone`` straight into new namespaces, as a child of the
fork server's parent, the judge (:func:`containment.fork_into_namespaces`; where the kernel
refuses, through a middle process that enters them and exits at once, the judge then
adopting the runner as a child subreaper).  The runner is PID 1 of a PID namespace of its
own and seals itself; the judge reaps it and reports "killed by SIGSEGV" or "exited with
status 3".  Killing it kills everything it started.  When it starts, the fork server seals a
probe child once to learn which layers this machine provides (:func:`ForkServer.layers`);
every runner must then get all of them.

Judges are forked from it too (:func:`fork_judge`): a command's judge, to which the command
hands its grading so that it never imports torch itself, and a second judge.  A judge forks
its own fork server first, then learns the asking process's environment.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import faulthandler
import importlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograder.engine import containment, syscalls
from autograder.engine.pipes import read_json, write_json

MAX_FDS = 4  # the most a request carries (a judge with its standard streams)
_BUFFER = 1 << 16


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode() + b"\n"
    sent = socket.send_fds(sock, [data], fds) if fds else 0
    sock.sendall(data[sent:])  # a large message (a judge's environment) takes several writes


def _receive(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """One message (a line of JSON; a judge's environment can take several reads)."""
    data, fds, _flags, _address = socket.recv_fds(sock, _BUFFER, MAX_FDS)
    chunks, received = [data], list(fds)
    while data and not chunks[-1].endswith(b"\n"):
        data = sock.recv(_BUFFER)
        chunks.append(data)
    if not data:
        return None, received
    return json.loads(b"".join(chunks).decode()), received


# -- fork server side ------------------------------------------------------------------------------
def _become_runner(
    settings: dict[str, Any], fds: list[int], control: int, seal: SealSettings
) -> None:
    """In the forked child, PID 1 of its own namespaces: seal, then serve."""
    try:
        os.close(control)
        os.setsid()
        fd_in, fd_out, output = fds
        # Cloned as the judge's child, we are its already; forked through a middle process,
        # wait until the judge has adopted us, so that the parent-death signal set below is
        # tied to the judge.
        _wait_for_adoption(settings["judge"])
        os.dup2(output, 1)
        os.dup2(output, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        close_all_but({0, 1, 2, fd_in, fd_out})
        limits = containment.Limits(**settings["limits"])
        containment.apply_limits(limits)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.environ.clear()
        os.environ.update(settings["env"])
        folder = containment.RunnerFolder(settings["workdir"])
        try:
            containment.seal_runner(
                seal.plan, seal.namespaces, folder, settings.get("readable", []), limits
            )
        except OSError as error:
            os.write(2, f"the sandbox could not be sealed: {error}\n".encode())
            os._exit(containment.SEAL_FAILED_STATUS)
        os.chdir(folder.home)  # the tmpfs mounted there, not the folder below it
        containment.die_with_parent()  # after the change of user, which clears it
        from autograder.engine.runner import Runner

        Runner().serve(fd_in, fd_out)
    finally:
        os._exit(0)


def close_all_but(keep: set[int]) -> None:
    """Close every other descriptor (Linux: they are listed in /proc).

    A fork inherits all of its parent's: a second judge's fork server and its runners would
    otherwise hold the second judge's pipes to the judge, where student code could write
    results of its own.
    """
    for name in os.listdir("/proc/self/fd"):
        if int(name) not in keep:
            with contextlib.suppress(OSError):
                os.close(int(name))


def _parent_seen_from_outside() -> int:
    """Our parent's id in the grader's PID namespace (before /proc is mounted again)."""
    with open("/proc/self/stat", "rb") as handle:
        return int(handle.read().rsplit(b")", 1)[1].split()[1])


def _wait_for_adoption(judge: int) -> None:
    """In a child forked through a middle process: wait until the judge (a child
    subreaper) has adopted us (a runner cloned as its child is its child already)."""
    for _ in range(5000):
        if _parent_seen_from_outside() == judge:
            return
        time.sleep(0.001)
    os._exit(70)


def _become_judge(
    settings: dict[str, Any], fds: list[int], control: int, seal: SealSettings
) -> None:
    """In the forked child: become a judge for the process that asked (a second judge, or
    the judge of a command); ``settings["entry"]`` (``module:function``) does the grading.

    It first forks a fork server of its own, before it imports anything of the grading
    layer and before it learns the asking process's environment and folder, so that neither
    the judges' code nor that environment (a CI job's secrets) is in its runners' memory.
    Then it puts itself under its memory limit (``settings["memory_bytes"]``), which its
    fork server, forked before, does not share.
    The environment comes over the judge's own pipe, never through this fork server, whose
    memory every runner copies.  With four descriptors, the last two become its standard
    output and error (a command's own).
    """
    try:
        os.close(control)
        os.setsid()
        _wait_for_adoption(settings["judge"])
        containment.die_with_parent()
        if os.getppid() != settings["judge"]:
            return  # the judge died before the signal was armed
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        server = fork_private_server(seal.plan)
        if server is None:
            return  # the asking process sees the pipe close and grades everything itself
        containment.limit_judge_memory(settings["memory_bytes"])
        for fd in fds[:2]:  # received inheritable: no program it starts may keep them open
            os.set_inheritable(fd, False)
        context = read_json(fds[0])
        _take_the_place_of(context)
        for target, fd in zip((1, 2), fds[2:]):
            os.dup2(fd, target)
            os.close(fd)
        # A judge runs no student code: should it crash in C (a batch's judge has been seen
        # killed by SIGSEGV in the garbage collector), its Python stack goes to its stderr.
        faulthandler.enable()
        module_name, _, function = settings["entry"].partition(":")
        entry = getattr(importlib.import_module(module_name), function)
        status = 0
        try:
            entry(fds[0], fds[1])
        except BaseException:  # noqa: BLE001 - said, and a failure, never a silent exit 0
            traceback.print_exc()
            sys.stderr.flush()
            status = 70  # EX_SOFTWARE: the judge itself broke
        # Killed and reaped here: left to die with us, it would be adopted by the asking
        # process (a child subreaper) and stay there a zombie, one for every judge it forked.
        server.close()
        os._exit(status)
    finally:
        os._exit(0)


def _asking_process() -> dict[str, Any]:
    """What a judge forked for this process needs to import and run as it would here."""
    customized = {
        name: module.__file__
        for name in ("sitecustomize", "usercustomize")
        if (module := sys.modules.get(name)) is not None and getattr(module, "__file__", None)
    }
    streams = [
        [getattr(stream, "encoding", None), getattr(stream, "errors", None)]
        for stream in (sys.stdout, sys.stderr)  # None where the descriptor was closed
    ]
    return {
        "env": dict(os.environ),
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "customized": customized,
        "streams": streams,
        "write_bytecode": not sys.dont_write_bytecode,
    }


def _take_the_place_of(context: dict[str, Any]) -> None:
    """In a forked judge: the asking process's folder, environment and import path.

    The fork server started with an import path of its own and a scrubbed environment;
    the judge imports and reads settings as the asking process would, running the
    ``sitecustomize`` that process ran at start-up (a finder that hides modules, say).
    """
    os.chdir(context["cwd"])
    os.environ.clear()
    os.environ.update(context["env"])
    sys.path[:] = context["path"]
    # The fork server's environment keeps runners from writing bytecode; a judge imports
    # the grading layer's modules (every assignment's checks) as the asking process would,
    # keeping their bytecode where it would: else it compiled them again on every grading.
    sys.dont_write_bytecode = not context.get("write_bytecode", False)
    for name, file in context.get("customized", {}).items():
        if getattr(sys.modules.get(name), "__file__", None) != file:
            spec = importlib.util.spec_from_file_location(name, file)
            if spec is not None and spec.loader is not None:
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
    for stream, (encoding, errors) in zip((sys.stdout, sys.stderr), context.get("streams", [])):
        if encoding is not None:
            with contextlib.suppress(AttributeError, ValueError, LookupError):
                stream.reconfigure(encoding=encoding, errors=errors)


@dataclass(frozen=True)
class SealSettings:
    """What a forked child needs to seal itself: the plan and the namespaces it is in."""

    plan: containment.Plan
    namespaces: set[str]


Become = Callable[[dict[str, Any], list[int], int, SealSettings], None]
_CHILDREN: dict[str, tuple[Become, int, bool]] = {
    # op: (what the child becomes, how many descriptors it takes, whether it is sandboxed)
    "spawn": (_become_runner, 3, True),
    "judge": (_become_judge, 2, False),
    "judge-with-streams": (_become_judge, 4, False),
}


def _double_fork(
    become: Become,
    settings: dict[str, Any],
    fds: list[int],
    control_fd: int,
    plan: containment.Plan,
    sandboxed: bool,
) -> tuple[int, int]:
    """Fork a child through a middle process that exits at once: (middle's pid, child's pid).

    How a second judge starts, and a runner where the kernel refuses :func:`_clone_runner`.
    The child (a runner, or a second judge) is then adopted by the judge (a child
    subreaper), exactly as if the judge had spawned it, and the judge reaps it and reads its
    exit status itself; the child waits for that adoption before it does anything.  For a
    runner, the middle process first enters new namespaces: the runner is the first process
    of its own PID namespace.  The caller reaps the middle process later: its exit (the
    kernel freeing a copy of torch's address space) need not hold up the answer.
    """
    read_end, write_end = os.pipe()
    middle = os.fork()
    if middle == 0:
        try:
            os.close(read_end)
            namespaces = containment.enter_namespaces() if sandboxed else set()
            child = os.fork()
            if child == 0:
                os.close(write_end)
                become(settings, fds, control_fd, SealSettings(plan, namespaces))
            os.write(write_end, str(child).encode())
            # Now, not at the exit: that frees a copy of torch's address space first.
            os.close(write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    for fd in fds:
        os.close(fd)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    return middle, int(data)


def _clone_runner(
    settings: dict[str, Any], fds: list[int], control_fd: int, plan: containment.Plan
) -> int | None:
    """Fork a runner straight into its namespaces as the judge's child (one ``clone``,
    :func:`containment.fork_into_namespaces`): its pid, or None where ``clone`` refused."""
    layers = [layer for layer in containment.NAMESPACE_LAYERS if layer in plan.layers]
    pid = containment.fork_into_namespaces(layers, plan.user_namespace)
    if pid == 0:
        got = {*layers, *(["user-namespace"] if plan.user_namespace else [])}
        try:
            _become_runner(settings, fds, control_fd, SealSettings(plan, got))
        finally:
            os._exit(0)
    if pid is not None:
        for fd in fds:
            os.close(fd)
    return pid


def _reap(middles: set[int]) -> None:
    """Reap the middle processes that have exited."""
    for pid in list(middles):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                continue
        middles.discard(pid)


def _probe(plan: containment.Plan) -> containment.Plan:
    """Seal a child as a runner would be: ``plan`` with the layers it got."""
    read_end, write_end = os.pipe()
    folder = containment.RunnerFolder.create()
    middle = os.fork()
    if middle == 0:
        try:
            os.close(read_end)
            namespaces = containment.enter_namespaces()
            child = os.fork()
            if child == 0:
                try:
                    got = containment.seal_runner(
                        plan, namespaces, folder, [], containment.Limits()
                    )
                except OSError:
                    got = set()
                os.write(write_end, json.dumps(sorted(got | namespaces)).encode())
                os._exit(0)
            os.close(write_end)
            os.waitpid(child, 0)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(middle, 0)
    got = set(json.loads(data or b"[]"))
    shutil.rmtree(folder.workdir, ignore_errors=True)
    layers = frozenset(layer for layer in containment.LAYERS if layer in got)
    return containment.Plan(
        plan.readable, layers, "user-namespace" in got, plan.listable, plan.filter_program
    )


_MADV_COLLAPSE = 25  # Linux 6.1+; elsewhere madvise refuses it and nothing changes
_HUGE_PAGE = 2 << 20
_SMAPS_FIELDS = ("Anonymous:", "AnonHugePages:")


def _anonymous_regions() -> list[tuple[int, int, int, int]]:
    """(start, end, anonymous bytes, of which in huge pages) of each writable private
    mapping of this process, from /proc/self/smaps."""
    regions: list[list[int]] = []
    try:
        with open("/proc/self/smaps") as handle:
            for line in handle:
                field, _, rest = line.partition(" ")
                if "-" in field and ":" not in field:  # a mapping's first line
                    start, end = (int(bound, 16) for bound in field.split("-"))
                    perms = rest.split(maxsplit=1)[0]
                    regions.append([start, end, 0, 0, "w" in perms and "p" in perms])
                elif field in _SMAPS_FIELDS and regions:
                    regions[-1][2 + _SMAPS_FIELDS.index(field)] = 1024 * int(rest.split()[0])
    except (OSError, ValueError):
        return []
    return [(start, end, anon, huge) for start, end, anon, huge, private in regions if private]


def collapse_into_huge_pages() -> int:
    """Move this process's anonymous memory into huge pages now; the bytes asked to move
    (the kernel may move less: it needs free huge pages).

    Every runner is a fork of this process, and a fork copies one page-table entry per
    4 KiB page of anonymous memory, which its exit frees again: about 120 MiB of torch's
    import sat in small pages, so a fork cost ~10 ms and an exit ~17 ms.  In huge pages a
    fork copies one entry per 2 MiB.  Only mappings mostly
    in use are collapsed (a sparse one would fill up), before any runner exists (while torch
    is imported, see :class:`_Collapsing`, and once more after); a mapping moved already is
    left alone.  Where the kernel cannot (older than 6.1, huge pages off) nothing changes.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    asked = 0
    for start, end, anonymous, huge in _anonymous_regions():
        if anonymous - huge < _HUGE_PAGE // 2 or 2 * anonymous < end - start:
            continue
        first = -(-start // _HUGE_PAGE) * _HUGE_PAGE
        last = end // _HUGE_PAGE * _HUGE_PAGE
        if last > first:
            libc.madvise(first, last - first, _MADV_COLLAPSE)
            asked += last - first
    return asked


class _Collapsing:
    """:func:`collapse_into_huge_pages` on a thread of its own, every ``interval`` seconds,
    while this process imports torch on the main thread: the other core does the moving,
    which would otherwise come after the imports, before the first judge could start."""

    def __init__(self, interval: float = 0.25) -> None:
        self._interval = interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="collapsing", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(self._interval):
            collapse_into_huge_pages()

    def finish(self) -> None:
        """Stop the thread (no thread may be running at a fork), then move what is left."""
        self._done.set()
        self._thread.join()
        collapse_into_huge_pages()


def serve(control_fd: int, plan: containment.Plan | None = None) -> None:
    """The fork server's loop: fork a runner per request and say its pid."""
    # A forked server (a judge's) shares its parent's huge pages already.
    collapsing = _Collapsing() if plan is None else None
    import torch  # noqa: F401 - the point: imported once, shared by every runner
    import torch._dynamo  # noqa: F401 - imported by an optimizer's first step (0.6-1 s)

    import autograder.engine.calls  # noqa: F401
    import autograder.engine.runner
    from autograder.engine.launch import PACKAGE_ROOT, freeze_imports

    torch.set_num_threads(1)
    # Which torch functions Python's operators call: learnt once here, on two small tensors
    # (one thread, no pool), instead of in every runner as it starts (2 ms each).
    autograder.engine.runner.operator_methods()
    freeze_imports()
    if collapsing is not None:
        collapsing.finish()
    # (A forked server's are its parent's, shared.)
    huge_pages = sum(huge for _, _, _, huge in _anonymous_regions())
    if plan is None:
        readable = containment.readable_paths(PACKAGE_ROOT)
        listable = containment.listable_paths(PACKAGE_ROOT)
        program = syscalls.compile_filter()  # once: each runner loads these bytes
        plan = _probe(
            containment.Plan(readable, frozenset(), listable=listable, filter_program=program)
        )
    found = {
        "layers": [layer for layer in containment.LAYERS if layer in plan.layers],
        "user_namespace": plan.user_namespace,
        "huge_pages": huge_pages,  # (what a runner's fork costs: see bench --profile)
    }
    children: set[int] = set()
    middles: set[int] = set()
    cloning = True  # runners in one clone each (_clone_runner) until the kernel refuses
    forked = {"cloned": 0, "through_a_middle": 0}  # runners so far, by how (layers says)
    control = socket.socket(fileno=control_fd)
    while True:
        _reap(middles)
        try:
            request, fds = _receive(control)
        except (ConnectionError, OSError):
            request, fds = None, []
        if request is None:
            break
        op = request.get("op")
        if op == "layers":
            for fd in fds:
                os.close(fd)
            _send(control, {**found, "runners": forked})
            continue
        become, count, sandboxed = _CHILDREN.get(op, (None, 0, False))
        refusal = None
        if sandboxed:
            weak = bool(request.get("limits", {}).get("weak_sandbox"))
            refusal = plan.refusal(weak)
        if refusal is not None:
            for fd in fds:
                os.close(fd)
            _send(control, {"error": refusal, "refused": True})
        elif become is not None and len(fds) == count:
            cloned = None
            if sandboxed and cloning and request.get("clone"):
                cloned = _clone_runner(request, fds, control_fd, plan)
                cloning = cloned is not None  # refused once: through a middle from now on
            if cloned is None:
                middle, cloned = _double_fork(become, request, fds, control_fd, plan, sandboxed)
                middles.add(middle)
                if sandboxed:
                    forked["through_a_middle"] += 1
            else:
                forked["cloned"] += 1
            children.add(cloned)
            _send(control, {"pid": cloned})
        else:
            for fd in fds:
                os.close(fd)
            _send(control, {"error": f"bad request {op!r}"})
    for pid in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    os._exit(0)


class SandboxRefused(Exception):
    """The fork server will not start a runner here: a required layer is missing."""


# -- judge side -------------------------------------------------------------------------------
class ForkServer:
    """The judge's connection to its fork server."""

    def __init__(
        self, sock: socket.socket, pid: int, process: subprocess.Popen | None = None
    ) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        self.pid = pid
        self.process = process
        # Started (made in start or fork) by the main thread: the only thread whose runners
        # may be cloned as its children (see spawn).
        self._main_thread = threading.current_thread() is threading.main_thread()
        self._sock.settimeout(60)

    @classmethod
    def start(cls, command: list[str], env: dict[str, str], cwd: str) -> ForkServer:
        """A fresh interpreter that imports torch (while we go on) and then serves."""
        sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        process = subprocess.Popen(
            [*command, str(child.fileno())],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        child.close()
        return cls(sock, process.pid, process)

    @classmethod
    def fork(cls, plan: containment.Plan) -> ForkServer:
        """This very process, forked, serving: for a second judge that a fork server made.

        Such a judge is a fork server's copy (torch imported, no torch code run, no threads),
        so a fork of it is one too, and its runners become the judge's own children.
        """
        sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            try:
                sock.close()
                os.setpgid(0, 0)
                containment.die_with_parent()
                control = child.detach()
                close_all_but({0, 1, 2, control})
                serve(control, plan)
            finally:
                os._exit(0)
        child.close()
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # (either side may get there first)
        return cls(sock, pid)

    def _ask(self, message: dict[str, Any], fds: list[int] | None = None) -> dict[str, Any]:
        with self._lock:
            _send(self._sock, message, fds)
            answer, _ = _receive(self._sock)
        if not answer:
            raise OSError("the fork server did not answer")
        return answer

    def spawn(self, settings: dict[str, Any], fds: list[int], op: str = "spawn") -> int:
        """Have the server fork a runner (``op="spawn"``: its request and answer pipes and
        its output file) or a second judge (``"judge"``: its two pipes)."""
        # A runner cloned as our child is the child of the thread that started the fork
        # server, and its parent-death signal is tied to that thread (not to this process):
        # started by another thread (a spare runner's), every runner alive when it ends
        # would be killed.  Then the fork server forks through a middle process, whose
        # runners we adopt, as a process.
        answer = self._ask({"op": op, **settings, "clone": self._main_thread}, fds)
        if answer.get("refused"):
            raise SandboxRefused(str(answer.get("error")))
        if "pid" not in answer:
            raise OSError(f"fork server refused: {answer}")
        return int(answer["pid"])

    def layers(self) -> dict[str, Any]:
        """The sandbox's layers on this machine: ``{"layers": [...], "user_namespace"}``."""
        return self._ask({"op": "layers"})

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def close(self, wait: bool = True) -> None:
        """Kill the server and its runners; ``wait`` for it to be gone (and reaped)."""
        with contextlib.suppress(OSError):
            self._sock.close()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        if not wait:
            return
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        else:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)


_SERVER: ForkServer | None = None
_OWNER: int | None = None


def fork_server() -> ForkServer | None:
    """This process's fork server, started on first use; None where it cannot run.

    Cheap to call early: it only starts the server, which imports torch in the background.
    """
    from autograder.engine.launch import FORK_SERVER_BOOTSTRAP, runner_command, scrubbed_environment

    folder = tempfile.gettempdir()
    # Every runner is a fork of this process, and a fork copies its memory map: one
    # page-table entry per page, one entry per mapping.  glibc's malloc backs its arenas with
    # huge pages (glibc 2.35+; ignored elsewhere), and with PYTHONMALLOC=malloc Python's
    # objects live there too, not in pymalloc's many small mappings.
    env = {
        **scrubbed_environment(folder),
        "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1",
        "PYTHONMALLOC": "malloc",
    }
    return shared_fork_server(runner_command(FORK_SERVER_BOOTSTRAP), env, folder)


def shared_fork_server(command: list[str], env: dict[str, str], cwd: str) -> ForkServer | None:
    """This process's fork server, started on first use; None if broken or not Linux."""
    global _SERVER, _OWNER
    if sys.platform != "linux":
        return None
    if _SERVER is not None and (os.getpid() != _OWNER or not _SERVER.alive()):
        if os.getpid() == _OWNER:
            _SERVER.close()
        _SERVER = None  # a forked worker must not share its parent's socket
    if _SERVER is None:
        if not containment.become_subreaper():
            return None
        try:
            _SERVER = ForkServer.start(command, env, cwd)
            _OWNER = os.getpid()
        except OSError:
            return None
        atexit.register(_close_shared)
    return _SERVER


def _close_shared() -> None:
    """At exit: kill the server, without waiting for the kernel to free its memory."""
    global _SERVER
    if _SERVER is not None and os.getpid() == _OWNER:
        _SERVER.close(wait=False)
    _SERVER = None


def fork_judge(
    entry: str,
    streams: bool = False,
    memory_bytes: int | None = containment.JUDGE_MEMORY_BYTES,
) -> tuple[int, int, int] | None:
    """A judge forked from this process's fork server, running ``entry(fd_in, fd_out)``
    (``module:function``): its pid, the pipe to it and the pipe from it; None where there is
    no fork server.  With ``streams``, it writes to this process's standard output and error.
    It may allocate ``memory_bytes`` (:func:`containment.limit_judge_memory`; the grading
    run's ``Limits.judge_memory_bytes``).

    It shares torch's memory with the fork server instead of importing torch again, is adopted
    by this process (a child subreaper) and dies with it.  This process's environment, folder
    and import path go over the pipe, after the judge has forked its own fork server: the
    fork server never holds them (see :func:`_become_judge`).
    """
    server = fork_server()
    if server is None:
        return None
    standard: list[int] = []
    try:
        for fd in (1, 2) if streams else ():
            standard.append(os.dup(fd))
    except OSError:  # no standard output or error to hand over
        for fd in standard:
            os.close(fd)
        return None
    to_read, to_write = os.pipe()
    from_read, from_write = os.pipe()
    fds = [to_read, from_write, *standard]
    op = "judge-with-streams" if streams else "judge"
    try:
        settings = {"judge": os.getpid(), "entry": entry, "memory_bytes": memory_bytes}
        pid = server.spawn(settings, fds, op)
        write_json(to_write, _asking_process())
    except OSError:
        for fd in (to_write, from_read):
            os.close(fd)
        return None
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
    return pid, to_write, from_read


def kill_judge(pid: int) -> None:
    """Kill a judge of :func:`fork_judge` at once, and what it leaves this process.

    Its own fork server and its runners are its children: when it dies, this process (a
    child subreaper) adopts them, and they would stay here, zombies.  So it is stopped
    first (stopped, it reaps none of its children, whose ids then stay theirs), its
    children are listed, it is killed, and once it is dead they are killed and reaped.
    The judge itself is left for its owner to reap.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGSTOP)
    try:
        os.waitid(os.P_PID, pid, os.WSTOPPED | os.WEXITED | os.WNOWAIT)
        children = _children(pid)
    except ChildProcessError:  # not adopted yet (it has no children then), or reaped already
        children = []
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
    if not children:
        return
    with contextlib.suppress(ChildProcessError):
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # dead: its children are ours
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)


def _children(pid: int) -> list[int]:
    """The children of every thread of ``pid``, as /proc lists them (alive or not)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as file:
                found += [int(child) for child in file.read().split()]
    return found


def fork_private_server(plan: containment.Plan) -> ForkServer | None:
    """Give this process, a second judge just forked from a fork server, a server of its own.

    Call it first thing, before any torch code runs.  The judge becomes a child subreaper, so
    that its runners are its own children, as they are the first judge's.
    """
    global _SERVER, _OWNER
    if not containment.become_subreaper():
        return None
    _SERVER = ForkServer.fork(plan)
    _OWNER = os.getpid()
    atexit.register(_close_shared)
    return _SERVER
