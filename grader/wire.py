"""Plain-data wire format between grader and child: the child encodes, the parent validates.

The child turns whatever the student returned into JSON-able data (`encode_answer`); the parent
turns that data back into values it built itself (`decode_answer`) after checking every type,
shape and size. Nothing the child sends is ever executed, unpickled or trusted as an object.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.i18n import _

__all__ = [
    "MAX_ELEMENTS",
    "ArrayAnswer",
    "MalformedAnswer",
    "Opaque",
    "SymbolicAnswer",
    "decode_answer",
    "describe",
    "encode_answer",
    "encode_args",
    "to_plain",
]

MAX_ELEMENTS = 200_000
_MAX_DEPTH = 16
_MAX_STRING = 20_000
_NUMERIC_KINDS = frozenset("biuf")


class MalformedAnswer(Exception):
    """The child's data is not a well-formed answer (wrong tags, shapes, sizes)."""


@dataclass(frozen=True)
class ArrayAnswer:
    """A NumPy array or torch tensor the student returned, rebuilt by the parent as float64."""

    kind: str  # "ndarray" or "tensor"
    dtype: str
    shape: tuple[int, ...]
    values: np.ndarray
    device: str | None = None
    requires_grad: bool = False


@dataclass(frozen=True)
class SymbolicAnswer:
    """A SymPy expression as its structural tree; rebuilt only against an allowlist."""

    tree: Any


@dataclass(frozen=True)
class Opaque:
    """Something the wire cannot carry (a function, a custom object): named, not transported."""

    type_name: str


# --- child side ---------------------------------------------------------------------------


def encode_answer(value: Any) -> Any:
    """Child side: the student's value as bounded JSON-able data (never raises)."""
    budget = [MAX_ELEMENTS]
    try:
        return _encode(value, budget, 0)
    except _TooLarge:
        return {"$opaque": "answer too large"}
    except Exception as exc:  # hostile objects may raise anything while being inspected
        return {"$opaque": f"unreadable value ({type(exc).__name__})"}


class _TooLarge(Exception):
    pass


def _spend(budget: list[int], count: int) -> None:
    budget[0] -= count
    if budget[0] < 0:
        raise _TooLarge()


def _encode(value: Any, budget: list[int], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise _TooLarge()
    _spend(budget, 1)
    # Exact type checks: subclasses of float/int/list may override anything.
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value if kind is not str else value[:_MAX_STRING]
    if kind is int:
        return value if abs(value) < 2**63 else float(value)
    if kind is float:
        return value
    if isinstance(value, np.generic) and value.dtype.kind in _NUMERIC_KINDS:
        return value.item() if value.dtype.kind != "b" else bool(value)
    if kind in (list, tuple):
        if len(value) <= budget[0] and all(type(item) is float for item in value):
            budget[0] -= len(value)  # a list of floats, as 09 sends back: one pass, not a call each
            return list(value)
        return [_encode(item, budget, depth + 1) for item in value]
    if isinstance(value, np.ndarray):
        return _encode_array(np.asarray(value), budget, "$nd", {})
    torch_tag = _encode_tensor(value, budget)
    if torch_tag is not None:
        return torch_tag
    sym = _encode_sympy(value, budget)
    if sym is not None:
        return sym
    return {"$opaque": kind.__name__}


def _encode_array(array: np.ndarray, budget: list[int], tag: str, extra: dict[str, Any]) -> Any:
    if array.dtype.kind not in _NUMERIC_KINDS:
        return {"$opaque": f"array of {array.dtype}"}
    _spend(budget, int(array.size))
    plain = np.ndarray.tolist(np.array(array, dtype=np.float64, order="C").view(np.ndarray))
    return {tag: {"dtype": _dtype_name(array.dtype), "shape": list(array.shape), "data": plain,
                  **extra}}


@functools.lru_cache(maxsize=64)
def _dtype_name(dtype: np.dtype) -> str:
    # NumPy builds a dtype's name in Python (~10 µs); arrays travel by the thousand.
    return str(dtype)


def _encode_tensor(value: Any, budget: list[int]) -> Any:
    import sys

    torch = sys.modules.get("torch")
    if torch is None or not isinstance(value, torch.Tensor):
        return None
    tensor = value.detach()
    extra = {"device": str(tensor.device), "requires_grad": bool(value.requires_grad)}
    dtype = str(tensor.dtype).removeprefix("torch.")
    if tensor.is_complex() or tensor.layout != torch.strided:
        return {"$opaque": f"tensor of {dtype}"}
    array = tensor.to("cpu", torch.float64).numpy()
    encoded = _encode_array(array, budget, "$tensor", extra)
    encoded["$tensor"]["dtype"] = dtype
    return encoded


def _encode_sympy(value: Any, budget: list[int]) -> Any:
    import sys

    sympy = sys.modules.get("sympy")
    if sympy is None or not isinstance(value, sympy.Basic):
        return None
    from grader.symbolic.tree import to_tree

    _spend(budget, 1)
    return {"$sym": to_tree(value)}


# --- parent side --------------------------------------------------------------------------


def encode_args(args: tuple[Any, ...]) -> list[Any]:
    """Parent side: inputs for a call as tagged data the child rebuilds (see child.py)."""
    return [_encode_arg(arg) for arg in args]


def _encode_arg(arg: Any) -> Any:
    if isinstance(arg, np.ndarray):
        return {"$nd": {"dtype": _dtype_name(arg.dtype), "data": arg.tolist()}}
    spec = getattr(arg, "wire_spec", None)  # gradient recipes and tensors on a device
    if callable(spec):
        return spec()
    if isinstance(arg, (list, tuple)):
        return [_encode_arg(item) for item in arg]
    return arg


def decode_answer(data: Any) -> Any:
    """Parent side: validate the child's data and rebuild it from parent-made objects."""
    return _decode(data, 0)


def _decode(data: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH + 1:
        raise MalformedAnswer("nested too deeply")
    kind = type(data)
    if data is None or kind in (bool, int, float):
        return data
    if kind is str:
        if len(data) > _MAX_STRING:
            raise MalformedAnswer("string too long")
        return data
    if kind is list:
        return [_decode(item, depth + 1) for item in data]
    if kind is not dict or len(data) != 1:
        raise MalformedAnswer("unknown value")
    ((tag, body),) = data.items()
    if tag == "$opaque" and type(body) is str:
        return Opaque(body[:200])
    if tag == "$sym":
        return SymbolicAnswer(body)
    if tag in ("$nd", "$tensor") and type(body) is dict:
        return _decode_array(tag, body)
    raise MalformedAnswer(f"unknown tag {tag!r}")


def _decode_array(tag: str, body: dict[str, Any]) -> ArrayAnswer:
    shape = body.get("shape")
    if type(shape) is not list or not all(type(n) is int and n >= 0 for n in shape):
        raise MalformedAnswer("bad array shape")
    size = math.prod(shape)
    if size > MAX_ELEMENTS or len(shape) > 8:
        raise MalformedAnswer("array too large")
    flat = _flatten_numbers(body.get("data"), shape)
    values = np.array(flat, dtype=np.float64).reshape(shape)
    dtype, device = body.get("dtype"), body.get("device")
    if type(dtype) is not str or (device is not None and type(device) is not str):
        raise MalformedAnswer("bad array metadata")
    return ArrayAnswer(
        kind="ndarray" if tag == "$nd" else "tensor",
        dtype=dtype[:40],
        shape=tuple(shape),
        values=values,
        device=None if device is None else device[:40],
        requires_grad=body.get("requires_grad") is True,
    )


def _flatten_numbers(data: Any, shape: list[int]) -> list[float]:
    """Check `data` is a nested list of exactly `shape` holding only real numbers."""
    if not shape:
        if type(data) not in (int, float):
            raise MalformedAnswer("array element is not a number")
        try:
            return [float(data)]
        except OverflowError:  # an int no float64 array could have produced
            raise MalformedAnswer("array element out of range") from None
    if type(data) is not list or len(data) != shape[0]:
        raise MalformedAnswer("array data does not match its shape")
    if len(shape) == 1 and all(type(item) is float for item in data):
        return data  # the innermost row, as a float64 array sends it: already checked
    flat: list[float] = []
    for item in data:
        flat.extend(_flatten_numbers(item, shape[1:]))
    return flat


# --- shared helpers for feedback ------------------------------------------------------------


def to_plain(value: Any, *, limit: int = 12) -> Any:
    """A decoded value (or a parent-side input) as short, printable plain data."""
    if isinstance(value, ArrayAnswer):
        return _round_nested(value.values, limit)
    if isinstance(value, np.ndarray):
        return _round_nested(value, limit)
    if isinstance(value, float):
        return _round(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(item, limit=limit) for item in list(value)[:limit]]
    if isinstance(value, (Opaque, SymbolicAnswer)):
        return describe(value)
    spec = getattr(value, "describe", None)
    if callable(spec):
        return spec()
    return value


def describe(value: Any) -> str:
    """A few words naming what kind of value this is, for 'expected … got …' messages."""
    if isinstance(value, ArrayAnswer):
        if value.kind == "ndarray":
            return _("array of shape {shape} ({dtype})").format(shape=value.shape,
                                                                dtype=value.dtype)
        if value.device:
            return _("tensor of shape {shape} ({dtype} on {device})").format(
                shape=value.shape, dtype=value.dtype, device=value.device)
        return _("tensor of shape {shape} ({dtype})").format(shape=value.shape,
                                                             dtype=value.dtype)
    if isinstance(value, Opaque):
        return value.type_name
    if isinstance(value, SymbolicAnswer):
        return _("SymPy expression")
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return _("number")
    if value is None:
        return "None"
    return type(value).__name__


def _round(value: float) -> float:
    if not math.isfinite(value):
        return value
    return float(f"{value:.8g}")


def _round_nested(array: np.ndarray, limit: int) -> Any:
    if array.ndim == 0:
        return _round(float(array))
    return [_round_nested(row, limit) for row in array[:limit]]
