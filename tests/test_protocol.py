"""The judge reads only plain data from the runner: never code."""

from __future__ import annotations

import io
import json
import pickle

import pytest
import torch

from autograder.engine import protocol

# The unit tier (`make test-fast`): no grading of whole submissions.
pytestmark = pytest.mark.unit


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


def test_every_dtype_and_layout_round_trips_bit_for_bit():
    complex_values = torch.tensor([1 + 2j, -3.5j])
    values = [
        torch.tensor(3.0),  # 0-dim
        torch.empty(0, 3),  # no elements
        torch.zeros(3, 0, dtype=torch.int64),  # no elements, stride 0
        torch.tensor([[5]], dtype=torch.float16).expand(1, 1),  # one element, stride 0
        torch.tensor([7.0]).expand(3),  # broadcast: stride 0
        torch.tensor([True, False]),
        torch.tensor([1.5, -0.0, float("nan"), float("inf")], dtype=torch.bfloat16),
        torch.arange(12, dtype=torch.int64).reshape(3, 4).t(),  # strided view
        complex_values.conj(),  # a lazily conjugated view
        -complex_values,
    ]
    back = protocol.loads(protocol.dumps(values))
    for sent, received in zip(values, back, strict=True):
        expected = sent.resolve_conj().resolve_neg().contiguous()
        assert received.dtype == sent.dtype and received.shape == tuple(sent.shape)
        assert received.values.view(-1).view(torch.uint8).tolist() == (
            expected.view(-1).view(torch.uint8).tolist()
        )


def test_plain_values_round_trip_exactly():
    value = [float("nan"), -0.0, float("-inf"), 2**70, 1 + 2j, "\ud800 lone surrogate", {"k": ()}]
    back = protocol.loads(protocol.dumps(value))
    assert back[0] != back[0] and str(back[1]) == "-0.0" and back[2] == float("-inf")
    assert back[3:] == [2**70, 1 + 2j, "\ud800 lone surrogate", {"k": ()}]


def _raw(structure: bytes) -> bytes:
    return protocol.MAGIC + protocol.STRUCTURE.pack(len(structure)) + structure


def _message(tree, *chunks: bytes) -> bytes:
    structure = json.dumps({"tree": tree, "sizes": [len(c) for c in chunks]}).encode()
    return _raw(structure) + b"".join(chunks)


def _record(shape, dtype="float32", values=None):
    return {
        protocol.TENSOR_TAG: True,
        "device": "cpu",
        "dtype": dtype,
        "shape": shape,
        "requires_grad": False,
        "has_grad_fn": False,
        "values": values,
    }


@pytest.mark.parametrize(
    "data",
    [
        b"",
        protocol.MAGIC,
        _message(_record([4], values={protocol.BUFFER_TAG: 0}), bytes(8)),  # too few bytes
        _message(_record([1], values={protocol.BUFFER_TAG: 1}), bytes(4)),  # no such buffer
        _message(_record([-1], values=None)),  # negative side
        _message(_record([1], dtype="__class__", values=None)),  # not a dtype
        _message(_record([1], values=[1.0])),  # values that are not bytes
        _message([]) + b"extra",  # bytes nobody refers to
        _raw(b'{"tree":' + b"[" * 100_000 + b"]" * 100_000 + b',"sizes":[]}'),  # too deep
        _raw(b'{"tree":' + b"[" * 100 + b"]" * 100 + b',"sizes":[]}'),  # deeper than 40
        protocol.MAGIC + protocol.STRUCTURE.pack(10**6) + b"{}",  # structure cut short
    ],
)
def test_malformed_messages_are_refused(data):
    with pytest.raises(protocol.ProtocolError):
        protocol.loads(data)


def test_a_returned_dict_cannot_pose_as_tensor_bytes():
    """A student's dict that looks like a buffer reference outside a tensor stays a dict."""
    value = {protocol.BUFFER_TAG: 0}
    assert protocol.loads(protocol.dumps(value)) == value


def test_a_flood_of_plain_values_is_refused_before_parsing():
    """Millions of small numbers would cost the judge gigabytes as Python objects."""
    limit = 64 * 1024  # the guard, with a limit the test can reach cheaply
    flood = protocol.dumps(list(range(50_000)))
    assert len(flood) > limit
    with pytest.raises(protocol.ProtocolError, match="over the limit"):
        protocol.loads(flood, max_structure=limit)
    as_tensor = protocol.dumps(torch.arange(50_000))  # the same numbers as a tensor: fine
    assert protocol.loads(as_tensor, max_structure=limit).values[-1] == 49_999
    assert protocol.MAX_STRUCTURE_BYTES < 64 * 1024 * 1024  # and the real limit is modest
