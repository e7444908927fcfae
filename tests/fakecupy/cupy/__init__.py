"""A stand-in for CuPy that runs on NumPy, for exercising ember's `cuda` code paths on a machine
without a GPU (EMBER_FAKE_CUDA=1 in tests/conftest.py). It is a development aid, not a GPU:
the real check is the test suite on a real GPU.

It keeps the CuPy behaviours that catch device bugs: arrays are not NumPy arrays, NumPy refuses
to convert them implicitly (np.asarray raises TypeError), mixing them with NumPy arrays in one
operation raises TypeError, reductions give 0-d arrays instead of NumPy scalars, `.get()` copies
to the host, and NumPy functions called on them dispatch here (NEP 13/18) as CuPy's do."""

import math
import operator

import numpy as _np

__version__ = "0.0-fake"


def _unsupported(x):
    return TypeError(f"Unsupported type {type(x)}")


def _u(x):
    """Unwrap for a NumPy call; NumPy arrays are refused as CuPy refuses them."""
    c = x.__class__
    if c is ndarray:
        return x._a
    if c is _np.ndarray:
        raise _unsupported(x)
    if c is list or c is tuple:
        return c(_u(v) for v in x)
    return x


def _u_index(x):
    """Indices may be NumPy arrays (CuPy copies them to the device)."""
    c = x.__class__
    if c is ndarray:
        return x._a
    if c is tuple:
        return tuple(_u_index(v) for v in x)
    return x


def _w(x):
    c = x.__class__
    if c is _np.ndarray:
        return ndarray._wrap(x)
    if isinstance(x, _np.generic):
        return ndarray._wrap(_np.asarray(x))
    if c is tuple or c is list:
        return c(_w(v) for v in x)
    if isinstance(x, tuple):
        # NumPy's result namedtuples (SVDResult, EighResult); CuPy returns plain tuples
        return tuple(_w(v) for v in x)
    return x


def _call(fn, args, kwargs):
    out = kwargs.get("out")
    args = [_u(a) for a in args]
    kwargs = {k: _u(v) for k, v in kwargs.items()}
    res = fn(*args, **kwargs)
    if out is not None:
        return out
    return _w(res)


class _DeviceObj:
    def __init__(self, i=0):
        self.id = i

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    def synchronize(self):
        pass

    def use(self):
        pass

    def __eq__(self, other):
        return isinstance(other, _DeviceObj) and other.id == self.id

    def __hash__(self):
        return self.id


class ndarray:
    __slots__ = ("_a",)
    __array_priority__ = 100

    def __init__(self, shape, dtype=float):
        self._a = _np.empty(shape, dtype=dtype)

    @classmethod
    def _wrap(cls, a):
        self = object.__new__(cls)
        self._a = a
        return self

    # --- the host boundary
    def __array__(self, *a, **k):
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed. "
            "Please use `.get()` to construct a NumPy array explicitly."
        )

    def get(self, stream=None, order="C", out=None):
        return _np.array(self._a, copy=True)

    def set(self, arr):
        self._a[...] = arr

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        fn = getattr(ufunc, method)
        if "out" in kwargs:
            kwargs["out"] = tuple(_u(o) for o in kwargs["out"])
            fn(*[_u(i) for i in inputs], **kwargs)
            outs = kwargs["out"]
            return _w(outs[0]) if len(outs) == 1 else _w(outs)
        return _call(fn, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        own = globals().get(func.__name__)
        if own is not None and getattr(own, "__module__", None) == __name__:
            return own(*args, **kwargs)
        return _call(func, args, kwargs)

    @property
    def device(self):
        return _DeviceObj(0)

    @property
    def __cuda_array_interface__(self):
        # host pointers in disguise: only this fake reads them back (asarray below)
        ai = self._a.__array_interface__
        return {"shape": ai["shape"], "typestr": ai["typestr"], "data": ai["data"],
                "strides": ai["strides"], "version": 3}

    # --- attributes
    shape = property(lambda s: s._a.shape)
    dtype = property(lambda s: s._a.dtype)
    ndim = property(lambda s: s._a.ndim)
    size = property(lambda s: s._a.size)
    strides = property(lambda s: s._a.strides)
    itemsize = property(lambda s: s._a.itemsize)
    nbytes = property(lambda s: s._a.nbytes)
    flags = property(lambda s: s._a.flags)
    T = property(lambda s: _w(s._a.T))
    mT = property(lambda s: _w(s._a.mT))
    real = property(lambda s: _w(s._a.real))
    imag = property(lambda s: _w(s._a.imag))

    @property
    def base(self):
        b = self._a.base
        return None if b is None else _w(b)

    @property
    def data(self):
        class _Ptr:
            ptr = self._a.__array_interface__["data"][0]

        return _Ptr()

    def __getattr__(self, name):
        if name.startswith("__"):
            # NumPy's __array_interface__ and friends would open a back door to the host
            raise AttributeError(name)
        attr = getattr(self._a, name)
        if callable(attr):
            return lambda *a, **k: _call(attr, a, k)
        return _w(attr)

    def item(self):
        return self._a.item()

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return diagonal(self, offset, axis1, axis2)

    def tolist(self):
        return self._a.tolist()

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        for i in range(len(self._a)):
            yield self[i]

    def __getitem__(self, idx):
        return _w(self._a[_u_index(idx)])

    def __setitem__(self, idx, value):
        if value.__class__ is _np.ndarray:
            raise _unsupported(value)
        self._a[_u_index(idx)] = _u(value)

    def __repr__(self):
        return repr(self._a)

    def __str__(self):
        return str(self._a)

    def __float__(self):
        return float(self._a)

    def __int__(self):
        return int(self._a)

    def __bool__(self):
        return bool(self._a)

    def __complex__(self):
        return complex(self._a)

    def __index__(self):
        return operator.index(self._a)

    def __copy__(self):
        return _w(self._a.copy())

    def __deepcopy__(self, memo):
        return _w(self._a.copy())

    def __reduce__(self):
        return (array, (self._a,))

    def __dlpack__(self, *a, **k):
        raise BufferError("fake cupy: DLPack is not simulated")

    def __dlpack_device__(self):
        return (2, 0)


def _op(name):
    return getattr(operator, name, None) or getattr(operator, name + "_")


def _binop(name):
    f = _op(name)

    def method(self, other):
        return _w(f(self._a, _u(other)))

    return method


def _rbinop(name):
    f = _op(name)

    def method(self, other):
        return _w(f(_u(other), self._a))

    return method


def _ibinop(name):
    f = _op(name)

    def method(self, other):
        self._a = f(self._a, _u(other))
        return self

    return method


for _n in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
           "xor", "lshift", "rshift", "lt", "le", "gt", "ge", "eq", "ne"):
    setattr(ndarray, f"__{_n}__", _binop(_n))
for _n in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
           "xor", "lshift", "rshift"):
    setattr(ndarray, f"__r{_n}__", _rbinop(_n))
    setattr(ndarray, f"__i{_n}__", _ibinop("i" + _n.rstrip("_")))
for _n in ("neg", "pos", "abs", "invert"):
    setattr(ndarray, f"__{_n}__", (lambda f: lambda self: _w(f(self._a)))(getattr(operator, _n)))
ndarray.__hash__ = None


# --- module functions: NumPy's, unwrapped and rewrapped; host arrays come in through asarray


def asarray(a, dtype=None, order=None, blocking=False):
    if a.__class__ is ndarray:
        if dtype is None or a._a.dtype == dtype:
            return a
        return _w(a._a.astype(dtype))
    if hasattr(a, "__cuda_array_interface__") and not isinstance(a, _np.ndarray):
        raise TypeError("fake cupy cannot read device pointers")
    return _w(_np.array(_unwrap_nested(a), dtype=dtype, order=order or "K", copy=True))


def _unwrap_nested(a):
    if a.__class__ is ndarray:
        return a._a
    if a.__class__ in (list, tuple):
        return [_unwrap_nested(v) for v in a]
    return a


def array(obj, dtype=None, copy=True, order="K", subok=False, ndmin=0, blocking=False):
    src = _unwrap_nested(obj)
    return _w(_np.array(src, dtype=dtype, copy=copy, order=order, ndmin=ndmin))


def ascontiguousarray(a, dtype=None):
    return _w(_np.ascontiguousarray(_u(a), dtype=dtype))


def asnumpy(a, stream=None, order="C", out=None, blocking=True):
    if a.__class__ is ndarray:
        return a.get()
    return _np.asarray(a)


def get_array_module(*args):
    import sys

    if any(a.__class__ is ndarray for a in args):
        return sys.modules[__name__]
    return _np


def from_dlpack(x):
    raise TypeError("fake cupy: DLPack is not simulated")


class _Ufunc:
    """A NumPy ufunc whose calls and methods take fake arrays."""

    def __init__(self, uf):
        self._uf = uf
        self.__name__ = uf.__name__
        self.nin = uf.nin
        self.nout = uf.nout

    def __call__(self, *a, **k):
        return _call(self._uf, a, k)

    def at(self, a, idx, b=None):
        if self.__name__ not in ("add", "subtract", "maximum", "minimum"):
            # as CuPy 14 on a real GPU
            raise NotImplementedError(f"`cupy_{self.__name__}.at` is not supported yet")
        args = (_u(a), _u_index(idx)) + (() if b is None else (_u(b),))
        self._uf.at(*args)

    def reduce(self, *a, **k):
        if self.__name__ not in ("add", "multiply"):
            # as CuPy 14 on a real GPU (its ufuncs reduce for add and multiply only)
            raise NotImplementedError(f"`cupy_{self.__name__}.reduce` is not supported yet")
        return _call(self._uf.reduce, a, k)

    def accumulate(self, *a, **k):
        if self.__name__ in ("maximum", "minimum"):
            # as CuPy 14 on a real GPU
            raise NotImplementedError(f"`cupy_{self.__name__}.accumulate` is not supported yet")
        return _call(self._uf.accumulate, a, k)

    def outer(self, *a, **k):
        return _call(self._uf.outer, a, k)


class _Namespace:
    def __init__(self, mod):
        self._mod = mod

    def __getattr__(self, name):
        return _lookup(getattr(self._mod, name))


def _lookup(attr):
    if isinstance(attr, _np.ufunc):
        return _Ufunc(attr)
    if isinstance(attr, type) and issubclass(attr, _np.generic):
        return attr
    if callable(attr) and not isinstance(attr, type):
        return lambda *a, **k: _call(attr, a, k)
    if hasattr(attr, "__name__") and attr.__class__.__name__ == "module":
        return _Namespace(attr)
    return attr


linalg = _Namespace(_np.linalg)
fft = _Namespace(_np.fft)
class _StrideTricks:
    @staticmethod
    def as_strided(x, shape=None, strides=None):
        # CuPy's views are always writeable
        return _w(_np.lib.stride_tricks.as_strided(_u(x), shape, strides, writeable=True))


class _Lib:
    stride_tricks = _StrideTricks()


lib = _Lib()


def __getattr__(name):
    return _lookup(getattr(_np, name))


# dtypes and constants are NumPy's
for _n in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool_",
           "complex64", "complex128", "dtype", "nan", "inf", "pi", "e", "newaxis", "generic",
           "floating", "integer", "number", "iinfo", "finfo"):
    globals()[_n] = getattr(_np, _n)

# imported by name: `from . import random` would find NumPy's through __getattr__ above
import importlib as _importlib  # noqa: E402

cuda = _importlib.import_module(__name__ + ".cuda")
random = _importlib.import_module(__name__ + ".random")


def _writable(view):
    # CuPy's diagonal and broadcast_to are writable views (NumPy's are read-only)
    try:
        view.flags.writeable = True
    except ValueError:
        pass
    return view


def diagonal(a, offset=0, axis1=0, axis2=1):
    return _w(_writable(_np.diagonal(_u(a), offset, axis1, axis2)))


def broadcast_to(a, shape):
    return _w(_writable(_np.broadcast_to(_u(a), shape)))
