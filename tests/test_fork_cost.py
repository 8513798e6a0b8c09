"""What a runner's fork costs: the fork server's memory in huge pages (issue 34).

Every runner is forked twice from the fork server, and a fork copies (and an exit frees) one
page-table entry per 4 KiB page of anonymous memory.  The fork server moves its memory into
huge pages once, after its imports (:func:`collapse_into_huge_pages`); these tests check,
in a forked child so that pytest's own memory is left alone, that a mapping in use moves
and that a mapping barely touched is not filled up.
"""

from __future__ import annotations

import ctypes
import json
import mmap
import os
import sys

import pytest

from autograder.engine.fork_server import collapse_into_huge_pages, fork_server

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="huge pages are Linux's")

MIB = 1 << 20


def _region(address: int) -> dict[str, int]:
    """The Anonymous and AnonHugePages (bytes) of the mapping holding ``address``."""
    found: dict[str, int] = {}
    inside = False
    with open("/proc/self/smaps") as handle:
        for line in handle:
            field, _, rest = line.partition(" ")
            if "-" in field and ":" not in field:
                start, end = (int(bound, 16) for bound in field.split("-"))
                inside = start <= address < end
            elif inside and field in ("Anonymous:", "AnonHugePages:"):
                found[field[:-1]] = 1024 * int(rest.split()[0])
    return found


def _in_child(touched_mib: int, size_mib: int) -> dict[str, int]:
    """In a forked child: map ``size_mib``, write ``touched_mib`` of it, collapse; what the
    mapping held before and after, and how much was asked to move."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            area = mmap.mmap(-1, size_mib * MIB, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
            for offset in range(0, touched_mib * MIB, mmap.PAGESIZE):
                area[offset] = 1
            address = ctypes.addressof(ctypes.c_char.from_buffer(area))
            before = _region(address)
            asked = collapse_into_huge_pages()
            after = _region(address)
            kept = all(area[offset] == 1 for offset in range(0, touched_mib * MIB, mmap.PAGESIZE))
            report = {
                "before_huge": before.get("AnonHugePages", 0),
                "after_huge": after.get("AnonHugePages", 0),
                "after_anonymous": after.get("Anonymous", 0),
                "asked": asked,
                "kept": kept,
            }
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


@pytest.mark.unit
def test_memory_in_use_moves_into_huge_pages_with_its_contents():
    report = _in_child(touched_mib=16, size_mib=16)
    if report["after_huge"] == report["before_huge"]:
        pytest.skip("this kernel does not collapse memory into huge pages (MADV_COLLAPSE)")
    assert report["after_huge"] >= report["before_huge"] + 8 * MIB
    assert report["kept"]


@pytest.mark.unit
def test_a_mapping_barely_touched_is_not_filled():
    report = _in_child(touched_mib=1, size_mib=64)
    assert report["after_anonymous"] <= 2 * MIB
    assert report["kept"]


def test_the_fork_server_forks_from_huge_pages():
    probe = _in_child(touched_mib=16, size_mib=16)
    if probe["after_huge"] == probe["before_huge"]:
        pytest.skip("this kernel does not collapse memory into huge pages (MADV_COLLAPSE)")
    server = fork_server()
    assert server is not None
    server.layers()  # it answers: its imports and the collapse are done
    rollup = {}
    with open(f"/proc/{server.pid}/smaps_rollup") as handle:
        for line in handle:
            field, _, rest = line.partition(":")
            if field in ("Anonymous", "AnonHugePages"):
                rollup[field] = int(rest.split()[0])
    # Without the collapse about a third of torch's import sat in small pages.
    assert rollup["Anonymous"] - rollup["AnonHugePages"] < 0.2 * rollup["Anonymous"]
