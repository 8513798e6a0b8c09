"""The judge reads only plain data from the runner: never code."""

from __future__ import annotations

import io
import pickle

import pytest
import torch

from autograder.engine import protocol


class _Exploit:
    def __reduce__(self):
        return (exec, ("import pathlib; pathlib.Path('/tmp/autograder-pwned').touch()",))


def test_pickled_code_is_refused_and_not_run(tmp_path):
    marker = __import__("pathlib").Path("/tmp/autograder-pwned")
    marker.unlink(missing_ok=True)
    payload = io.BytesIO()
    torch.save({"ok": _Exploit()}, payload)
    with pytest.raises(protocol.ProtocolError):
        protocol.loads(payload.getvalue())
    with pytest.raises(protocol.ProtocolError):
        protocol.loads(pickle.dumps({"ok": _Exploit()}))
    assert not marker.exists()


def test_round_trip_keeps_values_and_metadata():
    x = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).requires_grad_()
    value = {
        "tensor": x * 2,
        "meta": torch.empty(4, 5, device="meta", dtype=torch.bfloat16),
        "shape": torch.Size([2, 3]),
        "tuple": (1, 2.5, None, "s", True),
        "dtype": torch.int32,
        "list": [torch.tensor([1, 2])],
    }
    back = protocol.loads(protocol.dumps(value))
    assert torch.equal(back["tensor"].values, (x * 2).detach())
    assert back["tensor"].has_grad_fn and back["tensor"].dtype == torch.float64
    assert back["meta"].values is None and back["meta"].device == "meta"
    assert back["meta"].shape == (4, 5) and back["meta"].dtype == torch.bfloat16
    assert back["shape"] == torch.Size([2, 3]) and back["tuple"] == (1, 2.5, None, "s", True)
    assert back["dtype"] is torch.int32


def test_unknown_objects_are_described_not_shipped():
    class Weird:
        pass

    back = protocol.loads(protocol.dumps({"x": Weird()}))
    assert back["x"] == {protocol.OPAQUE_TAG: f"{Weird.__module__}.{Weird.__qualname__}"}


def test_placed_inputs_become_non_contiguous_in_the_runner():
    x = torch.arange(12.0).reshape(3, 4)
    decoded = protocol.loads(protocol.dumps([protocol.Placed(x, "cpu", contiguous=False)]))
    rebuilt = protocol.to_runner_value(decoded)[0]
    assert not rebuilt.is_contiguous() and torch.equal(rebuilt, x)
