"""The wire format between the judge and the runner: length-prefixed, data only.

Everything that crosses the pipe is serialised with ``torch.save`` and read back with
``torch.load(..., weights_only=True)``, which refuses to construct anything but tensors,
containers and primitives.  The runner is hostile, so the judge never unpickles arbitrary
objects from it: a message that is not plain data fails to load and the check fails.

Tensors travel as :class:`TensorRecord`-shaped dicts so that the judge learns the device,
dtype, shape and autograd state of a result even when its values cannot travel (``meta``
tensors) or live on a GPU.
"""

from __future__ import annotations

import io
import os
import struct
from typing import Any

import torch

HEADER = struct.Struct("!Q")
MAX_MESSAGE_BYTES = 256 * 1024 * 1024

TENSOR_TAG = "__tensor__"
TUPLE_TAG = "__tuple__"
SIZE_TAG = "__size__"
EXCEPTION_TAG = "__exception__"
DTYPE_TAG = "__dtype__"
DEVICE_TAG = "__device__"
SLICE_TAG = "__slice__"
OPAQUE_TAG = "__opaque__"


class ProtocolError(Exception):
    """A message from the other side was malformed, too large or not plain data."""


class Placed:
    """An input the judge wants the runner to build on another device or memory layout.

    The judge itself never touches CUDA: it sends CPU values and the runner moves them.
    """

    def __init__(self, tensor: torch.Tensor, device: str = "cpu", contiguous: bool = True) -> None:
        self.tensor = tensor
        self.device = device
        self.contiguous = contiguous

    def __repr__(self) -> str:
        extra = "" if self.contiguous else ", non-contiguous"
        return f"{self.tensor!r} on {self.device}{extra}"


class TransportedTensor:
    """A tensor as the judge sees it after the trip: its values (on the CPU) plus metadata.

    ``values`` is ``None`` for ``meta`` tensors, which have no data.
    """

    def __init__(
        self,
        values: torch.Tensor | None,
        device: str,
        dtype: torch.dtype,
        shape: tuple[int, ...],
        requires_grad: bool,
        has_grad_fn: bool,
        contiguous: bool = True,
    ) -> None:
        self.values = values
        self.contiguous = contiguous
        self.device = device
        self.dtype = dtype
        self.shape = shape
        self.requires_grad = requires_grad
        self.has_grad_fn = has_grad_fn

    @property
    def device_type(self) -> str:
        return self.device.split(":")[0]

    def __repr__(self) -> str:
        if self.values is None:
            return f"tensor(..., size={self.shape}, device='{self.device}', dtype={self.dtype})"
        text = repr(self.values)
        if self.device_type != "cpu":
            text = text[:-1] + f", device='{self.device}')"
        return text


def _encode(value: Any, depth: int = 0) -> Any:
    if depth > 32:
        raise ProtocolError("value nested too deeply")
    if isinstance(value, Placed):
        record = _encode(value.tensor, depth + 1)
        record["device"] = value.device
        record["contiguous"] = value.contiguous
        if value.device.startswith("meta"):
            record["values"] = None
        return record
    if isinstance(value, torch.Tensor):
        record: dict[str, Any] = {
            TENSOR_TAG: True,
            "device": str(value.device),
            "dtype": str(value.dtype).removeprefix("torch."),
            "shape": list(value.shape),
            "requires_grad": bool(value.requires_grad),
            "has_grad_fn": value.grad_fn is not None,
            "contiguous": True,
            "values": None,
        }
        if value.device.type != "meta":
            cpu = value.detach().to("cpu")
            # Keep strides out of the message: the values are what matter.
            record["values"] = cpu.contiguous().clone()
        return record
    if isinstance(value, torch.Size):
        return {SIZE_TAG: [int(v) for v in value]}
    if isinstance(value, torch.dtype):
        return {DTYPE_TAG: str(value).removeprefix("torch.")}
    if isinstance(value, torch.device):
        return {DEVICE_TAG: str(value)}
    if isinstance(value, slice):
        return {SLICE_TAG: [_encode(value.start), _encode(value.stop), _encode(value.step)]}
    if isinstance(value, tuple):
        return {TUPLE_TAG: [_encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [_encode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v, depth + 1) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str, complex)):
        # bool/int subclasses (numpy scalars, IntEnum) are flattened to plain values.
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, str):
            return str(value)[:100_000]
        return value
    # Anything else (numpy arrays, custom objects) is described, never shipped.
    try:
        import numpy

        if isinstance(value, numpy.generic):
            return _encode(value.item(), depth)
    except ImportError:  # pragma: no cover - numpy ships with torch
        pass
    return {OPAQUE_TAG: f"{type(value).__module__}.{type(value).__qualname__}"}


def _decode(value: Any, depth: int = 0) -> Any:
    if depth > 40:
        raise ProtocolError("value nested too deeply")
    if isinstance(value, list):
        return [_decode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        if value.get(TENSOR_TAG) is True:
            dtype = getattr(torch, str(value["dtype"]), None)
            if not isinstance(dtype, torch.dtype):
                raise ProtocolError(f"unknown dtype {value['dtype']!r}")
            values = value["values"]
            if values is not None and not isinstance(values, torch.Tensor):
                raise ProtocolError("tensor values are not a tensor")
            return TransportedTensor(
                values=values,
                device=str(value["device"]),
                dtype=dtype,
                shape=tuple(int(v) for v in value["shape"]),
                requires_grad=bool(value["requires_grad"]),
                has_grad_fn=bool(value["has_grad_fn"]),
                contiguous=bool(value.get("contiguous", True)),
            )
        if TUPLE_TAG in value:
            return tuple(_decode(v, depth + 1) for v in value[TUPLE_TAG])
        if SIZE_TAG in value:
            return torch.Size(int(v) for v in value[SIZE_TAG])
        if DTYPE_TAG in value:
            dtype = getattr(torch, str(value[DTYPE_TAG]), None)
            if not isinstance(dtype, torch.dtype):
                raise ProtocolError(f"unknown dtype {value[DTYPE_TAG]!r}")
            return dtype
        if DEVICE_TAG in value:
            return torch.device(str(value[DEVICE_TAG]))
        if SLICE_TAG in value:
            return slice(*(_decode(v, depth + 1) for v in value[SLICE_TAG]))
        return {k: _decode(v, depth + 1) for k, v in value.items()}
    return value


def dumps(value: Any) -> bytes:
    """Serialise plain data (and tensors) to bytes."""
    buffer = io.BytesIO()
    torch.save(_encode(value), buffer)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """Deserialise bytes from the other side, refusing anything but plain data."""
    try:
        raw = torch.load(io.BytesIO(data), weights_only=True, map_location="cpu")
    except Exception as error:  # noqa: BLE001 - any failure means "not plain data"
        raise ProtocolError(f"message is not plain data: {type(error).__name__}") from None
    return _decode(raw)


def to_runner_value(value: Any) -> Any:
    """Turn a decoded value back into live tensors (runner side: inputs from the judge)."""
    if isinstance(value, TransportedTensor):
        if value.values is None:
            tensor = torch.empty(value.shape, dtype=value.dtype, device="meta")
        elif value.contiguous or value.values.dim() == 0:
            tensor = value.values.to(value.device)
        else:
            # Same values, every other element of a wider buffer: a strided view.
            shape = value.values.shape
            wide = torch.empty(
                (*shape[:-1], 2 * shape[-1] + 1), dtype=value.dtype, device=value.device
            )
            tensor = wide[..., 1::2]
            tensor.copy_(value.values)
        if value.requires_grad:
            tensor.requires_grad_(True)
        return tensor
    if isinstance(value, tuple):
        return tuple(to_runner_value(v) for v in value)
    if isinstance(value, list):
        return [to_runner_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_runner_value(v) for k, v in value.items()}
    return value


def write_message(fd: int, value: Any) -> None:
    payload = dumps(value)
    data = HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd: int, size: int) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(fd: int) -> Any:
    """A request from the judge (runner side).

    The judge is trusted, so this skips the weights-only unpickler, which costs three
    times as much; answers from the runner, which is not trusted, go through :func:`loads`.
    """
    (size,) = HEADER.unpack(read_exactly(fd, HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {size} bytes is over the limit")
    data = read_exactly(fd, size)
    return _decode(torch.load(io.BytesIO(data), weights_only=False, map_location="cpu"))
