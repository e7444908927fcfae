"""Mirrors `torch.testing`: `assert_close` for tensors, NumPy arrays, Python numbers and
(nested) sequences and mappings of them, with PyTorch's default tolerances and messages."""

import math
from collections.abc import Mapping, Sequence

import numpy as np

from . import _dtype as D

# (rtol, atol) per dtype, as PyTorch's defaults
_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}


def _tolerances(dt, rtol, atol):
    if (rtol is None) != (atol is None):
        missing = "rtol" if rtol is None else "atol"
        raise ValueError(
            f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}."
        )
    if rtol is not None:
        return rtol, atol
    return _TOLERANCES.get(dt.name, (0.0, 0.0))


def _fail(text, msg, path):
    if msg is not None:
        text = msg(text) if callable(msg) else msg
    elif path:
        where = "".join(f"[{p!r}]" for p in path)
        text += f"\n\nThe failure occurred for item {where}"
    raise AssertionError(text)


def _num(v):
    """A difference as PyTorch prints it: ints for integer inputs, floats otherwise."""
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    return float(v)


def _mismatch(a, e, rtol, atol, equal_nan):
    """(close mask, absolute differences, relative differences): the differences in the
    inputs' floating dtype (as PyTorch computes them), integers' in float64."""
    dt = np.result_type(a.dtype, e.dtype)
    if dt.kind not in "fc":
        dt = np.dtype(np.float64)
    a = a.astype(dt)
    e = e.astype(dt)
    with np.errstate(all="ignore"):
        close = np.isclose(a.astype(np.complex128 if dt.kind == "c" else np.float64),
                           e.astype(np.complex128 if dt.kind == "c" else np.float64),
                           rtol=rtol, atol=atol, equal_nan=equal_nan)
        diff = np.abs(a - e)
        rel = diff / np.abs(e)
    # equal infinities are close (their difference is nan)
    close |= (a == e)
    return close, diff, rel


def _compare_arrays(a, e, rtol, atol, equal_nan, scalar, msg, path, integral):
    close, diff, rel = _mismatch(a, e, rtol, atol, equal_nan)
    if close.all():
        return
    word = "equal" if rtol == 0 and atol == 0 else "close"
    if scalar:
        av = a.reshape(()).item()
        ev = e.reshape(()).item()
        d = _num(diff.reshape(()).item() if not integral else abs(av - ev))
        r = float(rel.reshape(()))
        text = f"Scalars are not {word}!\n\nExpected {ev} but got {av}.\n"
        if word == "equal":
            text += f"Absolute difference: {d}\nRelative difference: {r}"
        else:
            text += (f"Absolute difference: {d} (up to {atol} allowed)\n"
                     f"Relative difference: {r} (up to {rtol} allowed)")
        _fail(text, msg, path)
    if integral:
        # PyTorch divides the int64 differences by |expected| with true division, which for
        # integer tensors gives the default float dtype (float32), not float64
        with np.errstate(all="ignore"):
            rel = (np.abs(a.astype(np.int64) - e.astype(np.int64)).astype(np.float32)
                   / np.abs(e.astype(np.int64)).astype(np.float32))
    bad = int((~close).sum())
    total = close.size
    flat_diff = np.where(np.isnan(diff), np.inf, diff).reshape(-1)
    flat_rel = np.where(np.isnan(rel), np.inf, rel).reshape(-1)
    i_abs = np.unravel_index(int(np.argmax(flat_diff)), close.shape)
    i_rel = np.unravel_index(int(np.argmax(flat_rel)), close.shape)
    d = diff[i_abs]
    d = _num(np.int64(d)) if integral else float(d)
    r = float(rel[i_rel])
    text = (f"Tensor-likes are not {word}!\n\nMismatched elements: {bad} / {total} "
            f"({100 * bad / total:.1f}%)\n")
    idx_a = tuple(int(i) for i in i_abs)
    idx_r = tuple(int(i) for i in i_rel)
    if word == "equal":
        text += (f"Greatest absolute difference: {d} at index {idx_a}\n"
                 f"Greatest relative difference: {r} at index {idx_r}")
    else:
        text += (f"Greatest absolute difference: {d} at index {idx_a} (up to {atol} allowed)\n"
                 f"Greatest relative difference: {r} at index {idx_r} (up to {rtol} allowed)")
    _fail(text, msg, path)


def _as_tensor(x):
    from ._tensor import Tensor
    from ._creation import from_numpy

    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return from_numpy(x)
    return None


def _check_attr(name, a, e, msg, path):
    if a != e:
        _fail(f"The values for attribute '{name}' do not match: {a} != {e}.", msg, path)


def _compare_tensors(a, e, rtol, atol, equal_nan, check_device, check_dtype, msg, path):
    _check_attr("shape", a.shape, e.shape, msg, path)
    if check_device:
        _check_attr("device", a.device, e.device, msg, path)
    if check_dtype:
        _check_attr("dtype", a.dtype, e.dtype, msg, path)
    dt = D.promote_types(a._dtype, e._dtype)
    rtol, atol = _tolerances(dt, rtol, atol)
    an = a.detach().cpu().numpy()
    en = e.detach().cpu().numpy()
    integral = dt._kind <= 1
    _compare_arrays(an, en, rtol, atol, equal_nan, a.dim() == 0, msg, path, integral)


def _compare_scalars(a, e, rtol, atol, equal_nan, msg, path):
    integral = isinstance(a, int) and isinstance(e, int)
    dt = D.int64 if integral else (D.complex128 if isinstance(a, complex) or
                                   isinstance(e, complex) else D.float64)
    rtol, atol = _tolerances(dt, rtol, atol)
    _compare_arrays(np.asarray(a), np.asarray(e), rtol, atol, equal_nan, True, msg, path,
                    integral)


def _compare(a, e, path, **kw):
    ta = _as_tensor(a)
    te = _as_tensor(e)
    if ta is not None and te is not None:
        return _compare_tensors(ta, te, kw["rtol"], kw["atol"], kw["equal_nan"],
                                kw["check_device"], kw["check_dtype"], kw["msg"], path)
    scalar_types = (int, float, complex, bool, np.number, np.bool_)
    if isinstance(a, scalar_types) and isinstance(e, scalar_types):
        if kw["check_dtype"] and type(a) is not type(e) and not (
                isinstance(a, np.number) or isinstance(e, np.number)):
            _fail(f"The values for attribute 'type' do not match: {type(a)} != {type(e)}.",
                  kw["msg"], path)
        return _compare_scalars(a, e, kw["rtol"], kw["atol"], kw["equal_nan"], kw["msg"],
                                path)
    if isinstance(a, Mapping) and isinstance(e, Mapping):
        if set(a.keys()) != set(e.keys()):
            _fail(f"The keys of the mappings do not match:\nMissing keys in the actual "
                  f"mapping: {sorted(set(e) - set(a), key=repr)}\nExtra keys in the actual "
                  f"mapping: {sorted(set(a) - set(e), key=repr)}", kw["msg"], path)
        for k in e:
            _compare(a[k], e[k], path + (k,), **kw)
        return
    if isinstance(a, Sequence) and isinstance(e, Sequence) and not isinstance(a, str) \
            and not isinstance(e, str):
        if len(a) != len(e):
            _fail(f"The length of the sequences mismatch: {len(a)} != {len(e)}", kw["msg"],
                  path)
        for i, (x, y) in enumerate(zip(a, e)):
            _compare(x, y, path + (i,), **kw)
        return
    raise TypeError(f"No comparison pair was able to handle inputs of type {_type_str(a)} and "
                    f"{_type_str(e)}.")


def _type_str(x):
    from ._tensor import Tensor

    if isinstance(x, Tensor):
        return "<class 'torch.Tensor'>"
    return str(type(x))


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    """Mirrors `torch.testing.assert_close`: raises AssertionError unless
    |actual - expected| <= atol + rtol * |expected| everywhere (attributes must match too)."""
    _compare(actual, expected, (), rtol=rtol, atol=atol, equal_nan=equal_nan,
             check_device=check_device, check_dtype=check_dtype, msg=msg)


def assert_allclose(actual, expected, rtol=None, atol=None, equal_nan=True, msg=""):
    """Mirrors the deprecated `torch.testing.assert_allclose` (dtypes may differ)."""
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan,
                 check_device=True, check_dtype=False, msg=msg or None)


def make_tensor(*shape, dtype, device=None, low=None, high=None, requires_grad=False,
                noncontiguous=False, exclude_zero=False, memory_format=None):
    """Mirrors `torch.testing.make_tensor`: uniform values in [low, high) (defaults by dtype)."""
    from . import _random as R
    from ._creation import tensor

    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    dt = D.to_dtype(dtype)
    lo = -9 if low is None else low
    hi = 10 if high is None else high
    if dt is D.bool_:
        out = R.randint(0, 2, shape, device=device).bool()
    elif dt._kind == 1:
        lo = max(lo, 0) if dt is D.uint8 else lo
        out = R.randint(int(math.ceil(lo)), int(math.ceil(hi)), shape, dtype=dt, device=device)
    else:
        out = R.rand(shape, dtype=dt, device=device) * (hi - lo) + lo
    if exclude_zero:
        out = out.masked_fill(out == 0, tensor(1, dtype=dt).item() if dt._kind == 1 else 1e-3)
    if requires_grad:
        out.requires_grad_(True)
    return out
