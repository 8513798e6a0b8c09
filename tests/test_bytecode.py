"""A submission compiled once by the judge (autograder.engine.bytecode): each runner's import
uses the judge's .pyc only where it was compiled from the runner's own copy of the source."""

from __future__ import annotations

import contextlib
import importlib.util
import marshal
import sys
from collections.abc import Iterator

import pytest

from autograder.engine import bytecode
from autograder.engine.session import ModuleSession

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="runners are Linux's")

SOURCE = """\
def answer():
    return 1


def fails():
    x = 1
    raise ValueError("line 7")
"""


def _pyc(code_source: str, hashed_source: bytes) -> bytes:
    """A checked-hash .pyc of ``code_source`` claiming to be compiled from ``hashed_source``."""
    code = compile(code_source, "elsewhere.py", "exec", dont_inherit=True)
    return (
        importlib.util.MAGIC_NUMBER
        + (0b11).to_bytes(4, "little")
        + importlib.util.source_hash(hashed_source)
        + marshal.dumps(code)
    )


@contextlib.contextmanager
def _session(tmp_path, monkeypatch, compiled: bytes | None = None) -> Iterator[ModuleSession]:
    """A session of the module SOURCE (the judge's compiling replaced by ``compiled``)."""
    path = tmp_path / "submitted.py"
    path.write_text(SOURCE)
    if compiled is not None:
        monkeypatch.setattr(bytecode, "compiled", lambda _path: compiled)
    session = ModuleSession(path, "submitted")
    try:
        yield session
    finally:
        session.close()


def test_the_runner_imports_what_the_judge_compiled(tmp_path, monkeypatch):
    """A .pyc whose hash is the source's is what the runner runs (here it says 2, the
    source 1: the runner did not compile the source)."""
    decoy = _pyc(SOURCE.replace("return 1", "return 2"), SOURCE.encode())
    with _session(tmp_path, monkeypatch, decoy) as session:
        assert session.call("answer").value == {"result": 2}


def test_a_pyc_of_another_source_is_not_used(tmp_path, monkeypatch):
    stale = _pyc(SOURCE.replace("return 1", "return 2"), b"# another source\n")
    with _session(tmp_path, monkeypatch, stale) as session:
        assert session.call("answer").value == {"result": 1}


def test_the_judges_bytecode_gives_the_runners_errors_and_lines(tmp_path, monkeypatch):
    with _session(tmp_path, monkeypatch) as session:
        assert session.call("answer").value == {"result": 1}
        raised = session.call("fails").raised
        assert raised["type"] == "ValueError" and raised.get("lineno") == 7
        assert session._compiled  # compiled by the judge (and the runner used it)


def test_compiled_once_for_every_runner_of_the_module(tmp_path, monkeypatch):
    made = []
    real = bytecode.compiled
    monkeypatch.setattr(bytecode, "compiled", lambda path: made.append(path) or real(path))
    with _session(tmp_path, monkeypatch) as session:
        for _ in range(3):
            session.load()
            assert session.call("answer").value == {"result": 1}
    assert len(made) == 1


@pytest.mark.parametrize(
    "source",
    [
        "def broken(:\n",  # does not compile: the runner reports the error
        "x = 1\n" * (bytecode.MAX_BYTES // 6 + 1),  # too large: the runner compiles it
        "x = (" * 300 + ")" * 300 + "\n",  # too deep for the compiler
    ],
)
def test_what_the_judge_does_not_compile_is_left_to_the_runner(tmp_path, source):
    path = tmp_path / "m.py"
    path.write_text(source)
    assert bytecode.compiled(path) == b""
    assert bytecode.compiled(tmp_path / "absent.py") == b""


def test_the_pyc_sits_where_the_runners_import_looks():
    looked = importlib.util.cache_from_source("/work/dir/submitted.py", optimization="")
    assert bytecode.cached_path("/work/dir/submitted.py") == looked
