"""dtype objects, their NumPy mapping, PyTorch's type promotion and the default dtype."""

import numpy as np

from ._typenames import TorchNamed


class dtype(metaclass=TorchNamed):
    """A tensor element type. Mirrors `torch.dtype`."""

    # what `type(x)` prints (see _typenames)
    _torch_name = "torch.dtype"

    __slots__ = ("name", "np", "is_floating_point", "is_complex", "is_signed", "itemsize", "_kind")

    def __init__(self, name, np_dtype, kind, itemsize=None):
        self.name = name
        # kind orders the categories for promotion: bool < int < float < complex
        self._kind = kind
        self.is_floating_point = kind == 2
        self.is_complex = kind == 3
        self.is_signed = name not in ("bool", "uint8")
        if np_dtype is None:
            # bfloat16: its NumPy dtype comes from the optional ml_dtypes package, imported at
            # the first use of `.np` (see __getattr__), so `import ember` stays fast and works
            # without it
            self.itemsize = itemsize
        else:
            self.np = np.dtype(np_dtype)
            self.itemsize = self.np.itemsize

    def __getattr__(self, attr):
        # only reached when a slot is unset: bfloat16's `np` before ml_dtypes was imported.
        # Other dtypes pay nothing for this on the hot path.
        if attr == "np" and self.name == "bfloat16":
            return _load_bfloat16()
        raise AttributeError(f"'torch.dtype' object has no attribute '{attr}'")

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        # dtypes are singletons: unpickle to the module attribute
        return (_by_name, (self.name,))

    def to_real(self):
        if self is complex64:
            return float32
        if self is complex128:
            return float64
        return self

    def to_complex(self):
        if self is float64:
            return complex128
        if self.is_complex:
            return self
        return complex64


bool_ = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 1)
int16 = dtype("int16", np.int16, 1)
int32 = dtype("int32", np.int32, 1)
int64 = dtype("int64", np.int64, 1)
float16 = dtype("float16", np.float16, 2)
float32 = dtype("float32", np.float32, 2)
float64 = dtype("float64", np.float64, 2)
complex64 = dtype("complex64", np.complex64, 3)
complex128 = dtype("complex128", np.complex128, 3)
bfloat16 = dtype("bfloat16", None, 2, itemsize=2)

_WITH_NP = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64, complex64,
            complex128)
ALL = _WITH_NP + (bfloat16,)
_NAMES = {d.name: d for d in ALL}
_FROM_NP = {d.np: d for d in _WITH_NP}
# numpy scalar types map too (np.float32 as a type)
_FROM_NP_TYPE = {d.np.type: d for d in _WITH_NP}


def _load_bfloat16():
    """Import ml_dtypes (once) and give bfloat16 its NumPy dtype; RuntimeError without it."""
    try:
        import ml_dtypes
    except ImportError:
        raise RuntimeError(
            "bfloat16 tensors need the ml_dtypes package (NumPy has no bfloat16): "
            "pip install ml_dtypes"
        ) from None
    np_dtype = np.dtype(ml_dtypes.bfloat16)
    bfloat16.np = np_dtype
    _FROM_NP[np_dtype] = bfloat16
    _FROM_NP_TYPE[np_dtype.type] = bfloat16
    return np_dtype


def _by_name(name):
    return _NAMES[name]


def from_numpy_dtype(np_dtype):
    """The ember dtype of a NumPy dtype; TypeError for those PyTorch lacks."""
    try:
        return _FROM_NP[np_dtype]
    except KeyError:
        pass
    name = getattr(np_dtype, "name", None) or getattr(np_dtype, "__name__", None)
    if name == "bfloat16":
        # an ml_dtypes array: that package is imported already, so register it now
        _load_bfloat16()
        return bfloat16
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
            "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, "
            "and bool."
        ) from None


def to_dtype(obj):
    """Accept an ember dtype, a NumPy dtype or type, a Python type or a name."""
    if obj.__class__ is dtype:
        return obj
    if obj is None:
        return None
    if obj is float:
        return float64
    if obj is int:
        return int64
    if obj is bool:
        return bool_
    if obj is complex:
        return complex128
    if isinstance(obj, str):
        name = obj[6:] if obj.startswith("torch.") else obj
        if name in _ALIASES:
            return _ALIASES[name]
    d = _FROM_NP_TYPE.get(obj)
    if d is not None:
        return d
    legacy = getattr(obj, "dtype", None)
    if legacy.__class__ is dtype and isinstance(obj, type):
        # the legacy tensor types: x.type(torch.FloatTensor)
        return legacy
    return from_numpy_dtype(obj)


_ALIASES = dict(_NAMES)
_ALIASES.update(
    {
        "float": float32,
        "double": float64,
        "half": float16,
        "long": int64,
        "int": int32,
        "short": int16,
        "cfloat": complex64,
        "cdouble": complex128,
    }
)

_default = [float32]


def get_default_dtype():
    """Mirrors `torch.get_default_dtype`."""
    return _default[0]


def set_default_dtype(d):
    """Mirrors `torch.set_default_dtype` (float32 or float64, and float16)."""
    d = to_dtype(d)
    if not d.is_floating_point:
        raise TypeError(
            "only floating-point types are supported as the default type"
        )
    _default[0] = d


def default_complex():
    return complex128 if _default[0] is float64 else complex64


def promote_types(a, b):
    """Mirrors `torch.promote_types` for two dtypes."""
    if a is b:
        return a
    ka = a._kind
    kb = b._kind
    if ka != kb:
        if ka < kb:
            a, b = b, a
            ka, kb = kb, ka
        # a is of the higher category; a float meets complex as complex of the wider float
        if ka == 3 and kb == 2:
            wide = float64 if (a is complex128 or b is float64) else float32
            return complex128 if wide is float64 else complex64
        return a
    if ka == 1:
        return _FROM_NP[np.promote_types(a.np, b.np)]
    # same float or complex category: the wider one; bfloat16 and float16 (same width, neither
    # holds the other) meet at float32, as in PyTorch
    if a.itemsize == b.itemsize and ka == 2:
        return float32
    return a if a.itemsize >= b.itemsize else b


def scalar_dtype(x):
    """The dtype PyTorch gives a Python scalar when it stands alone (a wrapped number)."""
    t = type(x)
    if t is bool:
        return bool_
    if t is int:
        return int64
    if t is float:
        return _default[0]
    if t is complex:
        return default_complex()
    if isinstance(x, np.generic):
        # PyTorch wraps a NumPy scalar like the Python number of its kind
        return _NP_SCALAR_KIND[x.dtype.kind]()
    raise TypeError(f"unsupported scalar type {t.__name__}")


_NP_SCALAR_KIND = {
    "b": lambda: bool_,
    "i": lambda: int64,
    "u": lambda: int64,
    "f": get_default_dtype,
    "c": default_complex,
}


def _combine(higher, lower):
    # torch's combine_categories: the group of higher priority wins unless the lower group
    # has a higher category (a float scalar with an int tensor gives a float)
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        if higher.is_floating_point:
            return higher.to_complex()
        return lower
    if higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """PyTorch's result dtype of Tensors, 0-d Tensors and Python scalars.

    Three priority groups: tensors with dimensions, 0-d tensors, Python scalars.
    A lower group only matters when it brings a higher category (bool < int < float < complex).
    """
    dim_res = None
    zero_res = None
    wrapped = None
    for x in operands:
        d = getattr(x, "_dtype", None)
        if d is not None:
            if x._data.ndim:
                dim_res = d if dim_res is None else promote_types(dim_res, d)
            else:
                zero_res = d if zero_res is None else promote_types(zero_res, d)
        elif x is not None:
            if hasattr(x, "dtype") and hasattr(x, "ndim") and not isinstance(x, np.generic):
                # raw arrays behave like tensors
                d = from_numpy_dtype(x.dtype)
                if x.ndim:
                    dim_res = d if dim_res is None else promote_types(dim_res, d)
                else:
                    zero_res = d if zero_res is None else promote_types(zero_res, d)
                continue
            d = scalar_dtype(x)
            # Python scalars: float -> default dtype, int -> int64, so use category only
            wrapped = d if wrapped is None else promote_types(wrapped, d)
    return _combine(dim_res, _combine(zero_res, wrapped))


# ---------------------------------------------------------------- checked scalar conversion
# the C++ type names c10's checked conversion (Scalar::to<T>) prints in its overflow error
C_TYPE_NAMES = {
    "bool": "bool", "uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
    "int64": "int64_t", "float16": "c10::Half", "bfloat16": "c10::BFloat16", "float32": "float",
    "float64": "double", "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
}
# the largest finite value of each narrow float type (what c10 compares a double against)
_FLOAT_MAX = {"float16": 65504.0, "bfloat16": 3.3895313892515355e38,
              "float32": 3.4028234663852886e38}
_INT_RANGE = {
    # (lowest int accepted, highest, lowest float accepted): an unsigned type takes Python
    # ints down to -max (two's complement wrap), but floats only from 0
    "uint8": (-255, 255, 0),
    "int8": (-128, 127, -128),
    "int16": (-(2**15), 2**15 - 1, -(2**15)),
    "int32": (-(2**31), 2**31 - 1, -(2**31)),
    "int64": (-(2**63), 2**63 - 1, -(2**63)),
}


def overflow_error(dt):
    """torch's RuntimeError for a number that does not fit dtype `dt`."""
    return RuntimeError(
        f"value cannot be converted to type {C_TYPE_NAMES.get(dt.name, dt.name)} without "
        "overflow"
    )


def check_scalar(value, dt):
    """c10's checked conversion of a Python number to dtype `dt` (what fill_, masked_fill,
    clamp's bounds, where's scalar, alpha and friends go through): raises torch's error for a
    value out of range, else returns the value, an int wrapped into range for an integer
    dtype. bool never overflows; inf and nan fit every float type."""
    if isinstance(value, np.generic):
        value = value.item()
    c = value.__class__
    if c is bool or dt is bool_ or dt is complex128:
        return value
    kind = dt._kind
    name = dt.name
    if c is complex:
        if kind == 3:
            lim = _FLOAT_MAX["float32"]
            if _too_big(value.real, lim) or _too_big(value.imag, lim):
                raise overflow_error(dt)
            return value
        if value.imag != 0:
            raise overflow_error(dt)
        value = value.real
        c = float
    if kind == 1:
        lo, hi, flo = _INT_RANGE[name]
        if c is float:
            # nan and inf never fit an integer
            if not flo <= value <= hi:
                raise overflow_error(dt)
            value = int(value)
        elif not lo <= value <= hi:
            raise overflow_error(dt)
        if value < 0 and name == "uint8":
            value += 256
        return value
    lim = _FLOAT_MAX.get("float32" if kind == 3 else name)
    if lim is not None and _too_big(value, lim):
        raise overflow_error(dt)
    return value


def _too_big(v, lim):
    # a finite value beyond the type's largest (inf and nan pass)
    return (v > lim or v < -lim) and v - v == 0
