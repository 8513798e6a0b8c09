"""Every process hop of the grader: started by a name from one table, carrying data only.

The strings ``module:function`` by which a forked process starts (the command's judge, the
second judge, a batch's workers, a runner's default probe) are the only dependencies that
import-linter cannot follow: they are all in autograder/engine/entry_points.py, each must
resolve, and no other such string may start a process.  No hop carries pickle: no module of
the package imports it, and a batch worker's calls and answers are the runners' wire format.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
from concurrent.futures import Future

import pytest

from autograder.batch import pool, workers
from autograder.engine import entry_points, protocol
from tests.gradelib import ROOT

pytestmark = pytest.mark.unit

PACKAGE = ROOT / "autograder"
QUALIFIED = re.compile(r"autograder(\.\w+)+:\w+")
# Serialisers that run code (or build arbitrary objects) from the bytes they read.
UNSAFE = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve"}


@functools.cache
def _modules() -> list[tuple[str, ast.Module]]:
    """Every module of the package, parsed (once for the tests of this file)."""
    return [
        (path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


@pytest.mark.parametrize("purpose", sorted(entry_points.ENTRY_POINTS))
def test_every_entry_point_resolves_to_a_function(purpose):
    module_name, _, function = entry_points.ENTRY_POINTS[purpose].partition(":")
    assert callable(getattr(importlib.import_module(module_name), function))


def test_the_table_holds_every_entry_point_written_in_the_package():
    written = {
        (where, node.value)
        for where, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and QUALIFIED.fullmatch(node.value)
    }
    outside = {item for item in written if item[0] != "autograder/engine/entry_points.py"}
    assert outside == set()
    assert {value for _, value in written} == set(entry_points.ENTRY_POINTS.values())


def test_the_places_that_fork_use_the_table():
    from autograder.engine import runner
    from autograder.grading import second_judge

    assert pool.WORKER_ENTRY == entry_points.BATCH_WORKER
    assert second_judge.ENTRY == entry_points.SECOND_JUDGE
    assert runner.DEFAULT_PROBE == entry_points.DEFAULT_PROBE


def test_no_module_imports_a_serialiser_that_runs_code():
    imported = set()
    for where, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {(where, alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add((where, node.module.split(".")[0]))
    assert {item for item in imported if item[1] in UNSAFE} == set()


def test_a_worker_answers_in_the_wire_format_and_errors_come_back_by_name():
    served = {"add": lambda a, b: (a + b, [a])}
    answered = protocol.loads(workers.answer(served, workers.request("add", (2, 3))))
    assert workers.result_of(answered) == (5, [2])
    failed = protocol.loads(workers.answer(served, workers.request("add", (2, "x"))))
    with pytest.raises(TypeError):
        workers.result_of(failed)
    unknown = protocol.loads(workers.answer(served, workers.request("remove", ())))
    with pytest.raises(KeyError):  # only the functions it was given, by name
        workers.result_of(unknown)
    foreign = protocol.loads(protocol.dumps({"raised": ["SystemExit", "0"]}))
    with pytest.raises(RuntimeError, match="SystemExit: 0"):  # never anything but Exception
        workers.result_of(foreign)


def _double(value: int) -> int:
    return 2 * value


def test_spawned_workers_are_handed_bytes_of_the_wire_format_only():
    handed: list[tuple] = []

    class Executor:
        def submit(self, function, *args):
            handed.append((function, args))
            future: Future = Future()
            future.set_result(function(*args))
            return future

    def answer_call(data: bytes) -> bytes:
        return workers.answer_call({"_double": _double}, data)

    spawned = workers.SpawnedWorkers(1, answer_call)
    spawned.executor.shutdown()
    spawned.executor = Executor()  # type: ignore[assignment]
    assert spawned.submit(_double, 21).result() == 42
    ((function, args),) = handed
    assert function is answer_call
    assert len(args) == 1 and isinstance(args[0], bytes) and args[0].startswith(protocol.MAGIC)


def test_the_torch_free_hops_write_the_same_wire_format(tmp_path):
    """The command's hand-over to its judge (no torch on its side) and the fork server's
    hand-over of a judge's context are messages of the one wire format, without tensors."""
    import os

    from autograder.engine import pipes

    read_end, write_end = os.pipe()
    try:
        value = {"args": ["grade", "x.py"], "prog_name": "autograder", "n": [1, 2.5, None]}
        pipes.write_json(write_end, value)
        (size,) = pipes.HEADER.unpack(os.read(read_end, pipes.HEADER.size))
        assert protocol.loads(os.read(read_end, size)) == value
        protocol.write_message(write_end, value)
        assert pipes.read_json(read_end) == value
        protocol.write_message(write_end, {"tensor": protocol.torch.zeros(1)})
        with pytest.raises(ValueError):  # tensors are for the processes that import torch
            pipes.read_json(read_end)
    finally:
        os.close(read_end)
        os.close(write_end)
