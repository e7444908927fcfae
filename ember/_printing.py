"""Tensor printing: `repr(t)` and `str(t)` character for character as PyTorch prints them.

The layout rules (PyTorch's, found by comparing outputs):
- one formatter per tensor (two for complex: real and imaginary parts) fixes the width of every
  element, so columns line up; its mode is "integer-valued float" (`1.`), fixed point
  (`1.0000`) or scientific (`1.0000e+05`), chosen from the nonzero finite values;
- a row wraps when it would pass `linewidth`; nested rows are separated by `dim - 1` newlines;
- more than `threshold` elements are summarised: `edgeitems` at each end of every dimension
  and `...` between (the formatter then only sees the elements printed);
- suffixes (`device=`, `dtype=`, `size=`, `grad_fn=` / `requires_grad=True`) follow the data
  and move to a new line when the current one would pass `linewidth`.
"""

import contextlib
import math

import numpy as np

from . import _dtype as D


class _Options:
    """Mirrors torch's print options (module-wide, changed by `set_printoptions`)."""

    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode = None


_OPTS = _Options()

# profile name -> (precision, threshold, edgeitems, linewidth)
_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Mirrors `torch.set_printoptions`. `sci_mode` is always set (None means automatic)."""
    if profile in _PROFILES:
        # as in torch, an unknown profile name changes nothing
        (_OPTS.precision, _OPTS.threshold, _OPTS.edgeitems, _OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        _OPTS.precision = precision
    if threshold is not None:
        _OPTS.threshold = threshold
    if edgeitems is not None:
        _OPTS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTS.linewidth = linewidth
    _OPTS.sci_mode = sci_mode


def get_printoptions():
    """Mirrors `torch._tensor_str.get_printoptions`: the current options as a dict."""
    return {
        "precision": _OPTS.precision,
        "threshold": _OPTS.threshold,
        "edgeitems": _OPTS.edgeitems,
        "linewidth": _OPTS.linewidth,
        "sci_mode": _OPTS.sci_mode,
    }


@contextlib.contextmanager
def printoptions(**kwargs):
    """Mirrors `torch._tensor_str.printoptions`: options set for a `with` block only."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# ---------------------------------------------------------------------------- element formatter
class _Formatter:
    """Formats every element of one (real) array to a common width."""

    __slots__ = ("floating", "int_mode", "sci", "width", "precision")

    def __init__(self, a, floating):
        self.floating = floating
        self.int_mode = True
        self.sci = False
        self.width = 1
        self.precision = _OPTS.precision
        if a.size:
            if floating:
                self._fit_float(a)
            else:
                self._fit_exact(a)

    def _fit_exact(self, a):
        # ints and bools print as Python does; the longest is at one of the extremes
        if a.dtype == np.bool_:
            self.width = 5 if not a.all() else 4
            return
        lo = len(str(int(a.min())))
        hi = len(str(int(a.max())))
        self.width = max(1, lo, hi)

    def _fit_float(self, a):
        # zeros, infs and nans take no part in choosing the mode or the width
        v = a[np.isfinite(a) & (a != 0)]
        if v.size == 0:
            return
        mags = np.abs(v.astype(np.float64))
        lo = mags.min()
        hi = mags.max()
        self.int_mode = bool((v == np.ceil(v)).all())
        if _OPTS.sci_mode is None:
            self.sci = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        else:
            self.sci = bool(_OPTS.sci_mode)
        if self.sci:
            spec = f".{self.precision}e"
            extra = 0
        elif self.int_mode:
            spec = ".0f"
            extra = 1  # room for the trailing "."
        else:
            spec = f".{self.precision}f"
            extra = 0
        for x in _longest_candidates(v, self.sci):
            self.width = max(self.width, len(format(x, spec)) + extra)

    def format(self, x):
        """One element (a Python number) as a string padded to the common width."""
        if self.floating:
            if self.sci:
                s = format(x, f".{self.precision}e")
            elif self.int_mode:
                s = format(x, ".0f")
                if not (math.isinf(x) or math.isnan(x)):
                    s += "."
            else:
                s = format(x, f".{self.precision}f")
        else:
            s = f"{x}"
        pad = self.width - len(s)
        if pad > 0:
            return " " * pad + s
        return s


def _longest_candidates(v, sci):
    """The few values among `v` (nonzero, finite) whose formatted text can be the longest.

    Fixed-point text grows with the magnitude within each sign, so the maximum and minimum
    suffice; scientific text also grows with the exponent's digit count, which peaks at the
    smallest or the largest magnitude of each sign.
    """
    if not sci:
        return (float(v.max()), float(v.min()))
    out = []
    pos = v[v > 0]
    neg = v[v < 0]
    for part in (pos, neg):
        if part.size:
            out.append(float(part.min()))
            out.append(float(part.max()))
    return out


def _complex_text(re_s, im_s):
    # the imaginary part keeps its own sign; a positive one is joined with "+"
    im_s = (im_s + "j").lstrip()
    if im_s[0] == "+" or im_s[0] == "-":
        return re_s + im_s
    return re_s + "+" + im_s


# ---------------------------------------------------------------------------- layout
def _summarized(a):
    """The elements a summarised print shows, for fitting the formatter."""
    e = _OPTS.edgeitems
    if a.ndim == 0:
        return a
    if not e:
        # PyTorch: nothing but "..." is printed past one dimension; a vector keeps all
        return a if a.ndim == 1 else a[(slice(0, 0),) * a.ndim]
    for axis in range(a.ndim):
        n = a.shape[axis]
        if n > 2 * e:
            keep = np.concatenate((np.arange(e), np.arange(n - e, n)))
            a = np.take(a, keep, axis=axis)
    return a


def _vector(a, indent, summarize, f1, f2):
    item_len = f1.width + 2
    if f2 is not None:
        item_len += f2.width + 1
    per_line = max(1, math.floor((_OPTS.linewidth - indent) / item_len))
    e = _OPTS.edgeitems
    n = a.shape[0]
    if summarize and not e:
        items = ["..."]
    elif summarize and n > 2 * e:
        items = _items(a[:e], f1, f2) + [" ..."] + _items(a[n - e:], f1, f2)
    else:
        items = _items(a, f1, f2)
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _items(a, f1, f2):
    values = a.tolist()
    if f2 is None:
        fmt = f1.format
        return [fmt(x) for x in values]
    return [_complex_text(f1.format(x.real), f2.format(x.imag)) for x in values]


def _scalar(a, f1, f2):
    x = a.item()
    if f2 is None:
        return f1.format(x)
    return _complex_text(f1.format(x.real), f2.format(x.imag))


def _body(a, indent, summarize, f1, f2):
    nd = a.ndim
    if nd == 0:
        return _scalar(a, f1, f2)
    if nd == 1:
        return _vector(a, indent, summarize, f1, f2)
    n = a.shape[0]
    e = _OPTS.edgeitems
    if summarize and n > 2 * e:
        rows = [_body(a[i], indent + 1, summarize, f1, f2) for i in range(e)]
        rows.append("...")
        rows += [_body(a[i], indent + 1, summarize, f1, f2) for i in range(n - e, n)]
    else:
        rows = [_body(a[i], indent + 1, summarize, f1, f2) for i in range(n)]
    return "[" + ("," + "\n" * (nd - 1) + " " * (indent + 1)).join(rows) + "]"


def _data_text(a, dt, indent):
    """The bracketed data of a non-empty host array `a` of ember dtype `dt`."""
    summarize = a.size > _OPTS.threshold
    if dt is D.float16:
        # PyTorch prints half through float32; the values are the same
        a = a.astype(np.float32)
    seen = _summarized(a) if summarize else a
    if dt.is_complex:
        f1 = _Formatter(seen.real, True)
        f2 = _Formatter(seen.imag, True)
    else:
        f1 = _Formatter(seen, dt.is_floating_point)
        f2 = None
    return _body(a, indent, summarize, f1, f2)


def _with_suffixes(text, suffixes, indent):
    # a suffix moves to its own line when it would pass the line width
    parts = [text]
    line_len = len(text) - text.rfind("\n") + 1
    width = _OPTS.linewidth
    for s in suffixes:
        if line_len + len(s) + 2 > width:
            parts.append(",\n" + " " * indent + s)
            line_len = indent + len(s)
        else:
            parts.append(", " + s)
            line_len += len(s) + 2
    parts.append(")")
    return "".join(parts)


def _host(t):
    a = t._data
    if a.__class__ is np.ndarray:
        return a
    return a.get()


def _parameter_class():
    try:
        from .nn import Parameter
    except ImportError:
        return None
    return Parameter


def tensor_repr(t, tensor_contents=None):
    """Mirrors `torch.Tensor.__repr__`."""
    from ._tensor import Tensor

    cls = type(t)
    param = _parameter_class()
    plain = cls is Tensor or (param is not None and cls is param)
    prefix = "tensor(" if plain else cls.__name__ + "("
    indent = len(prefix)
    suffixes = []
    dev = t._device
    if dev.type != "cpu":
        suffixes.append(f"device='{dev}'")
    dt = t._dtype
    default = D.get_default_dtype()
    a = _host(t)
    if dev.type == "meta":
        # a meta tensor has no data: PyTorch prints its size (and a non-default dtype) only
        suffixes.append("size=" + str(tuple(a.shape)))
        if dt is not default:
            suffixes.append("dtype=" + repr(dt))
        text = "..."
    elif a.size == 0:
        if a.ndim != 1:
            suffixes.append("size=" + str(tuple(a.shape)))
        if dt is not default:
            suffixes.append("dtype=" + repr(dt))
        text = "[]"
    else:
        if not _OPTS.edgeitems:
            suffixes.append("size=" + str(tuple(a.shape)))
        if dt not in (default, D.default_complex(), D.int64, D.bool_):
            suffixes.append("dtype=" + repr(dt))
        text = None if tensor_contents is not None else _data_text(a, dt, indent)
    if tensor_contents is not None:
        text = tensor_contents
    node = t.grad_fn
    if node is not None:
        suffixes.append(f"grad_fn=<{_node_name(node)}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    out = _with_suffixes(prefix + text, suffixes, indent)
    if param is not None and isinstance(t, param) and not plain:
        out = f"Parameter({out})"
    return out


def _node_name(node):
    name = getattr(node, "name", None)
    if callable(name):
        return name().rsplit("::", 1)[-1]
    return type(node).__name__
