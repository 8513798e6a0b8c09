"""What a runner may ask of the kernel: a seccomp filter and a keyring of its own.

The namespaces and Landlock decide what a runner can reach; this module takes away the
system calls it never needs, whose mere availability is an attack surface or a channel the
other layers do not cover:

- the kernel's keyrings (``keyctl``, ``add_key``, ``request_key``): a runner would
  otherwise possess the grader's session keyring, read its keys and plant its own;
- other processes' memory and tracing (``ptrace``, ``process_vm_readv``/``writev``);
- mounts, ``pivot_root``, new namespaces and ``setns`` (the sandbox is built before the
  filter is loaded; nothing may rebuild it);
- kernel facilities with a history of exploits and no use here: ``bpf``,
  ``perf_event_open``, ``userfaultfd``, ``io_uring``, module loading, ``kexec``; and Linux
  AIO's ``io_setup``, whose events the whole machine shares (a runner took them all);
- sockets of every family: a runner talks to its judge through the pipes it was given;
- new processes: ``fork``, ``vfork`` and ``clone`` without ``CLONE_THREAD`` (threads are
  allowed).  A runner is one process, so its memory limit is its total: seven processes of
  a gigabyte each cannot exist.  ``clone3`` answers ``ENOSYS``, so that the C library
  falls back to ``clone``, whose flags the filter can read;
- memory the address-space limit does not count: what a runner writes to a memfd
  (``memfd_create``, ``memfd_secret``), a System V segment, queue or semaphore set stays in
  the kernel once unmapped, as much as it likes; ``vmsplice`` keeps pages in a pipe after
  they are unmapped, and ``fcntl(F_SETPIPE_SZ)`` grows a pipe sixteenfold.  A pipe keeps its
  default size (64 KiB), and the runner may open few files (``Limits.open_files``);
- ``fallocate``: with ``FALLOC_FL_KEEP_SIZE`` it takes the blocks of the grader's disk
  through the output file it was handed, past the file-size limit, which checks sizes.
  It answers ``EOPNOTSUPP``, on which the C library's ``posix_fallocate`` writes instead;
- ``prctl(PR_SET_DUMPABLE)``: the runner stays as it was sealed, not dumpable;
- what the kernel counts per user, which the unprivileged grader's runner would take from
  the grader's own processes: ``inotify`` instances (128 a user; queued signals are bounded
  by ``Limits.queued_signals``).

The filter is libseccomp's (through ``pyseccomp``), a deny-list over a default of allow:
every other call stays as it was.  System calls of another architecture (32-bit calls on
a 64-bit kernel) kill the runner, libseccomp's default for a foreign architecture.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import tempfile
from typing import Any

try:  # libseccomp is a system library: where it is missing the layer is missing
    import pyseccomp as _seccomp
except (ImportError, OSError):  # pragma: no cover - depends on the machine
    _seccomp = None

DENIED = (
    # keyrings
    "keyctl",
    "add_key",
    "request_key",
    # other processes
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    # the sandbox's own construction
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "open_tree",
    "open_tree_attr",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "name_to_handle_at",
    "open_by_handle_at",
    # kernel facilities a runner never needs
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "io_setup",  # (Linux AIO: its events are the whole machine's, fs.aio-max-nr)
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "syslog",
    "quotactl",
    "lookup_dcookie",
    "vhangup",
    # sockets
    "socket",
    "socketpair",
    # new processes (clone is filtered by its flags below)
    "fork",
    "vfork",
    # memory outside the address space (fcntl's F_SETPIPE_SZ is filtered below)
    "memfd_create",
    "memfd_secret",
    "shmget",
    "shmat",
    "shmctl",
    "shmdt",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "semget",
    "semop",
    "semtimedop",
    "semctl",
    "vmsplice",
    # what the kernel counts per user (the unprivileged grader's runner is the grader's user)
    "inotify_init",
    "inotify_init1",
    "fanotify_init",
)
# The numbers of the calls above that every architecture shares (424 and up), for a
# libseccomp too old to name them (2.5 knows no open_tree_attr).
_SHARED_NUMBERS = {
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "pidfd_getfd": 438,
    "mount_setattr": 442,
    "memfd_secret": 447,
    "open_tree_attr": 467,
}
_CLONE_THREAD = 0x00010000
_F_SETPIPE_SZ = 1031
_PR_SET_DUMPABLE = 4
_NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)

_KEYCTL_JOIN_SESSION_KEYRING = 1
_SYS_KEYCTL = {"x86_64": 250, "aarch64": 219, "arm64": 219}


def filter_available() -> bool:
    """Whether this machine can load the filter (libseccomp is installed)."""
    return _seccomp is not None


def _policy() -> Any:
    """The filter, built (libseccomp's ``SyscallFilter``, not yet loaded)."""
    if _seccomp is None:
        raise OSError(errno.ENOSYS, "libseccomp is not installed (apt-get install libseccomp2)")
    refuse = _seccomp.ERRNO(errno.EPERM)
    policy = _seccomp.SyscallFilter(_seccomp.ALLOW)
    for name in DENIED:
        try:
            policy.add_rule(refuse, name)
        except (ValueError, OSError):
            if name in _SHARED_NUMBERS:  # a call this libseccomp cannot name
                policy.add_rule(refuse, _SHARED_NUMBERS[name])
            # else a call this architecture does not have (fork on arm64)
    policy.add_rule(_seccomp.ERRNO(errno.ENOSYS), "clone3")
    policy.add_rule(_seccomp.ERRNO(errno.EOPNOTSUPP), "fallocate")
    # The kernel reads fcntl's command as 32 bits: compare those alone, or a command with
    # high bits set would pass as another.
    low_bits = _seccomp.Arg(1, _seccomp.MASKED_EQ, 0xFFFFFFFF, _F_SETPIPE_SZ)
    policy.add_rule(refuse, "fcntl", low_bits)
    # The runner is sealed not dumpable: a crash then never reaches core_pattern, whose
    # helper (apport, systemd-coredump) would run as the host's root and keep its memory.
    not_again = _seccomp.Arg(0, _seccomp.MASKED_EQ, 0xFFFFFFFF, _PR_SET_DUMPABLE)
    policy.add_rule(refuse, "prctl", not_again)
    # clone's first argument holds its flags (x86-64 and arm64 alike).
    policy.add_rule(refuse, "clone", _seccomp.Arg(0, _seccomp.MASKED_EQ, _CLONE_THREAD, 0))
    for flag in _NAMESPACE_FLAGS:
        policy.add_rule(refuse, "clone", _seccomp.Arg(0, _seccomp.MASKED_EQ, flag, flag))
    return policy


def compile_filter() -> bytes:
    """The filter as the kernel takes it (classic BPF, libseccomp's own translation), made
    once by the fork server: each runner then loads these bytes (:func:`load_filter`)
    instead of building the filter again (about 1 ms a runner).  Empty where libseccomp is
    missing (a runner then finds the layer missing as it loads)."""
    if _seccomp is None:
        return b""
    with tempfile.TemporaryFile() as handle:
        _policy().export_bpf(handle)
        handle.seek(0)
        return handle.read()


class _FilterProgram(ctypes.Structure):
    """``struct sock_fprog``: the number of instructions and where they lie."""

    _fields_ = [("length", ctypes.c_ushort), ("instructions", ctypes.c_void_p)]


_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_INSTRUCTION_BYTES = 8  # struct sock_filter


def load_filter(libc: ctypes.CDLL, program: bytes = b"") -> None:
    """Load the filter into this process, for good (after ``no_new_privs``): ``program``,
    made by :func:`compile_filter`, or, without one, the filter built here.

    Raises ``OSError`` where it cannot be loaded; the caller then lacks the layer.
    """
    if not program:
        _policy().load()
        return
    if len(program) % _INSTRUCTION_BYTES:
        raise OSError(errno.EINVAL, "the compiled filter is not whole instructions")
    instructions = ctypes.create_string_buffer(program, len(program))
    fprog = _FilterProgram(
        len(program) // _INSTRUCTION_BYTES, ctypes.cast(instructions, ctypes.c_void_p)
    )
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"seccomp filter: {os.strerror(code)}")


def join_new_session_keyring(libc: ctypes.CDLL) -> None:
    """Leave the grader's session keyring for a new, empty, anonymous one.

    A forked process possesses its parent's session keyring (a CI job's tokens, an agent's
    keys); after this the runner possesses only its own.  The filter then refuses every
    keyring call, so the new one stays empty.
    """
    number = _SYS_KEYCTL.get(platform.machine())
    if number is None:
        raise OSError(errno.ENOSYS, f"keyctl: unknown on {platform.machine()}")
    if libc.syscall(number, _KEYCTL_JOIN_SESSION_KEYRING, None) < 0:
        code = ctypes.get_errno()
        raise OSError(code, f"keyctl(JOIN_SESSION_KEYRING): {os.strerror(code)}")
