"""Transcripts on disk, so that replay (:mod:`autograder.grading.replay`) outlives a process.

A student who grades again, a class graded in several worker processes, a CI job that
restores its cache: each starts from the transcripts of earlier gradings on this machine.

A transcript is only valid for the exact grader that wrote it: the folder is named after a
digest of every source file of ``autograder/`` and ``solutions/`` and of the versions of
Python, torch and hypothesis, so any change starts a fresh, empty folder.  Files are written
atomically (several workers may save at once) and read with ``torch.load(weights_only=
True)``: data only, never code.  Anything unreadable is ignored: grading is then live.

The grading run's configuration chooses the folder (``GradingConfig.cache_dir``, from
``--``options or ``AUTOGRADER_CACHE_DIR``); none keeps nothing on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import hypothesis
import torch

from autograder.engine.launch import PACKAGE_ROOT
from autograder.engine.protocol import Placed
from autograder.engine.session import Exchange

FORMAT = 1
PLACED_TAG = "__placed__"
# Folders of other grader versions untouched for this long are removed.
STALE_SECONDS = 30 * 24 * 3600


@cache
def grader_digest() -> str:
    """Names the exact grader: its sources, the reference solutions, the library versions."""
    digest = hashlib.sha256()
    for part in (sys.version, platform.machine(), torch.__version__, hypothesis.__version__):
        digest.update(part.encode() + b"\0")
    for folder in ("autograder", "solutions", "autograder_solutions"):
        for path in sorted((PACKAGE_ROOT / folder).rglob("*.py")):
            digest.update(str(path.relative_to(PACKAGE_ROOT)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def _folder(root: Path | None) -> Path | None:
    """This grader's folder under the cache folder ``root`` (None: nothing on disk)."""
    return None if root is None else root / "transcripts" / grader_digest()


def _freeze(value: Any) -> Any:
    """An example as plain data torch.save can write and weights_only can read back."""
    if isinstance(value, Placed):
        return {PLACED_TAG: [value.tensor, value.device, value.contiguous]}
    if isinstance(value, tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, list):
        return [_freeze(v) for v in value]
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, dict) and PLACED_TAG in value:
        tensor, device, contiguous = value[PLACED_TAG]
        return Placed(tensor, device, contiguous)
    if isinstance(value, tuple):
        return tuple(_thaw(v) for v in value)
    if isinstance(value, list):
        return [_thaw(v) for v in value]
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class KeptFile:
    """One file of transcripts as read: the digest of its bytes and what they hold."""

    digest: str  # sha256 of the bytes read; "" when the file could not be read
    checks: dict[str, Any]  # {check_id: (exchanges, properties)}; empty if unreadable


def read_all(root: Path | None, assignments: Iterable[str]) -> dict[str, KeptFile]:
    """Every file kept for these assignments by this grader, read now:
    ``{"<assignment>-<environment>": file}``.

    Called before any student code runs (see ``TranscriptStore.take_snapshot``): what a
    submission writes into the folder afterwards cannot change its own grading.
    """
    folder = _folder(root)
    if folder is None or not folder.is_dir():
        return {}
    return {
        path.stem: _read(path)
        for name in sorted(set(assignments))
        for path in sorted(folder.glob(f"{name}-*.pt"))
    }


def read_verified(root: Path | None, name: str, digest: str) -> dict[str, Any]:
    """The checks of the file ``name`` (``<assignment>-<environment>``) if its bytes are
    still those with this digest, else none: for a second judge, which reads after student
    code has run, what the judge read before."""
    folder = _folder(root)
    if folder is None or not digest:
        return {}
    kept = _read(folder / f"{name}.pt")
    return kept.checks if kept.digest == digest else {}


def _read(path: Path) -> KeptFile:
    try:
        data = path.read_bytes()
    except OSError:
        return KeptFile("", {})
    return KeptFile(hashlib.sha256(data).hexdigest(), _parse(data))


def _parse(data: bytes) -> dict[Any, Any]:
    """``{check_id: (exchanges, properties)}`` from a file's bytes (empty if unreadable)."""
    try:
        loaded = torch.load(io.BytesIO(data), weights_only=True)
        if loaded.get("format") != FORMAT:
            return {}
        kept = {}
        for check_id, (exchanges, properties) in loaded["checks"].items():
            kept[check_id] = (
                [
                    Exchange(bytes(p), float(t), None if a is None else str(a))
                    for p, t, a in exchanges
                ],
                [[_thaw(values) for values in examples] for examples in properties],
            )
        return kept
    except Exception:  # noqa: BLE001 - corrupt or foreign: grade live
        return {}


def load(root: Path | None, assignment: str, environment: str) -> dict[str, Any]:
    """``{check_id: (exchanges, properties)}`` kept for this assignment (empty if none)."""
    folder = _folder(root)
    return {} if folder is None else _read(folder / f"{assignment}-{environment}.pt").checks


def _as_bytes(checks: dict[Any, Any]) -> bytes:
    """``{key: (exchanges, properties)}`` in the files' format (what :func:`_parse` reads);
    an example torch cannot save leaves its check out."""
    entries = {
        check_id: (
            [(e.payload, e.timeout, e.answer) for e in exchanges],
            [[_freeze(values) for values in examples] for examples in properties],
        )
        for check_id, (exchanges, properties) in checks.items()
    }
    buffer = io.BytesIO()
    try:
        torch.save({"format": FORMAT, "checks": entries}, buffer)
    except Exception:  # noqa: BLE001 - an example torch cannot save: keep the others
        entries = {key: entry for key, entry in entries.items() if _savable(entry)}
        buffer = io.BytesIO()
        torch.save({"format": FORMAT, "checks": entries}, buffer)
    return buffer.getvalue()


def pack(transcripts: dict[Any, Any]) -> torch.Tensor:
    """Transcripts for another judge (a batch's workers: ``TranscriptStore.export()``), in
    the files' format, as a tensor of bytes: the wire format carries tensors, and the other
    side reads them back as data only (:func:`unpack`)."""
    return torch.frombuffer(bytearray(_as_bytes(transcripts)), dtype=torch.uint8)


def packed_bytes(packed: Any) -> bytes | None:
    """The bytes :func:`pack` packed, or None if ``packed`` is not that."""
    if not isinstance(packed, torch.Tensor) or packed.dtype != torch.uint8:
        return None
    return packed.contiguous().numpy().tobytes()


def unpack(packed: torch.Tensor) -> dict[Any, Any]:
    """What :func:`pack` packed (empty if it is not that)."""
    data = packed_bytes(packed)
    return {} if data is None else _parse(data)


def save(root: Path | None, assignment: str, environment: str, checks: dict[str, Any]) -> None:
    """Keep ``{check_id: (exchanges, properties)}`` for this assignment, atomically."""
    folder = _folder(root)
    if folder is None:
        return
    data = _as_bytes(checks)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{assignment}-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, folder / f"{assignment}-{environment}.pt")
    except OSError:
        return  # a read-only or full disk only costs speed
    _remove_stale(folder.parent, keep=folder)


def _savable(entry: Any) -> bool:
    try:
        torch.save(entry, io.BytesIO())
    except Exception:  # noqa: BLE001
        return False
    return True


def _remove_stale(root: Path, keep: Path) -> None:
    """Forget transcripts of grader versions nobody has used for a month."""
    with contextlib.suppress(OSError):
        for folder in root.iterdir():
            if folder != keep and time.time() - folder.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
