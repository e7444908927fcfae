"""Mirrors `torch.types`: the type aliases that annotations in user code import.

`SymInt`, `SymFloat` and `SymBool` are PyTorch's symbolic numbers (used when tracing shapes);
ember never traces, so no value is ever an instance of them, but they exist for
`isinstance` checks and annotations.
"""

import os
from typing import IO, Any, Optional, Sequence, Union  # noqa: F401

from ._device import device as _device_cls
from ._dtype import dtype as _dtype_cls
from ._tensor import Size, Tensor  # noqa: F401


class SymInt:
    """Mirrors `torch.SymInt`: a symbolic int. ember has none; the class serves isinstance."""


class SymFloat:
    """Mirrors `torch.SymFloat`: a symbolic float. ember has none; the class serves isinstance."""


class SymBool:
    """Mirrors `torch.SymBool`: a symbolic bool. ember has none; the class serves isinstance."""


_int = int
_float = float
_bool = bool
_complex = complex
_str = str
_bytes = bytes
_dtype = _dtype_cls
_device = _device_cls

_TensorOrTensors = Union[Tensor, Sequence[Tensor]]
_TensorOrOptionalTensors = Union[Optional[Tensor], Sequence[Optional[Tensor]]]
_size = Union[Size, list[int], tuple[int, ...]]
_symsize = Union[Size, Sequence[Union[int, SymInt]]]

IntLikeType = Union[int, SymInt]
FloatLikeType = Union[float, SymFloat]
BoolLikeType = Union[bool, SymBool]
py_sym_types = (SymInt, SymFloat, SymBool)
PySymType = Union[SymInt, SymFloat, SymBool]

_Number = (int, float, bool)
Number = Union[int, float, bool]
Device = Union[_device_cls, str, int, None]
FileLike = Union[str, os.PathLike, IO[bytes]]


class Storage:
    """Mirrors the `torch.types.Storage` protocol class (annotations only)."""
