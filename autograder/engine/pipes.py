"""Whole messages over pipes: reading exactly so many bytes, writing all of them, and a
length-prefixed JSON message for processes that must not import torch (a command's thin
side, a judge before it knows its settings).  The tensors' wire format builds on the same
two functions (:mod:`autograder.engine.protocol`)."""

from __future__ import annotations

import json
import os
from typing import Any

_CHUNK = 1 << 20


def read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``; ``EOFError`` when the pipe closes first."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, _CHUNK))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_json(fd: int, value: Any) -> None:
    """One message: its length (8 bytes, big-endian), then JSON."""
    data = json.dumps(value).encode()
    write_all(fd, len(data).to_bytes(8, "big") + data)


def read_json(fd: int) -> Any:
    """The message :func:`write_json` wrote; ``EOFError`` when the pipe closed first."""
    size = int.from_bytes(read_exactly(fd, 8), "big")
    return json.loads(read_exactly(fd, size).decode())
