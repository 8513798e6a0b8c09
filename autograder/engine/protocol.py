"""The wire format between the judge and the runner: length-prefixed, data only.

A message is a JSON document (the structure: containers, numbers, strings, tags) followed by
the raw bytes of its tensors.  Nothing in it is ever executed or unpickled: the runner is
hostile, and the judge rebuilds only what the JSON says, after checking every tensor's
dtype, shape and byte count against the bytes that came.  A message that is not well-formed
fails to load and the check fails.  (It replaced ``torch.save``/``torch.load(weights_only=
True)``, which is as safe but costs about a millisecond per message either way.)

Tensors travel as :class:`TensorRecord`-shaped dicts so that the judge learns the device,
dtype, shape and autograd state of a result even when its values cannot travel (``meta``
tensors) or live on a GPU.

The decoder believes nothing: every field of a tensor record is checked (a device and a
dtype from fixed sets, sides that are non-negative ints, flags that are bools, values present
exactly when the device is not ``meta``, a byte count that fits), and each buffer of tensor
bytes must be referred to exactly once.  The honest encoder never shares a buffer, so a
message naming one buffer many times is refused rather than decoded: the bytes the judge
allocates for tensors never exceed the message's own size.  (Sharing one copy would bound the
bytes too, but would make two results of a call one tensor, where a change to one changes the
other; copying keeps every tensor aligned and independent of the message.)  Only exact
``torch.Tensor``s (and ``nn.Parameter``s) are encoded: a subclass may lie about its device or
values, so it is refused with a message that says why.
"""

from __future__ import annotations

import json
import math
from typing import Any

import torch

from autograder.engine.pipes import HEADER, MAGIC, STRUCTURE, read_exactly, write_all

# The frame (HEADER, MAGIC, STRUCTURE) is autograder.engine.pipes': one for every hop.
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
# Bulk data travels as tensor bytes; a structure this large is a flood, not an answer
# (as Python objects it would take the judge gigabytes).
MAX_STRUCTURE_BYTES = 32 * 1024 * 1024

TENSOR_TAG = "__tensor__"
TUPLE_TAG = "__tuple__"
SIZE_TAG = "__size__"
EXCEPTION_TAG = "__exception__"
DTYPE_TAG = "__dtype__"
DEVICE_TAG = "__device__"
SLICE_TAG = "__slice__"
OPAQUE_TAG = "__opaque__"
COMPLEX_TAG = "__complex__"
BUFFER_TAG = "__buffer__"
# The longest text (a string or a dict's key) a message may hold.
MAX_TEXT = 100_000

# What a tensor record may claim: the devices the judge places inputs on and results can
# live on, the dtypes that travel as raw bytes, at most so many dimensions of at most so
# many elements each (a ``meta`` tensor's shape costs nothing to claim: it is still bounded).
DEVICES = frozenset({"cpu", "meta", "cuda", *(f"cuda:{index}" for index in range(64))})
DTYPES: dict[str, torch.dtype] = {
    str(dtype).removeprefix("torch."): dtype
    for dtype in (
        torch.bool,
        torch.uint8,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.uint16,
        torch.uint32,
        torch.uint64,
        torch.float16,
        torch.bfloat16,
        torch.float32,
        torch.float64,
        torch.complex32,
        torch.complex64,
        torch.complex128,
    )
}
MAX_DIMS = 64
MAX_SIDE = 2**48
_RECORD_KEYS = frozenset(
    {TENSOR_TAG, "device", "dtype", "shape", "requires_grad", "has_grad_fn", "contiguous", "values"}
)
# The only tensor types encoded: a subclass can answer the encoder's questions as it likes.
_PLAIN_TENSORS = (torch.Tensor, torch.nn.Parameter)
# Taken when this module is imported (in the fork server, before any student code runs):
# the C type's own attributes, which student code cannot rebind, and a switch that turns
# off every torch function mode and subclass while a tensor is described.
_DEVICE_OF = torch._C.TensorBase.device.__get__
_DTYPE_OF = torch._C.TensorBase.dtype.__get__
_SHAPE_OF = torch._C.TensorBase.shape.__get__
_REQUIRES_GRAD_OF = torch._C.TensorBase.requires_grad.__get__
_GRAD_FN_OF = torch._C.TensorBase.grad_fn.__get__
_NO_TORCH_FUNCTION = torch._C.DisableTorchFunction


class ProtocolError(Exception):
    """A message from the other side was malformed, too large or not plain data."""


class TooLarge(ProtocolError):
    """A message that this process cannot hold within its memory limit."""


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


def _tensor_record(
    tensor: torch.Tensor, buffers: list[bytes], with_values: bool = True
) -> dict[str, Any]:
    """A plain tensor as a record (its values as bytes unless it is on ``meta``, or
    ``with_values`` is false: the judge's input placed on ``meta``)."""
    if type(tensor) not in _PLAIN_TENSORS:
        name = str(getattr(type(tensor), "__qualname__", "?"))[:100]
        raise ProtocolError(
            f"the answer holds a {name}, a subclass of torch.Tensor: only plain tensors can "
            "be judged (return a torch.Tensor)"
        )
    with _NO_TORCH_FUNCTION():
        device = _DEVICE_OF(tensor)
        record: dict[str, Any] = {
            TENSOR_TAG: True,
            "device": str(device),
            "dtype": str(_DTYPE_OF(tensor)).removeprefix("torch."),
            "shape": [int(side) for side in _SHAPE_OF(tensor)],
            "requires_grad": bool(_REQUIRES_GRAD_OF(tensor)),
            "has_grad_fn": _GRAD_FN_OF(tensor) is not None,
            "contiguous": True,
            "values": None,
        }
        if with_values and device.type != "meta":
            # Keep strides out of the message: the values are what matter.
            record["values"] = _tensor_bytes(tensor, buffers)
    return record


def _tensor_bytes(tensor: torch.Tensor, buffers: list[bytes]) -> dict[str, int]:
    """Keep the values of ``tensor`` (on the CPU, any strides) as raw bytes; refer to them."""
    plain = tensor.detach().to("cpu").resolve_conj().resolve_neg()
    flat = torch.empty(plain.numel(), dtype=plain.dtype).copy_(plain.reshape(-1))
    buffers.append(flat.view(torch.uint8).numpy().tobytes())
    return {BUFFER_TAG: len(buffers) - 1}


def _encode(value: Any, buffers: list[bytes], depth: int = 0) -> Any:
    if depth > 32:
        raise ProtocolError("value nested too deeply")
    if isinstance(value, Placed):
        on_meta = value.device.startswith("meta")
        record = _tensor_record(value.tensor, buffers, with_values=not on_meta)
        record["device"] = value.device
        record["contiguous"] = value.contiguous
        return record
    if isinstance(value, torch.Tensor):
        return _tensor_record(value, buffers)
    if isinstance(value, torch.Size):
        return {SIZE_TAG: [int(v) for v in value]}
    if isinstance(value, torch.dtype):
        return {DTYPE_TAG: str(value).removeprefix("torch.")}
    if isinstance(value, torch.device):
        return {DEVICE_TAG: str(value)}
    if isinstance(value, slice):
        parts = (value.start, value.stop, value.step)
        return {SLICE_TAG: [_encode(v, buffers, depth + 1) for v in parts]}
    if isinstance(value, tuple):
        return {TUPLE_TAG: [_encode(v, buffers, depth + 1) for v in value]}
    if isinstance(value, list):
        return [_encode(v, buffers, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k)[:MAX_TEXT]: _encode(v, buffers, depth + 1) for k, v in value.items()}
    if isinstance(value, complex):
        return {COMPLEX_TAG: [float(value.real), float(value.imag)]}
    if value is None:
        return None
    if isinstance(value, (bool, int, float, str)):
        # bool/int subclasses (numpy scalars, IntEnum) are flattened to plain values.
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        return str(value)[:MAX_TEXT]
    # Anything else (numpy arrays, custom objects) is described, never shipped.
    try:
        import numpy

        if isinstance(value, numpy.generic):
            return _encode(value.item(), buffers, depth)
    except ImportError:  # pragma: no cover - numpy ships with torch
        pass
    return {OPAQUE_TAG: f"{type(value).__module__}.{type(value).__qualname__}"}


def _dtype(name: Any) -> torch.dtype:
    dtype = DTYPES.get(name) if type(name) is str else None
    if dtype is None:
        raise ProtocolError(f"unknown dtype {str(name)[:40]!r}")
    return dtype


def _device(name: Any) -> str:
    if type(name) is not str or name not in DEVICES:
        raise ProtocolError(f"unknown device {str(name)[:40]!r}")
    return name


def _shape(sides: Any) -> tuple[int, ...]:
    if type(sides) is not list or len(sides) > MAX_DIMS:
        raise ProtocolError("a tensor's shape is not a list of sizes")
    if not all(type(side) is int and 0 <= side <= MAX_SIDE for side in sides):
        raise ProtocolError(f"bad tensor shape {str(sides)[:100]}")
    return tuple(sides)


def _flag(record: dict[str, Any], name: str) -> bool:
    value = record[name]
    if type(value) is not bool:
        raise ProtocolError(f"a tensor's {name} is not true or false")
    return value


def _only(value: dict[str, Any], tag: str) -> Any:
    """The content of a tagged dict, which holds the tag alone."""
    if len(value) != 1:
        raise ProtocolError(f"a {tag} with other keys")
    return value[tag]


class _Decoder:
    """Rebuilds a message's tree, each buffer of tensor bytes taken at most once."""

    def __init__(self, buffers: list[memoryview]) -> None:
        self.buffers = buffers
        self.taken: set[int] = set()

    def tensor(self, record: dict[str, Any]) -> TransportedTensor:
        if record.keys() != _RECORD_KEYS or record[TENSOR_TAG] is not True:
            raise ProtocolError("a tensor record with other fields")
        device = _device(record["device"])
        dtype = _dtype(record["dtype"])
        shape = _shape(record["shape"])
        flags = {name: _flag(record, name) for name in ("requires_grad", "has_grad_fn")}
        contiguous = _flag(record, "contiguous")
        reference = record["values"]
        if (reference is None) != (device == "meta"):
            raise ProtocolError(
                f"a tensor on {device} without values"
                if reference is None
                else "a tensor on meta with values"
            )
        return TransportedTensor(
            values=None if reference is None else self.values(reference, dtype, shape),
            device=device,
            dtype=dtype,
            shape=shape,
            contiguous=contiguous,
            **flags,
        )

    def values(self, reference: Any, dtype: torch.dtype, shape: tuple[int, ...]) -> torch.Tensor:
        """The tensor a record's ``values`` refers to, after checking its size against its
        bytes; the buffer is then taken."""
        if not isinstance(reference, dict) or reference.keys() != {BUFFER_TAG}:
            raise ProtocolError("tensor values are not a tensor")
        index = reference[BUFFER_TAG]
        if type(index) is not int or not 0 <= index < len(self.buffers):
            raise ProtocolError("tensor values are not a tensor")
        if index in self.taken:
            raise ProtocolError("a buffer of tensor bytes named twice")
        self.taken.add(index)
        data = self.buffers[index]
        numel = math.prod(shape)
        if len(data) != numel * dtype.itemsize:
            raise ProtocolError(f"{len(data)} bytes cannot hold a {dtype} tensor of shape {shape}")
        if numel == 0:
            return torch.empty(shape, dtype=dtype)
        flat = torch.frombuffer(bytearray(data), dtype=torch.uint8)
        return flat.view(dtype).reshape(shape)

    def decode(self, value: Any, depth: int = 0) -> Any:
        if depth > 40:
            raise ProtocolError("value nested too deeply")
        if isinstance(value, list):
            return [self.decode(v, depth + 1) for v in value]
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise ProtocolError("a text over the limit")
            return value
        if not isinstance(value, dict):
            return value  # numbers, true, false, null
        if TENSOR_TAG in value:
            return self.tensor(value)
        if TUPLE_TAG in value:
            return tuple(self.decode(v, depth + 1) for v in self._list(value, TUPLE_TAG))
        if SIZE_TAG in value:
            sides = self._list(value, SIZE_TAG)
            if not all(type(side) is int for side in sides):
                raise ProtocolError("a size that is not a list of ints")
            return torch.Size(sides)
        if DTYPE_TAG in value:
            return _dtype(_only(value, DTYPE_TAG))
        if DEVICE_TAG in value:
            return torch.device(_device(_only(value, DEVICE_TAG)))
        if SLICE_TAG in value:
            parts = self._list(value, SLICE_TAG)
            if len(parts) != 3:
                raise ProtocolError("a slice that is not start, stop, step")
            return slice(*(self.decode(v, depth + 1) for v in parts))
        if COMPLEX_TAG in value:
            parts = self._list(value, COMPLEX_TAG)
            if len(parts) != 2 or not all(type(part) in (int, float) for part in parts):
                raise ProtocolError("a complex number that is not two numbers")
            return complex(*parts)
        if any(len(key) > MAX_TEXT for key in value):
            raise ProtocolError("a text over the limit")
        return {k: self.decode(v, depth + 1) for k, v in value.items()}

    @staticmethod
    def _list(value: dict[str, Any], tag: str) -> list[Any]:
        content = _only(value, tag)
        if type(content) is not list:
            raise ProtocolError(f"a {tag} that is not a list")
        return content


def dumps(value: Any) -> bytes:
    """Serialise plain data (and tensors) to bytes: the JSON structure, then tensor bytes."""
    buffers: list[bytes] = []
    tree = _encode(value, buffers)
    document = {"tree": tree, "sizes": [len(chunk) for chunk in buffers]}
    structure = json.dumps(document, separators=(",", ":")).encode()
    return b"".join([MAGIC, STRUCTURE.pack(len(structure)), structure, *buffers])


def loads(data: bytes, max_structure: int = MAX_STRUCTURE_BYTES) -> Any:
    """Deserialise bytes from the other side, refusing anything but well-formed plain data
    (and a JSON structure over ``max_structure`` bytes before parsing it)."""
    try:
        return _loads(memoryview(data), max_structure)
    except ProtocolError:
        raise
    except MemoryError:
        raise TooLarge("the message does not fit in the memory limit of its reader") from None
    except Exception as error:  # noqa: BLE001 - any failure means "not plain data"
        raise ProtocolError(f"message is not plain data: {type(error).__name__}") from None


def _loads(data: memoryview, max_structure: int) -> Any:
    head = len(MAGIC) + STRUCTURE.size
    if len(data) < head or bytes(data[: len(MAGIC)]) != MAGIC:
        raise ProtocolError("message is not plain data: not in the wire format")
    (length,) = STRUCTURE.unpack(data[len(MAGIC) : head])
    if length > max_structure:
        raise ProtocolError(f"a structure of {length} bytes is over the limit")
    document = json.loads(bytes(data[head : head + length]))
    if type(document) is not dict or document.keys() != {"tree", "sizes"}:
        raise ProtocolError("message is not plain data: not a tree and its sizes")
    sizes = document["sizes"]
    if type(sizes) is not list or not all(type(size) is int and size >= 0 for size in sizes):
        raise ProtocolError("bad buffer sizes")
    if head + length + sum(sizes) != len(data):
        raise ProtocolError("the tensor bytes do not add up to the message")
    buffers, offset = [], head + length
    for size in sizes:
        buffers.append(data[offset : offset + size])
        offset += size
    decoder = _Decoder(buffers)
    tree = decoder.decode(document["tree"])
    if len(decoder.taken) != len(buffers):
        raise ProtocolError("tensor bytes that no tensor refers to")
    return tree


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
    write_all(fd, HEADER.pack(len(payload)) + payload)


def read_message(fd: int) -> Any:
    """A request from the judge (runner side)."""
    (size,) = HEADER.unpack(read_exactly(fd, HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message of {size} bytes is over the limit")
    return loads(read_exactly(fd, size))
