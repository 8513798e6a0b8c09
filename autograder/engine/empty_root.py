"""A runner's file system: an empty root holding only what running needs, read-only.

Deny by default: instead of starting from the host's whole tree and closing the places we
know of, the runner starts from nothing.  In its own mount namespace a fresh tmpfs becomes
its root (``pivot_root``), and exactly the paths of the plan are bind-mounted into it at
the places they have on the host, read-only: the interpreter and its standard library,
the site-packages it imports (the secret packages carved out), system libraries, the
engine's runner files, the submission's folder.  Besides those it gets a ``/proc`` of its
own PID namespace, a private ``/tmp`` and its writable home (both small tmpfs), and the
harmless device files.  No ``/run``, no home folder, no host ``/tmp``: a host UNIX socket,
a keyring file or another user's folder is not hidden, it is simply not there.

Every function here runs in the runner after its fork, before any student code, with the
rights of its mount namespace (root, or the owner of a fresh user namespace).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
import stat
from collections.abc import Iterator
from pathlib import PurePosixPath

_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC = 32, 4096, 16384
_SEALED = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC  # the runner's own mounts: no programs there
_MNT_DETACH = 2
_AT_RECURSIVE = 0x8000
_MOUNT_ATTR_RDONLY = 1
_SYS_MOUNT_SETATTR = 442  # the same number on every architecture
# pivot_root has no libc wrapper; its number depends on the architecture.
_SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "arm64": 41}

# Where the empty root is built before it becomes ``/`` (any folder will do: it is covered
# by a tmpfs for the few moments of the build, in this mount namespace only).
STAGING_MODE = 0o755
# The root itself holds only mount points: a few inodes each.
ROOT_OPTIONS = "size=1m,nr_inodes=32768,mode=0755"
# Folders the kernel provides afresh (the sandbox's own /proc), never bound from the host.
_PROVIDED = ("/proc",)
_DEVICES = "/dev"


class _MountAttr(ctypes.Structure):
    _fields_ = [
        ("attr_set", ctypes.c_uint64),
        ("attr_clr", ctypes.c_uint64),
        ("propagation", ctypes.c_uint64),
        ("userns_fd", ctypes.c_uint64),
    ]


class RootError(OSError):
    """The empty root could not be built."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result < 0:
        code = ctypes.get_errno()
        raise RootError(code, f"{what}: {os.strerror(code)}")


def mount(
    libc: ctypes.CDLL,
    source: str | None,
    target: str,
    fstype: str | None,
    flags: int,
    options: str = "",
) -> None:
    """mount(2), raising :class:`RootError` with the target's name."""
    _check(
        libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            options.encode() if options else None,
        ),
        f"mount {target}",
    )


def make_read_only(libc: ctypes.CDLL, target: str, recursive: bool = True) -> None:
    """Make the mount at ``target`` (and, ``recursive``, every mount below it) read-only.

    ``mount_setattr`` (Linux 5.12+) sets the flag without touching the others, which a user
    namespace may not clear (nosuid, nodev on mounts it inherited); older kernels remount.
    """
    attr = _MountAttr(_MOUNT_ATTR_RDONLY, 0, 0, 0)
    flags = _AT_RECURSIVE if recursive else 0
    done = libc.syscall(
        _SYS_MOUNT_SETATTR, -100, target.encode(), flags, ctypes.byref(attr), ctypes.sizeof(attr)
    )
    if done == 0:
        return
    locked = _locked_flags(target)
    mount(libc, None, target, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | locked)


def _locked_flags(target: str) -> int:
    """The flags of the mount at ``target`` that a remount must keep."""
    info = os.statvfs(target)
    flags = 0
    for bit, flag in (
        (os.ST_NOSUID, _MS_NOSUID),
        (os.ST_NODEV, _MS_NODEV),
        (os.ST_NOEXEC, _MS_NOEXEC),
    ):
        if info.f_flag & bit:
            flags |= flag
    return flags


def _normal(path: str) -> str:
    """``path`` as :class:`pathlib.PurePosixPath` writes it (no doubled or trailing ``/``,
    no ``.``), as plain text: a runner's start compares hundreds of them."""
    return str(PurePosixPath(path))


def _ancestors(path: str) -> Iterator[str]:
    """The folders above a normal absolute ``path``, nearest first, ``/`` last (none above
    ``/``)."""
    if path == "/":
        return
    end = path.rfind("/")
    while end > 0:
        path = path[:end]
        yield path
        end = path.rfind("/")
    yield "/"


def _under(path: str, folders: set[str]) -> bool:
    """Whether normal ``path`` is one of ``folders`` or below one (a look-up per ancestor:
    a plan may hold hundreds of paths, where a folder holding a secret was replaced by its
    entries)."""
    return path in folders or not folders.isdisjoint(_ancestors(path))


class _MountPoints:
    """Makes, inside the new root's tmpfs, the empty folders and files to mount on,
    remembering the folders it made (no ``makedirs`` walking up from each)."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.made: set[str] = set()

    def folder(self, path: str) -> str:
        """``path`` (normal, absolute) and the folders above it, made where missing."""
        target = self.root + path
        if path in self.made or path == "/":
            return target
        self.folder(path[: path.rfind("/")] or "/")
        with contextlib.suppress(FileExistsError):
            os.mkdir(target, STAGING_MODE)
        self.made.add(path)
        return target

    def file(self, path: str) -> str:
        """An empty file at ``path`` (normal, absolute), its folders made where missing."""
        self.folder(path[: path.rfind("/")] or "/")
        target = self.root + path
        with contextlib.suppress(FileExistsError):
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644))
        return target


def build(
    staging: str,
    readable: dict[str, int],
    writable_folders: dict[str, str],
    proc: bool,
) -> list[str]:
    """Build the empty root on ``staging`` and make it ``/`` for this process.

    ``readable``: path -> an ``O_PATH`` descriptor opened on the host's tree, bind-mounted
    read-only at the same path (device files stay writable: ``/dev/null``).
    ``writable_folders``: path -> tmpfs options, mounted after the binds (the runner's home
    inside its read-only submission folder, a private ``/tmp``).  ``proc``: mount a fresh
    ``/proc`` (this process is in a PID namespace of its own).  Returns the paths mounted,
    in order (what a runner can see; the tests list it).
    """
    libc = _libc()
    mount(libc, "tmpfs", staging, "tmpfs", _MS_NOSUID | _MS_NODEV, ROOT_OPTIONS)
    try:
        return _fill_and_pivot(libc, staging, readable, writable_folders, proc)
    except OSError:
        libc.umount2(staging.encode(), _MNT_DETACH)  # as it was: the caller decides
        raise


def _fill_and_pivot(
    libc: ctypes.CDLL,
    staging: str,
    readable: dict[str, int],
    writable_folders: dict[str, str],
    proc: bool,
) -> list[str]:
    mounted: list[str] = []
    points = _MountPoints(staging)
    if proc:
        mount(libc, "proc", points.folder("/proc"), "proc", _SEALED)
        mounted.append("/proc")
    tmp_folders = {p: o for p, o in writable_folders.items() if p == "/tmp"}
    for path, options in tmp_folders.items():  # first: the submission's folder may lie in it
        mount(libc, "tmpfs", points.folder(path), "tmpfs", _SEALED, options)
        mounted.append(path)
    bound: set[str] = set()
    provided = {_normal(p) for p in _PROVIDED} if proc else set()
    staging_above = set(_ancestors(_normal(staging)))
    normal = {path: _normal(path) for path in readable}
    # Shallow first (a folder before what lies in it), then by name.
    for path in sorted(readable, key=lambda p: (normal[p].count("/"), p)):
        pure = normal[path]
        if not pure.startswith("/") or _under(pure, bound) or _under(pure, provided):
            continue  # already visible through a folder bound above it, or the kernel's own
        fd = readable[path]
        mode = os.fstat(fd).st_mode  # (an O_PATH descriptor: the host's file, not a link)
        target = points.folder(pure) if stat.S_ISDIR(mode) else points.file(pure)
        # Recursive, as a user namespace must bind a tree it inherited; but not the folder
        # that holds the staging point itself (the submission's), which has no mounts of
        # its own below it.
        holds_staging = pure in staging_above
        flags = _MS_BIND if holds_staging else _MS_BIND | _MS_REC
        mount(libc, f"/proc/self/fd/{fd}", target, None, flags)
        if not (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)):
            make_read_only(libc, target)
        bound.add(pure)
        mounted.append(path)
    for path, options in writable_folders.items():
        if path in tmp_folders:
            continue
        target = staging + path
        mount(libc, "tmpfs", target, "tmpfs", _SEALED, options)
        mounted.append(path)
    make_read_only(libc, staging, recursive=False)
    _pivot(libc, staging)
    return mounted


def _pivot(libc: ctypes.CDLL, new_root: str) -> None:
    """Make ``new_root`` this mount namespace's ``/`` and let go of the old one entirely."""
    number = _SYS_PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise RootError(38, f"pivot_root: unknown on {platform.machine()}")
    os.chdir(new_root)
    # pivot_root(".", "."): the old root ends up on top of the new one, then is detached.
    _check(libc.syscall(number, b".", b"."), "pivot_root")
    _check(libc.umount2(b".", _MNT_DETACH), "umount the old root")
    os.chdir("/")
