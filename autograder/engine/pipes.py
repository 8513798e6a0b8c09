"""Whole messages over pipes, in the grader's one wire format.

Every message between two processes of the grader is the same frame: its length (8 bytes,
big-endian), ``MAGIC``, the length of a JSON structure (4 bytes), the structure
``{"tree": ..., "sizes": [...]}``, then the raw bytes of its tensors, if any.
:mod:`autograder.engine.protocol` writes and reads trees that hold tensors (runners, the
second judge, a batch's workers); :func:`write_json` and :func:`read_json` here write and
read trees of plain JSON data, for processes that must not import torch (a command's thin
side, a judge before it knows its settings).  Either reads what the other writes.
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

_CHUNK = 1 << 20
HEADER = struct.Struct("!Q")  # a message's length, before it
MAGIC = b"AGW1"  # autograder wire format, version 1
STRUCTURE = struct.Struct("!I")  # the JSON part's length, after MAGIC


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
    """One message holding plain JSON data (no tensors), in the wire format."""
    structure = json.dumps({"tree": value, "sizes": []}, separators=(",", ":")).encode()
    data = MAGIC + STRUCTURE.pack(len(structure)) + structure
    write_all(fd, HEADER.pack(len(data)) + data)


def read_json(fd: int) -> Any:
    """The plain data of one message; ``EOFError`` when the pipe closed first, ``ValueError``
    for a message that is not plain data in the wire format."""
    (size,) = HEADER.unpack(read_exactly(fd, HEADER.size))
    data = read_exactly(fd, size)
    head = len(MAGIC) + STRUCTURE.size
    if len(data) < head or data[: len(MAGIC)] != MAGIC:
        raise ValueError("a message not in the wire format")
    (length,) = STRUCTURE.unpack(data[len(MAGIC) : head])
    document = json.loads(data[head:].decode())
    if head + length != len(data) or type(document) is not dict or document.get("sizes") != []:
        raise ValueError("a message that is not plain data")
    return document["tree"]
