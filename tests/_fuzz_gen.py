"""Case generators for the differential fuzzer (tests/test_fuzz_parity.py).

A case is Python source: some setup lines and a last line that is an expression. The same
source runs with `torch` bound to real torch and to ember, so a failure message is the program
itself, runnable as it is. Every generator takes a `random.Random` and returns
`(op, source)`; `op` names what the case exercises (for the skip list and for grouping
mismatches in the long run).
"""

import math

INTS = ["uint8", "int8", "int16", "int32", "int64"]
FLOATS = ["float16", "bfloat16", "float32", "float64"]
COMPLEX = ["complex64", "complex128"]
DTYPES = ["bool"] + INTS + FLOATS + COMPLEX
# the dtypes ordinary programs use, drawn more often than the rest
COMMON = ["bool", "int64", "float32", "float64", "int32", "uint8"]

_INT_RANGE = {
    "uint8": (0, 255),
    "int8": (-128, 127),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}
# exactly representable in float16 and bfloat16, so a value never depends on rounding
_FLOAT_POOL = [0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 0.25, 1.5, -1.5, 3.0, -3.0, 4.5, -0.75, 6.0]
_FLOAT_SPECIAL = [math.nan, math.inf, -math.inf, -0.0, 1e30, -1e30, 1e-30]


def pick_dtype(rng, pool=None):
    if pool is not None:
        return rng.choice(pool)
    return rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(DTYPES)


def _fmt_float(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(float(x))


def scalar_value(rng, dtype, special=0.1, distinct=None):
    """One element value for `dtype`, as source text."""
    if dtype == "bool":
        return rng.choice(["True", "False"])
    if dtype in _INT_RANGE:
        lo, hi = _INT_RANGE[dtype]
        r = rng.random()
        if r < special:
            return str(rng.choice([lo, hi, lo + 1, hi - 1, 0]))
        if dtype == "uint8":
            return str(rng.choice([0, 1, 2, 3, 5, 7, 200, 255]))
        return str(rng.randint(-6, 7))
    if dtype in COMPLEX:
        re_ = scalar_value(rng, "float32", special / 2)
        im = scalar_value(rng, "float32", special / 2)
        return f"complex({re_}, {im})"
    if rng.random() < special:
        v = rng.choice(_FLOAT_SPECIAL)
        if dtype in ("float16",) and abs(v) in (1e30, 1e-30):
            v = math.copysign(60000.0, v) if abs(v) > 1 else 1e-4
        return _fmt_float(v)
    return _fmt_float(rng.choice(_FLOAT_POOL))


def nested(values, shape):
    """Nested list source for a flat list of value sources in a shape."""
    if not shape:
        return values[0]
    if len(shape) == 1:
        return "[" + ", ".join(values) + "]"
    step = len(values) // shape[0] if shape[0] else 0
    return "[" + ", ".join(nested(values[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


def tensor_src(rng, shape, dtype, layout=None, special=0.1, distinct=False, values=None):
    """Source of a tensor of `shape` and `dtype`, maybe non-contiguous (transposed, strided)."""
    shape = tuple(shape)
    numel = math.prod(shape)
    if layout is None:
        r = rng.random()
        layout = "contig"
        if numel > 1 and len(shape) >= 2 and r < 0.15:
            layout = "t"
        elif numel > 1 and len(shape) >= 1 and r < 0.25:
            layout = "step"
    if numel == 0:
        return f"torch.zeros({shape!r}, dtype=torch.{dtype})"
    if layout == "t":
        store = shape[:-2] + (shape[-1], shape[-2])
        suffix = ".transpose(-1, -2)"
    elif layout == "step":
        store = (shape[0] * 2,) + shape[1:]
        suffix = "[::2]"
    else:
        store = shape
        suffix = ""
    n = math.prod(store)
    if values is None:
        if distinct:
            vals = _distinct_values(rng, dtype, n)
        else:
            vals = [scalar_value(rng, dtype, special) for _ in range(n)]
    else:
        vals = values
    return f"torch.tensor({nested(vals, store)}, dtype=torch.{dtype}){suffix}"


def _distinct_values(rng, dtype, n):
    if dtype == "bool":
        return [rng.choice(["True", "False"]) for _ in range(n)]
    if dtype == "uint8":
        pool = list(range(0, 256, 3))
    elif dtype == "int8":
        pool = list(range(-100, 100, 3))
    elif dtype in INTS:
        pool = list(range(-500, 500, 7))
    else:
        pool = [x / 4 for x in range(-200, 200)]
    vals = rng.sample(pool, n) if n <= len(pool) else [rng.choice(pool) for _ in range(n)]
    if dtype in FLOATS or dtype in COMPLEX:
        return [_fmt_float(v) for v in vals]
    return [str(v) for v in vals]


def rand_shape(rng, max_ndim=3, max_size=3, allow_empty=True):
    ndim = rng.choice(range(max_ndim + 1))
    shape = []
    for _ in range(ndim):
        if allow_empty and rng.random() < 0.05:
            shape.append(0)
        else:
            shape.append(rng.randint(1, max_size))
    return tuple(shape)


def broadcast_partner(rng, shape):
    """A shape that broadcasts with `shape` (sometimes one that does not)."""
    r = rng.random()
    if r < 0.35:
        return shape
    if r < 0.55:
        return tuple(1 if rng.random() < 0.5 else s for s in shape)
    if r < 0.75:
        k = rng.randint(0, len(shape))
        return shape[len(shape) - k:]
    if r < 0.85:
        return (rng.randint(1, 2),) + tuple(shape)
    if r < 0.95:
        return ()
    # incompatible unless a dim is 1
    return tuple(s + 1 for s in shape) or (2,)


def py_scalar(rng, kind=None):
    kind = kind or rng.choice(["bool", "int", "int", "float", "float", "complex"])
    if kind == "bool":
        return rng.choice(["True", "False"])
    if kind == "int":
        return rng.choice(["0", "1", "2", "3", "-1", "-2", "5", "-7", "300", "2**40"])
    if kind == "float":
        return rng.choice(["0.5", "-1.5", "2.0", "0.0", "-0.0", "1.0", "3.25", "inf", "-inf",
                           "nan", "1e-3"])
    return rng.choice(["(1+2j)", "(-0.5+0j)", "2j", "(1.5-1j)"])


def operand(rng, shape, dtype=None, allow_scalar=True):
    """A binary-op operand: a tensor, a 0-d tensor or a Python scalar."""
    r = rng.random()
    if allow_scalar and r < 0.2:
        return py_scalar(rng)
    dtype = dtype or pick_dtype(rng)
    if r < 0.3:
        return tensor_src(rng, (), dtype)
    return tensor_src(rng, shape, dtype)


# ------------------------------------------------------------------------------ binary ops
BINOPS = ["+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>",
          "==", "!=", "<", "<=", ">", ">="]
BINFUNCS = ["add", "sub", "mul", "div", "true_divide", "floor_divide", "remainder", "fmod",
            "pow", "atan2", "maximum", "minimum", "fmax", "fmin", "eq", "ne", "lt", "le", "gt",
            "ge", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
            "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "hypot", "copysign",
            "xlogy", "float_power", "rsub", "subtract", "multiply", "divide", "isclose",
            "heaviside", "logaddexp", "gcd", "lcm", "nextafter", "ldexp"]
INPLACE = {"+": "add_", "-": "sub_", "*": "mul_", "/": "div_", "//": "floor_divide_",
           "%": "remainder_", "**": "pow_", "&": "bitwise_and_", "|": "bitwise_or_",
           "^": "bitwise_xor_", "<<": "bitwise_left_shift_", ">>": "bitwise_right_shift_"}


def gen_binary(rng):
    shape = rand_shape(rng)
    a = operand(rng, shape, allow_scalar=False)
    b = operand(rng, broadcast_partner(rng, shape))
    form = rng.random()
    if form < 0.45:
        op = rng.choice(BINOPS)
        if rng.random() < 0.5 or not b.startswith("torch"):
            return f"op{op}", f"a = {a}\nb = {b}\n" + (f"b {op} a" if rng.random() < 0.3
                                                       else f"a {op} b")
        return f"op{op}", f"a = {a}\nb = {b}\na {op} b"
    if form < 0.6:
        op = rng.choice(list(INPLACE))
        if rng.random() < 0.5:
            return f"op{op}=", f"a = {a}\nb = {b}\na {op}= b\na"
        return INPLACE[op], f"a = {a}\nb = {b}\nr = a.{INPLACE[op]}(b)\n(r is a, a)"
    f = rng.choice(BINFUNCS)
    kw = ""
    if f in ("add", "sub") and rng.random() < 0.3:
        kw = ", alpha=" + rng.choice(["2", "0.5", "True", "-1"])
    if f == "div" and rng.random() < 0.5:
        kw = ", rounding_mode=" + rng.choice(["'floor'", "'trunc'", "None"])
    if form < 0.75:
        o = rng.choice(DTYPES)
        return f"{f}(out=)", (f"a = {a}\nb = {b}\no = torch.empty(0, dtype=torch.{o})\n"
                              f"r = torch.{f}(a, b{kw}, out=o)\n(r is o, o)")
    if form < 0.85 and f not in ("isclose", "float_power", "rsub"):
        return f"Tensor.{f}", f"a = {a}\nb = {b}\na.{f}(b{kw})"
    return f, f"a = {a}\nb = {b}\ntorch.{f}(a, b{kw})"


# ------------------------------------------------------------------------------ unary ops
UNARY = ["neg", "abs", "sqrt", "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "floor",
         "ceil", "round", "trunc", "frac", "sign", "sgn", "reciprocal", "rsqrt", "log1p",
         "expm1", "square", "bitwise_not", "logical_not", "isnan", "isinf", "isfinite",
         "isposinf", "isneginf", "isreal", "signbit", "exp2", "log2", "log10", "erf", "erfc",
         "erfinv", "angle", "nan_to_num", "positive", "relu", "deg2rad", "rad2deg", "asin",
         "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "conj", "real", "imag",
         "fix", "lgamma", "digamma", "i0", "sinc", "logit", "negative", "absolute", "clone",
         "count_nonzero", "numel", "is_nonzero", "is_floating_point", "is_complex", "nonzero",
         "argwhere", "flatten", "ravel", "t", "isfinite", "sort", "argsort", "msort",
         "trace", "diag", "tril", "triu", "cumsum", "exp_", "abs_", "neg_", "sqrt_", "floor_",
         "zero_", "sign_", "clamp_", "round_"]


def gen_unary(rng):
    shape = rand_shape(rng)
    dtype = pick_dtype(rng)
    a = tensor_src(rng, shape, dtype, special=0.25)
    f = rng.choice(UNARY)
    r = rng.random()
    if f == "round" and r < 0.3:
        return "round(decimals)", f"a = {a}\ntorch.round(a, decimals={rng.choice([0, 1, 2, -1])})"
    if f == "nan_to_num" and r < 0.5:
        return f, f"a = {a}\ntorch.nan_to_num(a, nan=1.5, posinf=100.0)"
    if f in ("cumsum",):
        return f, f"a = {a}\ntorch.cumsum(a, {rng.randint(-1, 0) if shape else 0})"
    if f == "clamp_":
        return f, f"a = {a}\na.clamp_(min=0)\na"
    if f.endswith("_"):
        return f, f"a = {a}\nr = a.{f}()\n(r is a, a)"
    if f in ("numel", "is_nonzero", "is_floating_point", "is_complex", "t", "trace", "diag",
             "tril", "triu", "msort", "sort", "argsort"):
        return f, f"a = {a}\na.{f}()"
    special = {"-": "-a", "~": "~a", "abs()": "abs(a)", "+": "+a"}
    if r < 0.1:
        k = rng.choice(list(special))
        return f"unary{k}", f"a = {a}\n{special[k]}"
    if r < 0.3:
        return f"Tensor.{f}", f"a = {a}\na.{f}()"
    if r < 0.4 and f not in ("count_nonzero", "nonzero", "argwhere", "flatten", "ravel",
                             "clone", "conj", "real", "imag", "isreal", "is_nonzero",
                             "isfinite", "isnan", "isinf", "isposinf", "isneginf", "signbit"):
        o = rng.choice(DTYPES)
        return f"{f}(out=)", (f"a = {a}\no = torch.empty(0, dtype=torch.{o})\n"
                              f"r = torch.{f}(a, out=o)\n(r is o, o)")
    return f, f"a = {a}\ntorch.{f}(a)"


# ------------------------------------------------------------------------------ reductions
REDUCE = ["sum", "prod", "mean", "amax", "amin", "max", "min", "argmax", "argmin", "std", "var",
          "logsumexp", "all", "any", "norm", "count_nonzero", "nansum", "nanmean", "median",
          "nanmedian", "mode", "std_mean", "var_mean", "aminmax", "cumsum", "cumprod",
          "cummax", "cummin", "logcumsumexp", "softmax", "log_softmax", "kthvalue", "quantile"]


def _dim_arg(rng, ndim, allow_tuple=True, allow_none=True):
    r = rng.random()
    if allow_none and r < 0.15:
        return "None"
    if ndim == 0:
        return rng.choice(["0", "-1"])
    if allow_tuple and r < 0.35:
        k = rng.randint(1, ndim)
        dims = rng.sample(range(ndim), k)
        dims = [d - ndim if rng.random() < 0.3 else d for d in dims]
        return "(" + ", ".join(map(str, dims)) + ("," if k == 1 else "") + ")"
    d = rng.randrange(ndim)
    if rng.random() < 0.4:
        d -= ndim
    if rng.random() < 0.03:
        d = ndim + 1  # out of range
    return str(d)


def gen_reduce(rng):
    shape = rand_shape(rng)
    f = rng.choice(REDUCE)
    if f in ("std", "var", "mean", "logsumexp", "nanmean", "std_mean", "var_mean", "softmax",
             "log_softmax", "quantile", "norm", "logcumsumexp") and rng.random() < 0.8:
        dtype = pick_dtype(rng, FLOATS + COMPLEX[:1] + ["float32", "float64"])
    else:
        dtype = pick_dtype(rng)
    a = tensor_src(rng, shape, dtype, special=0.15)
    nd = len(shape)
    tupled = f in ("sum", "mean", "amax", "amin", "std", "var", "logsumexp", "nansum",
                   "nanmean", "count_nonzero", "std_mean", "var_mean", "norm", "all", "any")
    single = f in ("max", "min", "argmax", "argmin", "median", "nanmedian", "mode", "cumsum",
                   "cumprod", "cummax", "cummin", "logcumsumexp", "softmax", "log_softmax",
                   "kthvalue", "quantile", "prod", "aminmax")
    args = []
    if f == "kthvalue":
        args.append(str(rng.randint(1, 2)))
    if f == "quantile":
        args.append(rng.choice(["0.5", "0.25", "torch.tensor([0.1, 0.9])"]))
    no_dim = f not in ("cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "softmax",
                       "log_softmax") and rng.random() < 0.25
    if not no_dim:
        if tupled:
            args.append("dim=" + _dim_arg(rng, nd))
        elif single:
            args.append("dim=" + _dim_arg(rng, nd, allow_tuple=False,
                                          allow_none=f in ("argmax", "argmin", "quantile")))
        if rng.random() < 0.4 and f not in ("cumsum", "cumprod", "cummax", "cummin",
                                            "logcumsumexp", "softmax", "log_softmax",
                                            "count_nonzero"):
            args.append("keepdim=" + rng.choice(["True", "False"]))
    if f in ("sum", "prod", "mean", "cumsum", "cumprod", "softmax", "nansum") and \
            rng.random() < 0.3:
        args.append("dtype=torch." + rng.choice(DTYPES))
    if f in ("std", "var", "std_mean", "var_mean") and rng.random() < 0.4:
        args.append(rng.choice(["unbiased=False", "correction=0", "correction=2"]))
    call = ", ".join(args)
    if rng.random() < 0.4 and f not in ("std_mean", "var_mean", "quantile"):
        return f"Tensor.{f}", f"a = {a}\na.{f}({call})"
    return f, f"a = {a}\ntorch.{f}(a{', ' if call else ''}{call})"


# ------------------------------------------------------------------------------ shape ops
def gen_shape(rng):
    shape = rand_shape(rng, max_ndim=4)
    nd = len(shape)
    dtype = pick_dtype(rng)
    a = tensor_src(rng, shape, dtype)
    n = math.prod(shape)
    d = rng.randrange(-nd, nd) if nd else rng.choice([0, -1])
    choices = {
        "reshape": lambda: f"a.reshape({rng.choice(['-1', f'{n}', f'1, {n}', '-1, 1', '(-1,)', '2, -1'])})",
        "view": lambda: f"a.view({rng.choice(['-1', f'{n}', '1, -1', '(-1,)', 'torch.float32'])})",
        "transpose": lambda: f"a.transpose({d}, {rng.randrange(-nd, nd) if nd else 0})",
        "permute": lambda: f"a.permute({', '.join(map(str, rng.sample(range(nd), nd)))})" if nd else "a.permute()",
        "squeeze": lambda: rng.choice(["a.squeeze()", f"a.squeeze({d})", f"torch.squeeze(a, {d})",
                                       "a.squeeze((0, -1))" if nd else "a.squeeze(0)"]),
        "unsqueeze": lambda: f"a.unsqueeze({rng.randint(-nd - 1, nd)})",
        "flatten": lambda: f"torch.flatten(a, {rng.randint(-nd, nd - 1) if nd else 0})",
        "expand": lambda: f"a.expand({', '.join(['2'] + ['-1'] * nd)})",
        "repeat": lambda: f"a.repeat({', '.join(str(rng.randint(0, 2)) for _ in range(max(nd, 1) + rng.randint(0, 1)))})",
        "tile": lambda: f"torch.tile(a, ({rng.randint(1, 2)}, {rng.randint(0, 2)}))",
        "flip": lambda: f"torch.flip(a, ({d},))" if nd else "torch.flip(a, ())",
        "roll": lambda: rng.choice([f"torch.roll(a, {rng.randint(-3, 3)})",
                                    f"torch.roll(a, {rng.randint(-3, 3)}, {d})"]),
        "cat": lambda: f"torch.cat([a, a{'.float()' if rng.random() < 0.3 else ''}], {d})",
        "stack": lambda: f"torch.stack([a, a], {rng.randint(-nd - 1, nd)})",
        "split": lambda: f"torch.split(a, {rng.choice(['1', '2', '[1, 1]'])}, {d})",
        "chunk": lambda: f"torch.chunk(a, {rng.randint(1, 3)}, {d})",
        "narrow": lambda: f"a.narrow({d}, 0, 1)",
        "movedim": lambda: f"torch.movedim(a, {d}, 0)",
        "T": lambda: rng.choice(["a.mT", "a.T" if nd in (0, 2) else "a.mT", "a.t()"]),
        "unbind": lambda: f"torch.unbind(a, {d})",
        "broadcast_to": lambda: "torch.broadcast_to(a, (2,) + a.shape)",
        "diagonal": lambda: f"torch.diagonal(a, {rng.randint(-1, 1)})",
        "tril": lambda: f"torch.tril(a, {rng.randint(-1, 1)})",
        "triu": lambda: f"torch.triu(a, {rng.randint(-1, 1)})",
        "hstack": lambda: "torch.hstack([a, a])",
        "vstack": lambda: "torch.vstack([a, a])",
        "dstack": lambda: "torch.dstack([a, a])",
        "repeat_interleave": lambda: rng.choice(["torch.repeat_interleave(a, 2)",
                                                 f"a.repeat_interleave(2, dim={d})"]),
        "unflatten": lambda: f"a.unflatten({d}, (1, -1))",
        "swapaxes": lambda: f"torch.swapaxes(a, 0, {d})",
        "contiguous": lambda: "a.contiguous().is_contiguous()",
        "flatten_method": lambda: "a.flatten()",
        "atleast_2d": lambda: "torch.atleast_2d(a)",
        "size": lambda: rng.choice(["a.size()", f"a.size({d})", "a.shape", "a.dim()",
                                    "a.numel()", "len(a)", "a.stride()"]),
        "tolist": lambda: "a.tolist()",
        "item": lambda: "a.item()",
        "bool": lambda: "bool(a)",
        "float": lambda: "float(a)",
        "int": lambda: "int(a)",
        "to": lambda: f"a.to(torch.{rng.choice(DTYPES)})",
        "type": lambda: rng.choice(["a.float()", "a.double()", "a.long()", "a.int()", "a.half()",
                                    "a.bool()", "a.byte()", "a.char()", "a.short()",
                                    "a.type(torch.float64)", "a.type()"]),
    }
    name = rng.choice(list(choices))
    return name, f"a = {a}\n{choices[name]()}"


# ------------------------------------------------------------------------------ indexing
def _index_item(rng, size, ndim_left):
    r = rng.random()
    if r < 0.3 and size > 0:
        return str(rng.randrange(-size, size)), 1
    if r < 0.33:
        return str(size + rng.randint(0, 2)), 1  # out of range
    if r < 0.55:
        start = rng.choice(["", "0", "1", "-1", "-2"])
        stop = rng.choice(["", "2", "-1", "10"])
        step = rng.choice(["", "", ":2", ":3"])
        return f"{start}:{stop}{step}", 1
    if r < 0.62:
        return "None", 0
    if r < 0.68:
        return "...", 1
    if r < 0.8:
        k = rng.randint(0, 3)
        vals = [str(rng.randrange(-size, size)) if size else "0" for _ in range(k)]
        if rng.random() < 0.5:
            return "[" + ", ".join(vals) + "]", 1
        return f"torch.tensor([{', '.join(vals)}], dtype=torch.int64)", 1
    if r < 0.9 and size >= 0:
        vals = [rng.choice(["True", "False"]) for _ in range(size)]
        return f"torch.tensor([{', '.join(vals)}])", 1
    return rng.choice(["True", "False"]) if r < 0.93 else "slice(None)", 0


def _index_src(rng, shape):
    items = []
    dim = 0
    has_ellipsis = False
    n = rng.randint(1, max(1, len(shape)) + 1)
    for _ in range(n):
        size = shape[dim] if dim < len(shape) else 1
        s, used = _index_item(rng, size, len(shape) - dim)
        if s == "...":
            if has_ellipsis:
                continue
            has_ellipsis = True
        items.append(s)
        dim += used
    if rng.random() < 0.1 and len(shape) >= 1:
        # a whole-tensor bool mask or an int tensor index with a shape
        if rng.random() < 0.5:
            return "a > 0" if True else ""
        return "torch.tensor([[0, 1], [1, 0]])" if shape[0] >= 2 else "torch.tensor([[0]])"
    if len(items) == 1 and rng.random() < 0.5:
        return items[0]
    return ", ".join(items) + ("," if len(items) == 1 else "")


def gen_index(rng):
    shape = rand_shape(rng, max_ndim=3, max_size=4)
    dtype = pick_dtype(rng, COMMON + ["float16", "complex64"])
    a = tensor_src(rng, shape, dtype)
    idx = _index_src(rng, shape)
    if rng.random() < 0.5:
        return "getitem", f"a = {a}\na[{idx}]"
    r = rng.random()
    if r < 0.5:
        v = py_scalar(rng, rng.choice(["int", "float", "bool"]))
    elif r < 0.8:
        v = f"torch.tensor({scalar_value(rng, pick_dtype(rng))})"
    else:
        v = f"torch.zeros(a[{idx}].shape, dtype=torch.{pick_dtype(rng)}) + 1"
    return "setitem", f"a = {a}\na[{idx}] = {v}\na"


# ------------------------------------------------------------------------------ gather & co
REDUCES = ['"sum"', '"prod"', '"mean"', '"amax"', '"amin"']
INDEXINGS = ['"ij"', '"xy"']

def gen_gather(rng):
    shape = rand_shape(rng, max_ndim=3, max_size=3, allow_empty=False) or (3,)
    nd = len(shape)
    dtype = pick_dtype(rng)
    a = tensor_src(rng, shape, dtype)
    d = rng.randrange(-nd, nd)
    size = shape[d]
    ishape = tuple(rng.randint(1, s) for s in shape)
    idx_vals = [str(rng.randrange(0, size)) for _ in range(math.prod(ishape))]
    if rng.random() < 0.05:
        idx_vals[0] = str(size)  # out of range
    idx = f"torch.tensor({nested(idx_vals, ishape)})"
    src = tensor_src(rng, ishape, dtype, layout="contig")
    vec = [str(rng.randrange(-size, size)) for _ in range(rng.randint(0, 3))]
    vidx = f"torch.tensor([{', '.join(vec)}], dtype=torch.int64)"
    vsrc_shape = list(shape)
    vsrc_shape[d] = len(vec)
    vsrc = tensor_src(rng, vsrc_shape, dtype, layout="contig")
    mask = tensor_src(rng, shape if rng.random() < 0.7 else shape[-1:], "bool")
    other_dt = pick_dtype(rng)
    choices = {
        "gather": f"torch.gather(a, {d}, {idx})",
        "scatter": f"a.scatter({d}, {idx}, {src})",
        "scatter_value": f"torch.scatter(a, {d}, {idx}, {py_scalar(rng, 'int')})",
        "scatter_add": f"a.scatter_add({d}, {idx}, {src})",
        "scatter_reduce": (f"a.scatter_reduce({d}, {idx}, {src}, "
                           f"{rng.choice(REDUCES)}, "
                           f"include_self={rng.choice(['True', 'False'])})"),
        "scatter_(reduce)": f"a.clone().scatter_({d}, {idx}, {src}, reduce='add')",
        "index_select": f"torch.index_select(a, {d}, {vidx})",
        "index_add": f"a.index_add({d}, {vidx}, {vsrc}, alpha={rng.choice(['1', '2'])})",
        "index_copy": f"a.index_copy({d}, {vidx}, {vsrc})",
        "index_fill": f"a.index_fill({d}, {vidx}, {py_scalar(rng, 'int')})",
        "masked_fill": f"a.masked_fill({mask}, {py_scalar(rng)})",
        "masked_fill_t": f"a.masked_fill({mask}, torch.tensor({scalar_value(rng, other_dt)}))",
        "masked_select": f"torch.masked_select(a, {mask})",
        "masked_scatter": f"a.masked_scatter({mask}, {tensor_src(rng, (math.prod(shape),), dtype, 'contig')})",
        "take": f"torch.take(a, {vidx})",
        "take_along_dim": f"torch.take_along_dim(a, {idx}, {d})",
        "where": f"torch.where({mask}, a, {operand(rng, shape)})",
        "where1": f"torch.where({mask})",
        "nonzero_tuple": "torch.nonzero(a, as_tuple=True)",
        "index_put": f"a.index_put(({vidx},), torch.tensor({scalar_value(rng, dtype)}, dtype=torch.{dtype}), accumulate={rng.choice(['True', 'False'])})",
        "put": f"a.put({vidx}, torch.tensor([{', '.join(scalar_value(rng, dtype) for _ in vec)}], dtype=torch.{dtype}))",
    }
    name = rng.choice(list(choices))
    return name, f"a = {a}\n{choices[name]}"


# ------------------------------------------------------------------------------ clamp, sort, ...
def gen_misc(rng):
    shape = rand_shape(rng, max_ndim=3)
    nd = len(shape)
    dtype = pick_dtype(rng, ["bool"] + INTS + FLOATS)
    name = rng.choice(["clamp", "clamp_t", "clamp_min", "clip", "sort", "topk", "unique",
                       "argsort", "lerp", "addcmul", "addcdiv", "where_scalar", "isin",
                       "bucketize", "searchsorted", "histc", "bincount", "unique_consecutive",
                       "diff", "cross", "outer", "dot", "matmul", "allclose", "equal",
                       "cummax", "flip_sort", "kthvalue"])
    d = rng.randrange(-nd, nd) if nd else 0
    distinct = rng.random() < 0.7
    a = tensor_src(rng, shape, dtype, distinct=distinct, special=0.05)
    if name == "clamp":
        lo = rng.choice(["None", py_scalar(rng, "int"), py_scalar(rng, "float")])
        hi = rng.choice(["None", py_scalar(rng, "int"), py_scalar(rng, "float")])
        if lo == "None" and hi == "None":
            hi = "2"
        return name, f"a = {a}\ntorch.clamp(a, {lo}, {hi})"
    if name == "clamp_t":
        b = tensor_src(rng, broadcast_partner(rng, shape), pick_dtype(rng))
        c = tensor_src(rng, broadcast_partner(rng, shape), pick_dtype(rng))
        kw = rng.choice([f"min={b}", f"max={c}", f"min={b}, max={c}"])
        return name, f"a = {a}\ntorch.clamp(a, {kw})"
    if name == "clamp_min":
        return name, f"a = {a}\n" + rng.choice([f"a.clamp_min({py_scalar(rng, 'float')})",
                                                 f"a.clamp_max({py_scalar(rng, 'int')})",
                                                 "a.clamp(min=torch.tensor(1.5))"])
    if name == "clip":
        return name, f"a = {a}\na.clip(-1, 1)"
    if name in ("sort", "argsort"):
        kw = rng.choice(["", f"dim={d}", "descending=True", f"{d}, True", "stable=True"])
        if not distinct:
            # ties: indices may legitimately differ, compare the values only
            return name, f"a = {a}\ntorch.sort(a{', ' + kw if kw else ''})[0]"
        return name, f"a = {a}\ntorch.{name}(a{', ' + kw if kw else ''})"
    if name == "flip_sort":
        return name, f"a = {a}\na.sort(stable=True, descending=True)"
    if name == "topk":
        size = shape[d] if nd else 1
        k = rng.randint(0, size + (1 if rng.random() < 0.1 else 0))
        kw = rng.choice(["", f", dim={d}", ", largest=False", f", {d}, False, True"])
        sel = "" if distinct else "[0]"
        return name, f"a = {a}\ntorch.topk(a, {k}{kw}){sel}"
    if name == "kthvalue":
        size = shape[d] if nd else 1
        k = rng.randint(1, max(size, 1))
        sel = "" if distinct else "[0]"
        return name, f"a = {a}\ntorch.kthvalue(a, {k}, {d}){sel}"
    if name == "unique":
        b = tensor_src(rng, shape, dtype, special=0.05)
        kw = rng.choice(["", "return_inverse=True", "return_counts=True",
                         "return_inverse=True, return_counts=True", "sorted=True",
                         f"dim={d}"])
        return name, f"a = {b}\ntorch.unique(a{', ' + kw if kw else ''})"
    if name == "unique_consecutive":
        b = tensor_src(rng, shape, dtype, special=0.05)
        return name, f"a = {b}\ntorch.unique_consecutive(a, return_counts=True, return_inverse=True)"
    if name in ("lerp", "addcmul", "addcdiv"):
        fd = pick_dtype(rng, FLOATS)
        x = tensor_src(rng, shape, fd)
        y = tensor_src(rng, broadcast_partner(rng, shape), fd)
        z = tensor_src(rng, broadcast_partner(rng, shape), fd)
        if name == "lerp":
            w = rng.choice(["0.5", z, "2"])
            return name, f"torch.lerp({x}, {y}, {w})"
        return name, f"torch.{name}({x}, {y}, {z}, value={rng.choice(['1', '0.5', '-2'])})"
    if name == "where_scalar":
        return name, (f"a = {a}\ntorch.where(a > 0, {py_scalar(rng)}, "
                      f"{rng.choice([py_scalar(rng), 'a'])})")
    if name == "isin":
        return name, f"a = {a}\ntorch.isin(a, {tensor_src(rng, (3,), pick_dtype(rng))})"
    if name in ("bucketize", "searchsorted"):
        bd = rng.choice(["float32", "int64"])
        b = f"torch.tensor([-1, 0, 2, 4], dtype=torch.{bd})"
        right = rng.choice(["True", "False"])
        if name == "bucketize":
            return name, f"a = {a}\ntorch.bucketize(a, {b}, right={right})"
        return name, f"a = {a}\ntorch.searchsorted({b}, a, right={right})"
    if name == "histc":
        fd = pick_dtype(rng, ["float32", "float64"])
        return name, f"a = {tensor_src(rng, shape, fd)}\ntorch.histc(a, bins=4, min=-2, max=2)"
    if name == "bincount":
        vals = [str(rng.randint(0, 5)) for _ in range(rng.randint(0, 6))]
        w = rng.choice(["", ", minlength=7", f", weights=torch.ones({len(vals)}, dtype=torch.float64)"])
        return name, f"torch.bincount(torch.tensor([{', '.join(vals)}], dtype=torch.int64){w})"
    if name == "diff":
        return name, f"a = {a}\ntorch.diff(a{f', dim={d}' if nd else ''})"
    if name == "cross":
        fd = pick_dtype(rng, ["float32", "float64", "int64"])
        x = tensor_src(rng, (2, 3), fd)
        y = tensor_src(rng, (rng.choice([1, 2]), 3), fd)
        return name, f"torch.cross({x}, {y}, dim=-1)"
    if name in ("outer", "dot"):
        n = rng.randint(0, 3)
        x = tensor_src(rng, (n,), dtype)
        y = tensor_src(rng, (n,), dtype if rng.random() < 0.8 else pick_dtype(rng))
        return name, f"torch.{name}({x}, {y})"
    if name == "matmul":
        fd = pick_dtype(rng, ["float32", "float64", "int64", "float16", "int32", "complex64"])
        k = rng.randint(1, 3)
        s1 = rng.choice([(k,), (2, k), (2, 2, k)])
        s2 = rng.choice([(k,), (k, 2), (2, k, 3), (1, k, 2)])
        od = fd if rng.random() < 0.85 else pick_dtype(rng)
        return name, f"a = {tensor_src(rng, s1, fd)}\nb = {tensor_src(rng, s2, od)}\na @ b"
    if name in ("allclose", "equal"):
        b = tensor_src(rng, shape, dtype)
        return name, f"a = {a}\nb = {b}\ntorch.{name}(a, b)"
    if name == "cummax":
        return name, f"a = {a}\ntorch.cummax(a, {d})"
    raise AssertionError(name)


# ------------------------------------------------------------------------------ creation
def gen_creation(rng):
    dt = rng.choice(["", "", ", dtype=torch." + rng.choice(DTYPES)])
    n1, n2 = rng.randint(0, 3), rng.randint(1, 3)
    size = rng.choice([f"{n1}, {n2}", f"({n1}, {n2})", f"[{n1}, {n2}]", f"{n1}", "()",
                       f"size=({n1}, {n2})", f"torch.Size([{n1}, {n2}])", f"({n1},)"])
    fill = py_scalar(rng)
    name = rng.choice(["zeros", "ones", "full", "arange", "linspace", "logspace", "eye",
                       "zeros_like", "full_like", "tensor", "as_tensor", "empty_shape",
                       "scalar_tensor", "tril_indices", "new_full", "new_tensor",
                       "ones_like", "range", "meshgrid", "cartesian", "complex", "polar"])
    if name in ("zeros", "ones"):
        return name, f"torch.{name}({size}{dt})"
    if name == "empty_shape":
        return name, f"torch.empty({size}{dt}).shape"
    if name == "full":
        s = rng.choice([f"({n1}, {n2})", f"[{n1}]", "()", f"({n1},)"])
        return name, f"torch.full({s}, {fill}{dt})"
    if name == "arange":
        args = rng.choice([
            f"{rng.randint(-3, 6)}",
            f"{rng.randint(-3, 2)}, {rng.randint(-3, 6)}",
            f"{rng.choice(['0', '1', '-1', '0.5'])}, {rng.choice(['2', '1.0', '3.3', '-2'])}, "
            f"{rng.choice(['0.5', '0.1', '1', '-0.5', '0.3', '2'])}",
            "0, 1, 0.1", "1, 2.5, 0.5", "-1, 1, 0.25", "0, 10, 3", "10, 0, -3", "0.0, 1.0, 0.2",
            "torch.tensor(3)", "torch.tensor(2.5)", "5.0",
        ])
        return name, f"torch.arange({args}{dt})"
    if name == "range":
        if "int" in dt or "bool" in dt or "uint8" in dt:
            # torch.range with an integer dtype and a fractional step kills the process (SIGFPE)
            return name, f"torch.range(0, 3, 1{dt})"
        return name, f"torch.range(0, {rng.choice(['3', '2.5', '1'])}, {rng.choice(['1', '0.5'])}{dt})"
    if name == "linspace":
        s, e = rng.choice(["0", "1", "-1", "0.5", "-2.5", "3"]), rng.choice(["1", "10", "0", "-1",
                                                                            "2.5", "100"])
        steps = rng.choice(["0", "1", "2", "5", "7"])
        return name, f"torch.linspace({s}, {e}, {steps}{dt})"
    if name == "logspace":
        steps = rng.choice(["0", "1", "3", "5"])
        return name, f"torch.logspace({rng.choice(['0', '-1', '1.5'])}, 2, {steps}, base={rng.choice(['10', '2', '2.0'])}{dt})"
    if name == "eye":
        return name, f"torch.eye({n1}{rng.choice(['', f', {n2}'])}{dt})"
    if name in ("zeros_like", "full_like", "ones_like"):
        src = tensor_src(rng, (n1, n2), pick_dtype(rng))
        extra = f", {fill}" if name == "full_like" else ""
        return name, f"torch.{name}({src}{extra}{dt})"
    if name in ("tensor", "as_tensor"):
        lists = rng.choice([
            "[1, 2.5]", "[True, 2]", "[1, 2]", "[[1, 2], [3, 4]]", "[]", "3", "2.5", "True",
            "[1, (2+1j)]", "[True, False]", "[[1.5], [2]]", "[2**40]", "[[]]",
            "[torch.tensor(1), torch.tensor(2)]", "[torch.tensor(1.5), 2]",
            "[1, [2]]", "[[1, 2], [3]]", "(1, 2.0)", "[nan, inf]", "[-0.0]", "[2**63]",
            "[torch.tensor([1, 2]), torch.tensor([3, 4])]",
        ])
        return name, f"torch.{name}({lists}{dt})"
    if name == "scalar_tensor":
        return name, f"torch.scalar_tensor({fill}{dt})"
    if name == "tril_indices":
        return name, f"torch.tril_indices({n1 + 1}, {n2}, {rng.randint(-1, 1)})"
    if name in ("new_full", "new_tensor"):
        src = tensor_src(rng, (2,), pick_dtype(rng))
        if name == "new_full":
            return name, f"{src}.new_full(({n1},), {fill}{dt})"
        return name, f"{src}.new_tensor([1, 2.5]{dt})"
    if name == "meshgrid":
        return name, ("torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3., 4., 5.]), "
                      f"indexing={rng.choice(INDEXINGS)})")
    if name == "cartesian":
        return name, "torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4, 5]))"
    if name in ("complex", "polar"):
        fd = pick_dtype(rng, ["float32", "float64", "float16"])
        x = tensor_src(rng, (n1,), fd)
        y = tensor_src(rng, (n1,), fd if rng.random() < 0.8 else pick_dtype(rng))
        return name, f"torch.{name}({x}, {y})"
    raise AssertionError(name)


# ------------------------------------------------------------------------------ promotion
def gen_promotion(rng):
    """Every pair of dtypes and scalar kinds through a few ops that promote."""
    d1, d2 = rng.choice(DTYPES), rng.choice(DTYPES)
    shape = rand_shape(rng, max_ndim=2)
    a = tensor_src(rng, shape, d1, special=0.05)
    r = rng.random()
    if r < 0.3:
        b = py_scalar(rng)
    elif r < 0.55:
        b = tensor_src(rng, (), d2, special=0.05)
    else:
        b = tensor_src(rng, shape, d2, special=0.05)
    op = rng.choice(["+", "*", "-", "/", "torch.where(a != a, a, b)", "torch.maximum",
                     "torch.cat", "torch.result_type", "torch.promote_types", "torch.can_cast",
                     "torch.lerp"])
    if op in ("+", "*", "-", "/"):
        if rng.random() < 0.5:
            return f"promote{op}", f"a = {a}\nb = {b}\nb {op} a"
        return f"promote{op}", f"a = {a}\nb = {b}\na {op} b"
    if op == "torch.cat":
        if not b.startswith("torch"):
            b = f"torch.tensor({b})"
        return "promote.cat", f"a = {a}\nb = {b}\ntorch.cat([a.reshape(-1), b.reshape(-1)])"
    if op in ("torch.promote_types", "torch.can_cast"):
        return op, f"{op}(torch.{d1}, torch.{d2})"
    if op == "torch.result_type":
        return op, f"a = {a}\nb = {b}\ntorch.result_type(a, b)"
    if op == "torch.lerp":
        if not b.startswith("torch"):
            b = f"torch.tensor({b})"
        return op, f"a = {a}\nb = {b}\ntorch.lerp(a, b, 0.5)"
    if op == "torch.maximum":
        return op, f"a = {a}\nb = {b}\ntorch.maximum(a, b)"
    return "promote.where", f"a = {a}\nb = {b}\n{op}"


# ------------------------------------------------------------------------------ autograd
# Every case builds float64 leaves, runs one op, backpropagates a fixed but irregular upstream
# gradient (not ones: a wrong transpose or a missing sum shows) and returns the output and the
# `.grad` of every leaf.
_UPSTREAM = ("g = torch.arange(out.numel(), dtype=torch.float64).reshape(out.shape).cos() "
             "+ 0.25")


def leaf_src(rng, name, shape, positive=False):
    """Lines that make a float64 leaf `{name}0` that requires grad and `{name}`: the leaf or a
    non-contiguous view of it (so gradients also flow through transposes and strides)."""
    shape = tuple(shape)
    layout = "contig"
    r = rng.random()
    if len(shape) >= 2 and r < 0.2:
        layout = "t"
    elif len(shape) >= 1 and r < 0.3:
        layout = "step"
    if layout == "t":
        store, suffix = shape[:-2] + (shape[-1], shape[-2]), ".transpose(-1, -2)"
    elif layout == "step":
        store, suffix = (shape[0] * 2,) + shape[1:], "[::2]"
    else:
        store, suffix = shape, ""
    vals = _distinct_values(rng, "float64", math.prod(store))
    if positive:
        vals = [_fmt_float(abs(float(v)) + 0.5) for v in vals]
    data = nested(vals, store) if store else vals[0]
    return (f"{name}0 = torch.tensor({data}, dtype=torch.float64, requires_grad=True)\n"
            f"{name} = {name}0{suffix}\n")


AG_UNARY = {
    "exp": "torch.exp(a)", "log": "torch.log(a)", "sin": "torch.sin(a)", "cos": "a.cos()",
    "tanh": "torch.tanh(a)", "sigmoid": "torch.sigmoid(a)", "sqrt": "torch.sqrt(a)",
    "rsqrt": "a.rsqrt()", "abs": "torch.abs(a)", "relu": "torch.relu(a)", "neg": "-a",
    "reciprocal": "a.reciprocal()", "square": "torch.square(a)", "log1p": "torch.log1p(a)",
    "expm1": "torch.expm1(a)", "erf": "torch.erf(a)", "atan": "torch.atan(a)",
    "asinh": "torch.asinh(a)", "sinh": "torch.sinh(a / 8)", "pow2": "a ** 2", "pow3": "a.pow(3)",
    "powhalf": "a ** 0.5", "rpow": "2 ** (a / 8)", "clamp": "torch.clamp(a, -1.0, 2.0)",
    "clamp_min": "a.clamp(min=0.5)", "softplus": "torch.nn.functional.softplus(a, beta=2)",
    "gelu": "torch.nn.functional.gelu(a)", "gelu_tanh":
    "torch.nn.functional.gelu(a, approximate='tanh')", "silu": "torch.nn.functional.silu(a)",
    "elu": "torch.nn.functional.elu(a, alpha=0.5)", "leaky_relu":
    "torch.nn.functional.leaky_relu(a, 0.1)", "hardtanh": "torch.nn.functional.hardtanh(a)",
    "logsigmoid": "torch.nn.functional.logsigmoid(a)", "mish": "torch.nn.functional.mish(a)",
    "selu": "torch.nn.functional.selu(a)", "hardswish": "torch.nn.functional.hardswish(a)",
    "tanhshrink": "torch.nn.functional.tanhshrink(a)", "sign": "torch.sign(a) * a",
    "trunc": "torch.trunc(a) + a", "lgamma": "torch.lgamma(a)", "digamma": "torch.digamma(a)",
    "atan2self": "torch.atan2(a, a + 1)", "sinc": "torch.sinc(a / 8)", "frac": "torch.frac(a)",
    "xlogy": "torch.xlogy(a, a)", "nan_to_num": "torch.nan_to_num(torch.log(a))",
}
# ops defined only for positive inputs get positive leaves
_AG_POSITIVE = {"log", "sqrt", "rsqrt", "reciprocal", "log1p", "powhalf", "lgamma", "digamma",
                "xlogy"}

AG_BINARY = {
    "add": "a + b", "sub": "torch.sub(a, b, alpha=2)", "mul": "a * b", "div": "a / b",
    "pow": "a.abs() ** b.tanh()", "atan2": "torch.atan2(a, b)", "maximum": "torch.maximum(a, b)",
    "minimum": "torch.minimum(a, b)", "hypot": "torch.hypot(a, b)", "fmod": "torch.fmod(a, b)",
    "remainder": "torch.remainder(a, b)", "copysign": "torch.copysign(a, b)",
    "lerp": "torch.lerp(a, b, 0.25)", "lerp_t": "torch.lerp(a, b, b.sigmoid())",
    "where": "torch.where(a > b, a, b * 2)", "addcmul": "torch.addcmul(a, a, b, value=0.5)",
    "addcdiv": "torch.addcdiv(a, a, b, value=-2)", "fmax": "torch.fmax(a, b)",
    "logaddexp": "torch.logaddexp(a, b)", "xlogy": "torch.xlogy(a, b.abs())",
    "mse": "torch.nn.functional.mse_loss(a, b.expand_as(a), reduction='none')",
    "smooth_l1": "torch.nn.functional.smooth_l1_loss(a, b.expand_as(a), reduction='none', "
                 "beta=2.0)",
    "huber": "torch.nn.functional.huber_loss(a, b.expand_as(a), reduction='none', delta=3.0)",
    "l1": "torch.nn.functional.l1_loss(a, b.expand_as(a), reduction='none')",
}


def _ag_reduce(rng, shape):
    nd = len(shape)
    d = rng.randrange(-nd, nd) if nd else 0
    kd = rng.choice(["True", "False"])
    dims = _dim_arg(rng, nd, allow_none=False) if nd else "0"
    return rng.choice([
        f"a.sum({dims}, keepdim={kd})", f"a.mean({dims})", "a.sum()", "a.prod()",
        f"a.prod({d}, keepdim={kd})", f"a.amax({dims})", f"a.amin({dims}, keepdim={kd})",
        f"a.max({d})[0]", f"a.min({d}, keepdim={kd}).values", "a.max()",
        f"a.std({dims}, correction={rng.choice([0, 1])})", f"a.var({d}, keepdim={kd})",
        "a.norm()", f"a.norm(p={rng.choice(['1', '2', '3', 'inf'])}, dim={d})",
        f"torch.logsumexp(a, {dims})", f"torch.softmax(a, {d})", f"torch.log_softmax(a, {d})",
        f"torch.cumsum(a, {d})", f"torch.cumprod(a, {d})", f"torch.cummax(a, {d})[0]",
        f"torch.sort(a, {d}, descending={kd})[0]", f"torch.logcumsumexp(a, {d})",
        f"torch.topk(a, 1, {d})[0]", f"torch.kthvalue(a, 1, {d})[0]", "torch.median(a)",
        f"torch.var_mean(a, {d})[{rng.randint(0, 1)}]", f"torch.nansum(a, {d})",
        "torch.linalg.vector_norm(a, ord=2)", f"torch.nn.functional.normalize(a, dim={d})",
        f"torch.diff(a, dim={d})", f"torch.nn.functional.softmin(a, {d})",
    ])


def _ag_shape(rng, shape):
    nd = len(shape)
    d = rng.randrange(-nd, nd) if nd else 0
    n = shape[d] if nd else 1
    idx = [str(rng.randrange(0, max(n, 1))) for _ in range(rng.randint(1, 3))]
    perm = ", ".join(map(str, rng.sample(range(nd), nd)))
    choices = [
        "a.reshape(-1)", f"a.permute({perm})" if nd else "a.reshape(())",
        f"a.transpose(0, {d})" if nd else "a.t()", "a.unsqueeze(0).expand(2, *a.shape)",
        f"a.repeat({', '.join(['2'] + ['1'] * nd)})", f"torch.flip(a, ({d},))" if nd else "a * 1",
        f"torch.roll(a, 1, {d})" if nd else "a * 1", f"a.narrow({d}, 0, 1)" if nd else "a * 1",
        f"torch.index_select(a, {d}, torch.tensor([{', '.join(idx)}]))" if nd else "a * 1",
        f"a[{', '.join(idx)}]" if nd == 1 else f"a[[{', '.join(idx)}]]" if nd else "a[None]",
        "a[a > 0]", "a.masked_fill(a > 1, 0.5)", f"torch.cat([a, a * 2], {d})" if nd else "a * 1",
        f"torch.stack([a, a.exp()], {rng.randint(-nd - 1, nd)})",
        f"torch.split(a, 1, {d})[0]" if nd else "a * 1", f"torch.chunk(a, 2, {d})[-1]" if nd
        else "a * 1", f"torch.unbind(a, {d})[0]" if nd else "a * 1",
        "torch.tril(a)" if nd >= 2 else "a * 1", "torch.triu(a, 1)" if nd >= 2 else "a * 1",
        "torch.diagonal(a, 0, -2, -1)" if nd >= 2 else "torch.diag(a)" if nd == 1 else "a * 1",
        "torch.diag_embed(a)" if nd else "a * 1", "a.squeeze()", f"torch.movedim(a, 0, {d})"
        if nd else "a * 1", "a.flatten()", f"a.unflatten({d}, (1, -1))" if nd else "a * 1",
        "torch.take(a, torch.tensor([0, 0, -1]))" if nd else "a * 1",
        "a.clone()", "a.contiguous()", "a.T" if nd in (0, 2) else "a.mT" if nd > 2 else "a * 1",
        "torch.nn.functional.pad(a, (1, 2), value=0.5)" if nd else "a * 1",
        f"torch.repeat_interleave(a, 2, {d})" if nd else "a * 1",
        "torch.gather(a, 0, torch.zeros((1,) + a.shape[1:], dtype=torch.int64))" if nd else "a * 1",
        "a.scatter(0, torch.zeros((1,) + a.shape[1:], dtype=torch.int64), 2 * a[:1])" if nd
        else "a * 1",
        "a.index_add(0, torch.tensor([0, 0]), a[:1].expand(2, *a.shape[1:]) * 3)" if nd
        else "a * 1",
    ]
    return rng.choice(choices)


def _ag_linalg(rng):
    """(setup lines, expression) for matmul-like ops of small random shapes."""
    m, k, n = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
    form = rng.choice(["matmul", "mm", "bmm", "mv", "linear", "einsum", "outer", "dot",
                       "baddbmm", "addmm", "bilinear", "cdist", "batched"])
    if form == "mm":
        return leaf_src(rng, "a", (m, k)) + leaf_src(rng, "b", (k, n)), "a @ b"
    if form == "matmul":
        sa = rng.choice([(k,), (m, k), (2, m, k), (1, m, k)])
        sb = rng.choice([(k,), (k, n), (2, k, n)])
        return leaf_src(rng, "a", sa) + leaf_src(rng, "b", sb), "torch.matmul(a, b)"
    if form == "batched":
        return (leaf_src(rng, "a", (2, 1, m, k)) + leaf_src(rng, "b", (3, k, n)),
                "torch.matmul(a, b)")
    if form == "bmm":
        return leaf_src(rng, "a", (2, m, k)) + leaf_src(rng, "b", (2, k, n)), "torch.bmm(a, b)"
    if form == "mv":
        return leaf_src(rng, "a", (m, k)) + leaf_src(rng, "b", (k,)), "torch.mv(a, b)"
    if form == "linear":
        bias = rng.choice(["", ", b[0]"])
        return (leaf_src(rng, "a", (m, k)) + leaf_src(rng, "b", (n, k)),
                f"torch.nn.functional.linear(a, b{bias})")
    if form == "einsum":
        return (leaf_src(rng, "a", (m, k)) + leaf_src(rng, "b", (n, k)),
                "torch.einsum('ij,kj->ik', a, b)")
    if form in ("outer", "dot"):
        return leaf_src(rng, "a", (k,)) + leaf_src(rng, "b", (k,)), f"torch.{form}(a, b)"
    if form == "baddbmm":
        return (leaf_src(rng, "a", (2, m, k)) + leaf_src(rng, "b", (2, k, m)),
                "torch.baddbmm(a[:, :, :1], a, b, beta=0.5, alpha=2)")
    if form == "addmm":
        return (leaf_src(rng, "a", (m, k)) + leaf_src(rng, "b", (k, k)),
                "torch.addmm(a, a, b, beta=2)")
    if form == "bilinear":
        return (leaf_src(rng, "a", (m, k)) + leaf_src(rng, "b", (n, k, k)),
                "torch.nn.functional.bilinear(a, a * 2, b)")
    return (leaf_src(rng, "a", (m, k)) + leaf_src(rng, "b", (n, k)),
            f"torch.cdist(a, b, p={rng.choice(['1.0', '2.0', '3.0'])})")


def gen_autograd(rng):
    shape = rand_shape(rng, max_ndim=3, max_size=3, allow_empty=rng.random() < 0.2)
    kind = rng.choice(["unary", "unary", "binary", "binary", "reduce", "reduce", "shape",
                       "linalg"])
    names = ["a"]
    if kind == "unary":
        op = rng.choice(list(AG_UNARY))
        setup = leaf_src(rng, "a", shape, positive=op in _AG_POSITIVE)
        expr = AG_UNARY[op]
    elif kind == "binary":
        op = rng.choice(list(AG_BINARY))
        bshape = broadcast_partner(rng, shape)
        if bshape == tuple(s + 1 for s in shape) or bshape == (2,) and not shape:
            bshape = shape  # shapes that do not broadcast are the other families' business
        if op in ("mse", "smooth_l1", "huber", "l1"):
            bshape = tuple(1 if rng.random() < 0.3 else s for s in shape)
        setup = leaf_src(rng, "a", shape) + leaf_src(rng, "b", bshape)
        # a second input that does not require grad keeps its .grad None
        if rng.random() < 0.2:
            setup += "b = b.detach()\n"
        expr = AG_BINARY[op]
        names.append("b")
    elif kind == "reduce":
        expr = _ag_reduce(rng, shape)
        op = expr.split("(")[0].replace("torch.", "").replace("a.", "Tensor.")
        setup = leaf_src(rng, "a", shape)
    elif kind == "shape":
        expr = _ag_shape(rng, shape)
        op = "shape:" + expr.split("(")[0].replace("torch.", "").replace("a.", "Tensor.")[:20]
        setup = leaf_src(rng, "a", shape)
    else:
        setup, expr = _ag_linalg(rng)
        op = "linalg:" + expr.split("(")[0].replace("torch.", "")
        names.append("b")
    grads = ", ".join(f"{n}0.grad" for n in names)
    return (f"ag:{op}", f"{setup}out = {expr}\n{_UPSTREAM}\nout.backward(g)\n"
                        f"(out, {grads})")


# ------------------------------------------------------------------------------ in place
_IP_OPS = [
    "add_(c)", "sub_(c, alpha=2)", "mul_(c)", "div_(c)", "clamp_(-1, 1)", "clamp_(min=c)",
    "pow_(2)", "exp_()", "tanh_()", "sigmoid_()", "relu_()", "abs_()", "neg_()", "zero_()",
    "fill_(1.5)", "copy_(c)", "masked_fill_(c > 0, 2.0)", "addcmul_(c, c, value=0.5)",
    "lerp_(c, 0.5)", "clamp_max_(0.5)", "sqrt_()", "square_()", "mul_(2)", "add_(1)",
    "index_add_(0, torch.tensor([0, 0]), c[:1].expand(2, *c.shape[1:]))",
    "index_fill_(0, torch.tensor([0]), -1.0)", "t_()" , "unsqueeze_(0)", "squeeze_()",
    "scatter_(0, torch.zeros((1,) + c.shape[1:], dtype=torch.int64), c[:1])",
    "masked_scatter_(c > 0, c * 3)", "nan_to_num_()", "floor_()", "sin_()", "log_()",
]


def gen_inplace(rng):
    shape = rand_shape(rng, max_ndim=3, max_size=3, allow_empty=False) or (2,)
    nd = len(shape)
    op = rng.choice(_IP_OPS)
    if op == "t_()" and nd > 2:
        op = "mul_(c)"
    setup = leaf_src(rng, "a", shape) + leaf_src(rng, "c", shape)
    if rng.random() < 0.3:
        setup += "c = c.detach()\n"
    form = rng.choice(["leaf", "leafview", "nonleaf", "nonleaf", "saved", "saved", "view",
                       "setitem", "setitem", "version", "nograd", "detached"])
    name = f"{form}:{op.split('(')[0]}"
    grads = "a0.grad, c0.grad"
    bw = f"{_UPSTREAM}\nout.backward(g)\n"
    if form == "leaf":
        return name, f"{setup}a0.{op}\na0"
    if form == "leafview":
        v = rng.choice(["a0[0]", "a0.view(-1)", "a0[..., :1]", "a0.T" if nd == 2 else "a0[:]"])
        return name, f"{setup}{v}.{op}\na0"
    if form == "nonleaf":
        return name, f"{setup}b = a * 1.5\nb.{op}\nout = b * a\n{bw}(out, {grads})"
    if form == "saved":
        # the op of b saved a tensor that the in-place write changes: torch's version error
        f = rng.choice(["a.exp()", "a.sigmoid()", "a.tanh()", "a.pow(2)", "a * c", "a.sin()",
                        "a / c", "torch.relu(a)", "a.abs()", "a.sqrt()"])
        who = rng.choice(["b", "a1"])
        pre = "a1 = a * 1\n" if who == "a1" else ""
        src = "a1" if who == "a1" else "a"
        return name, (f"{setup}{pre}b = {f.replace('a', src, 1) if who == 'a1' else f}\n"
                      f"{who}.{op}\nout = b\n{bw}(out, {grads})")
    if form == "view":
        v = rng.choice(["b[0]", "b.view(-1)", "b[..., :1]", "b.transpose(0, -1)", "b[::2]",
                        "b.unsqueeze(0)", "b.expand(2, *b.shape)"])
        return name, (f"{setup}b = a * 2\nv = {v}\nv.{op}\nout = b * 1\n{bw}"
                      f"(out, b._version, v._version, {grads})")
    if form == "setitem":
        idx = _index_src(rng, shape)
        val = rng.choice(["c.sum()", "2.5", "c[0]" if nd else "c", "c.mean() * 2"])
        return name.replace(op.split("(")[0], "setitem"), (
            f"{setup}b = a.clone()\nb[{idx}] = {val}\nout = b * a\n{bw}(out, {grads})")
    if form == "version":
        # (c without grad: torch's leaf check of a view made before its base required grad
        # is a corner of its own)
        return name, (f"{setup}c = c.detach()\nb = a.detach().clone()\nv = b.view(-1)\nb.{op}\nv.add_(1)\n"
                      f"(b, b._version, v._version)")
    if form == "nograd":
        return name, (f"{setup}with torch.no_grad():\n    a0.{op}\nout = a0 * 2\n{bw}"
                      f"(out, a0, a0.grad, a0.requires_grad)")
    # a detached alias shares the version counter: writing it breaks the saved output
    return name, (f"{setup}b = a.exp()\nd = b.detach()\nd.{op}\nout = b * 1\n{bw}"
                  f"(out, {grads})")


# ------------------------------------------------------------------------------ nn.functional
def _f32(rng, shape, positive=False):
    vals = _distinct_values(rng, "float32", math.prod(shape))
    if positive:
        vals = [_fmt_float(abs(float(v)) + 0.25) for v in vals]
    dt = rng.choice(["float32", "float64"])
    return f"torch.tensor({nested(vals, shape)}, dtype=torch.{dt})"


def gen_nnf(rng):
    F = "torch.nn.functional"
    name = rng.choice(["pad", "pad", "interpolate", "interpolate", "max_pool", "avg_pool",
                       "conv", "conv", "conv_transpose", "loss", "loss", "loss", "norm",
                       "adaptive", "unfold", "embedding", "one_hot", "dropout0", "glu",
                       "pixel_shuffle", "cosine"])
    if name == "pad":
        nd = rng.randint(1, 3)
        shape = (rng.randint(1, 2), rng.randint(1, 2)) + tuple(rng.randint(1, 4)
                                                               for _ in range(nd))
        mode = rng.choice(["constant", "reflect", "replicate", "circular"])
        pads = tuple(rng.randint(-1, 3) for _ in range(2 * rng.randint(1, nd)))
        extra = ", value=1.5" if mode == "constant" and rng.random() < 0.5 else ""
        x = _f32(rng, shape)
        if rng.random() < 0.3:
            x = f"{x}[0]"  # no batch dim
        return f"pad:{mode}", f"{F}.pad({x}, {pads}, mode='{mode}'{extra})"
    if name == "interpolate":
        nd = rng.randint(1, 3)
        shape = (1, rng.randint(1, 2)) + tuple(rng.randint(1, 4) for _ in range(nd))
        modes = {1: ["nearest", "linear", "nearest-exact", "area"],
                 2: ["nearest", "bilinear", "bicubic", "nearest-exact", "area"],
                 3: ["nearest", "trilinear", "nearest-exact", "area"]}[nd]
        mode = rng.choice(modes)
        if rng.random() < 0.5:
            size = f"size={tuple(rng.randint(1, 6) for _ in range(nd)) if nd > 1 else rng.randint(1, 6)}"
        else:
            size = f"scale_factor={rng.choice(['2', '1.5', '0.5', '3', '(2, 1)' if nd == 2 else '2.0'])}"
        ac = ""
        if mode in ("linear", "bilinear", "bicubic", "trilinear"):
            ac = f", align_corners={rng.choice(['True', 'False', 'None'])}"
        if "scale" in size and rng.random() < 0.3:
            ac += ", recompute_scale_factor=True"
        return f"interpolate:{mode}", f"{F}.interpolate({_f32(rng, shape)}, {size}, mode='{mode}'{ac})"
    if name in ("max_pool", "avg_pool"):
        nd = rng.randint(1, 3)
        shape = (1, rng.randint(1, 2)) + tuple(rng.randint(2, 5) for _ in range(nd))
        k = rng.randint(1, 3)
        s = rng.choice(["None", "1", "2"])
        p = rng.randint(0, 1)
        kw = f"{k}, stride={s}, padding={p}, ceil_mode={rng.choice(['True', 'False'])}"
        if name == "max_pool":
            kw += f", dilation={rng.randint(1, 2)}"
            if rng.random() < 0.3:
                kw += ", return_indices=True"
        else:
            kw += f", count_include_pad={rng.choice(['True', 'False'])}"
            if nd > 1 and rng.random() < 0.3:
                kw += ", divisor_override=2"
        return f"{name}{nd}d", f"{F}.{name}{nd}d({_f32(rng, shape)}, {kw})"
    if name == "adaptive":
        nd = rng.randint(1, 2)
        shape = (1, 2) + tuple(rng.randint(1, 5) for _ in range(nd))
        out = rng.randint(1, 4) if nd == 1 else f"({rng.randint(1, 4)}, {rng.choice(['None', '2'])})"
        kind = rng.choice(["avg", "max"])
        return f"adaptive_{kind}", f"{F}.adaptive_{kind}_pool{nd}d({_f32(rng, shape)}, {out})"
    if name in ("conv", "conv_transpose"):
        nd = rng.randint(1, 2)
        groups = rng.choice([1, 1, 2])
        cin, cout = 2 * groups, groups * rng.randint(1, 2)
        size = tuple(rng.randint(3, 5) for _ in range(nd))
        k = tuple(rng.randint(1, 3) for _ in range(nd))
        # float64: float32 sums of products of these values cancel past the tolerance
        x = _f32(rng, (rng.randint(1, 2), cin) + size) + ".double()"
        stride = rng.randint(1, 2)
        dil = rng.randint(1, 2)
        if name == "conv":
            w = _f32(rng, (cout, cin // groups) + k)
            pad = rng.choice(["0", "1", "'same'", "'valid'"])
            if pad == "'same'":
                stride = 1
            kw = f"stride={stride}, padding={pad}, dilation={dil}, groups={groups}"
            return f"conv{nd}d", (f"x = {x}\nw = {w}\n{F}.conv{nd}d(x, w.to(x.dtype), "
                                  f"{'(w.sum(dim=tuple(range(1, w.dim()))) / 3).to(x.dtype)' if rng.random() < 0.5 else 'None'}, {kw})")
        w = _f32(rng, (cin, cout // groups) + k)
        op = rng.randint(0, stride - 1) if stride > 1 else 0
        kw = (f"stride={stride}, padding={rng.randint(0, 1)}, output_padding={op}, "
              f"groups={groups}, dilation={dil if not op else 1}")
        return f"conv_transpose{nd}d", f"x = {x}\nw = {w}\n{F}.conv_transpose{nd}d(x, w.to(x.dtype), None, {kw})"
    if name == "loss":
        n, c = rng.randint(1, 4), rng.randint(2, 4)
        red = rng.choice(["'mean'", "'sum'", "'none'"])
        loss = rng.choice(["cross_entropy", "cross_entropy", "nll_loss", "bce", "bce_logits",
                           "kl_div", "mse", "l1", "smooth_l1", "huber", "soft_margin",
                           "margin_ranking", "hinge", "poisson", "gaussian", "cosine_emb",
                           "multilabel_soft", "ce_probs", "ce_2d"])
        x = _f32(rng, (n, c))
        tgt = f"torch.tensor({[rng.randrange(c) for _ in range(n)]})"
        if loss in ("cross_entropy", "nll_loss"):
            kw = f"reduction={red}"
            if rng.random() < 0.4:
                kw += f", weight=torch.tensor({[round(rng.uniform(0.25, 2), 2) for _ in range(c)]}).to(x.dtype)"
            if rng.random() < 0.4:
                kw += f", ignore_index={rng.choice([0, 1, -100])}"
            if loss == "cross_entropy" and rng.random() < 0.4:
                kw += f", label_smoothing={rng.choice(['0.1', '0.5'])}"
            inp = "x" if loss == "cross_entropy" else "x.log_softmax(1)"
            return f"loss:{loss}", f"x = {x}\n{F}.{loss}({inp}, {tgt}, {kw})"
        if loss == "ce_probs":
            return f"loss:{loss}", (f"x = {x}\n{F}.cross_entropy(x, {_f32(rng, (n, c), True)}"
                                    f".softmax(1).to(x.dtype), reduction={red}, label_smoothing="
                                    f"{rng.choice(['0.0', '0.2'])})")
        if loss == "ce_2d":
            t = f"torch.tensor({[[rng.randrange(c) for _ in range(2)] for _ in range(n)]})"
            return f"loss:{loss}", (f"x = {_f32(rng, (n, c, 2))}\n{F}.cross_entropy(x, {t}, "
                                    f"reduction={red}, ignore_index={rng.choice([0, -100])})")
        y = _f32(rng, (n, c))
        if loss in ("bce", "bce_logits"):
            w = rng.choice(["", ", weight=torch.rand(0)[:0].sum() + 0.5",
                            f", weight=torch.tensor({[0.5, 2.0][:1] * c}).to(x.dtype)"])
            p = ""
            if loss == "bce_logits" and rng.random() < 0.4:
                p = f", pos_weight=torch.tensor({[1.5] * c}).to(x.dtype)"
            inp = "x.sigmoid()" if loss == "bce" else "x"
            f = "binary_cross_entropy" if loss == "bce" else "binary_cross_entropy_with_logits"
            return f"loss:{loss}", (f"x = {x}\ny = {y}.sigmoid().to(x.dtype)\n"
                                    f"{F}.{f}({inp}, y{w}{p}, reduction={red})")
        if loss == "kl_div":
            return f"loss:{loss}", (f"x = {x}\ny = {y}.to(x.dtype)\n{F}.kl_div(x.log_softmax(1), "
                                    f"{rng.choice(['y.softmax(1)', 'y.log_softmax(1)'])}, "
                                    f"reduction={rng.choice([red, repr('batchmean')])}, "
                                    f"log_target={rng.choice(['True', 'False'])})")
        simple = {"mse": "mse_loss", "l1": "l1_loss", "smooth_l1": "smooth_l1_loss",
                  "huber": "huber_loss", "soft_margin": "soft_margin_loss",
                  "poisson": "poisson_nll_loss", "multilabel_soft": "multilabel_soft_margin_loss"}
        if loss in simple:
            extra = {"smooth_l1": ", beta=0.5", "huber": ", delta=0.5",
                     "poisson": ", log_input=True"}.get(loss, "")
            yy = "y.sign()" if loss == "soft_margin" else "(y > 0).to(x.dtype)" if \
                loss == "multilabel_soft" else "y"
            return f"loss:{loss}", (f"x = {x}\ny = {y}.to(x.dtype)\n{F}.{simple[loss]}(x, {yy}"
                                    f"{extra}, reduction={red})")
        if loss == "margin_ranking":
            return f"loss:{loss}", (f"x = {x}\ny = {y}.to(x.dtype)\n{F}.margin_ranking_loss(x, y, "
                                    f"(x - y).sign(), margin=0.5, reduction={red})")
        if loss == "hinge":
            return f"loss:{loss}", (f"x = {x}\ny = {y}.to(x.dtype)\n{F}.hinge_embedding_loss(x, "
                                    f"y.sign(), margin=2.0, reduction={red})")
        if loss == "gaussian":
            return f"loss:{loss}", (f"x = {x}\ny = {y}.to(x.dtype)\n{F}.gaussian_nll_loss(x, y, "
                                    f"x.abs() + 0.5, full={rng.choice(['True', 'False'])}, "
                                    f"reduction={red})")
        return f"loss:{loss}", (f"x = {x}\ny = {y}.to(x.dtype)\n{F}.cosine_embedding_loss(x, y, "
                                f"torch.tensor({[rng.choice([1, -1]) for _ in range(n)]}), "
                                f"margin=0.25, reduction={red})")
    if name == "norm":
        shape = (rng.randint(1, 3), 4, rng.randint(1, 3))
        x = _f32(rng, shape)
        which = rng.choice(["layer_norm", "group_norm", "batch_norm", "instance_norm",
                            "rms_norm", "local_response_norm", "normalize"])
        if which == "layer_norm":
            return f"norm:{which}", f"x = {x}\n{F}.layer_norm(x, x.shape[-1:], eps=1e-3)"
        if which == "rms_norm":
            return f"norm:{which}", f"x = {x}\n{F}.rms_norm(x, x.shape[-2:])"
        if which == "group_norm":
            return f"norm:{which}", f"x = {x}\n{F}.group_norm(x, {rng.choice([1, 2, 4])})"
        if which == "batch_norm":
            return f"norm:{which}", (f"x = {x}\nrm = torch.zeros(4, dtype=x.dtype)\n"
                                     f"rv = torch.ones(4, dtype=x.dtype)\n"
                                     f"y = {F}.batch_norm(x, rm, rv, training="
                                     f"{rng.choice(['True', 'False'])}, momentum=0.3)\n(y, rm, rv)")
        if which == "instance_norm":
            return f"norm:{which}", f"x = {x}\n{F}.instance_norm(x)"
        if which == "local_response_norm":
            return f"norm:{which}", f"x = {x}\n{F}.local_response_norm(x, 2)"
        return f"norm:{which}", f"x = {x}\n{F}.normalize(x, p={rng.choice([1, 2])}, dim={rng.randint(-1, 2)})"
    if name == "unfold":
        x = _f32(rng, (1, 2, rng.randint(2, 4), rng.randint(2, 4)))
        return "unfold", (f"{F}.unfold({x}, {rng.randint(1, 2)}, dilation={rng.randint(1, 2)}, "
                          f"padding={rng.randint(0, 1)}, stride={rng.randint(1, 2)})")
    if name == "embedding":
        w = _f32(rng, (5, 3))
        idx = [rng.randrange(5) for _ in range(rng.randint(1, 4))]
        kw = rng.choice(["", ", padding_idx=0", ", max_norm=1.0"])
        # max_norm renormalizes the rows of w in place: compare w too
        return "embedding", f"w = {w}\ny = {F}.embedding(torch.tensor({idx}), w{kw})\n(y, w)"
    if name == "one_hot":
        vals = [rng.randint(0, 3) for _ in range(rng.randint(0, 4))]
        nc = rng.choice(["", ", 4", ", -1", ", 2"])
        return "one_hot", f"{F}.one_hot(torch.tensor({vals}, dtype=torch.int64){nc})"
    if name == "dropout0":
        return "dropout", f"{F}.dropout({_f32(rng, (2, 3))}, p={rng.choice(['0.0', '1.0'])})"
    if name == "glu":
        return "glu", f"{F}.glu({_f32(rng, (2, 4))}, dim={rng.choice([-1, 0])})"
    if name == "pixel_shuffle":
        return "pixel_shuffle", (f"x = {_f32(rng, (1, 4, 2, 3))}\n"
                                 f"({F}.pixel_shuffle(x, 2), {F}.pixel_unshuffle(x, 1))")
    return "cosine", (f"{F}.cosine_similarity({_f32(rng, (2, 3))}, {_f32(rng, (1, 3))}, "
                      f"dim={rng.choice([-1, 1, 0])})")


# ------------------------------------------------------------------------------ dtype corners
def gen_dtypes(rng):
    name = rng.choice(["intdiv", "intdiv", "boolarith", "overflow", "half_reduce", "to",
                       "to", "new", "stable_sort", "stable_sort", "unique", "topk_ties"])
    if name == "intdiv":
        dt = rng.choice(INTS)
        signed = dt != "uint8"
        a = tensor_src(rng, (4,), dt, layout="contig",
                       values=[str(v) for v in ([7, -7, 6, -1] if signed else [7, 200, 6, 1])])
        bv = rng.choice(["-2", "3", "-3", "2", "-1"]) if signed else rng.choice(["2", "3"])
        b = rng.choice([bv, f"torch.tensor({bv}, dtype=torch.{dt})",
                        f"torch.tensor([{bv}, 5, -4, 3], dtype=torch.{dt})" if signed else bv])
        op = rng.choice(["a // b", "a % b", "torch.div(a, b, rounding_mode='trunc')",
                         "torch.div(a, b, rounding_mode='floor')", "torch.fmod(a, b)",
                         "torch.remainder(a, b)", "a / b", "torch.floor_divide(a, b)",
                         "b // a", "b % a"])
        return f"intdiv:{op.split('(')[0]}", f"a = {a}\nb = {b}\n{op}"
    if name == "boolarith":
        a = tensor_src(rng, (3,), "bool", layout="contig")
        b = rng.choice([tensor_src(rng, (3,), "bool", layout="contig"), "True", "1", "1.5"])
        op = rng.choice(["a - b", "b - a", "-a", "a + b", "a * b", "a / b", "a // b", "a ** b",
                         "torch.sub(a, b)", "a.sum()", "a.mean()", "a.prod()", "a.cumsum(0)",
                         "torch.sign(a)", "a.abs()", "a.max()", "a & b", "a ^ b", "~a",
                         "torch.rsub(a, b)", "a.float().mean()", "torch.clamp(a, 0, 1)"])
        return f"boolarith:{op}", f"a = {a}\nb = {b}\n{op}"
    if name == "overflow":
        dt = rng.choice(["uint8", "int8", "int16"])
        lo, hi = _INT_RANGE[dt]
        a = tensor_src(rng, (3,), dt, layout="contig", values=[str(hi), str(lo), str(hi - 1)])
        op = rng.choice(["a + 1", "a * 2", "a - 1", "a + a", "-a", "a.sum()", "a.sum(dtype=a.dtype)",
                         "a.prod()", "a.cumsum(0)", "a.abs()", "a * a", "a.to(torch.int8)",
                         "a.to(torch.uint8)", "a + 300", "a.mean(dtype=torch.float32)",
                         "a // -1", "a.add_(5)", "torch.tensor(255, dtype=torch.uint8) + a"])
        return f"overflow:{op}", f"a = {a}\n{op}"
    if name == "half_reduce":
        dt = rng.choice(["float16", "bfloat16"])
        big = rng.choice(["60000.0", "1000.0", "0.1", "2049.0", "65504.0"])
        a = f"torch.full((64,), {big}, dtype=torch.{dt})"
        op = rng.choice(["a.sum()", "a.mean()", "a.cumsum(0)[-1]", "a.var()", "a.std()",
                         "a.norm()", "a.prod()", "torch.logsumexp(a, 0)", "a.softmax(0)[0]",
                         "(a * a).sum()", "a.sum(dtype=torch.float32)", "a @ a",
                         "torch.dot(a, a)", "a.max()", "a.view(8, 8).sum(1)", "a.mean(0, True)"])
        return f"half:{op}", f"a = {a}\n{op}"
    if name == "to":
        src_dt = pick_dtype(rng)
        a = tensor_src(rng, (3,), src_dt, layout="contig", special=0.2)
        dst = rng.choice(DTYPES)
        op = rng.choice([f"a.to(torch.{dst})", f"a.to(dtype=torch.{dst}, copy=True)",
                         f"a.type(torch.{dst})", "a.type()", f"a.to('cpu', torch.{dst})",
                         f"a.to(torch.zeros(1, dtype=torch.{dst}))",
                         f"a.type('torch.{_LEGACY.get(dst, 'FloatTensor')}')",
                         f"a.to(torch.{dst}) is a", "a.to(a.dtype) is a",
                         "a.to(a.dtype, copy=True) is a", f"a.type_as(torch.zeros(1, dtype=torch.{dst}))",
                         "a.double()", "a.half()", "a.bfloat16()", "a.cfloat()", "a.long()",
                         "a.bool()", "a.to(torch.device('cpu'))", "a.cpu() is a"])
        return f"to:{op.split('(')[0]}", f"a = {a}\n{op}"
    if name == "new":
        src_dt = pick_dtype(rng)
        a = tensor_src(rng, (2,), src_dt, layout="contig")
        dt = rng.choice(["", f", dtype=torch.{rng.choice(DTYPES)}"])
        op = rng.choice([f"a.new_zeros((2, 1){dt})", f"a.new_ones(3{dt})", f"a.new_empty((0,){dt})",
                         f"a.new_full((2,), {py_scalar(rng)}{dt})", f"a.new_tensor([1, 2]{dt})",
                         f"a.new_tensor([1.5, 2]{dt})", f"a.new_tensor(True{dt})",
                         f"a.new_zeros(2, 3{dt}).dtype", "a.new_ones(()).requires_grad",
                         "a.new_full((1,), 7, requires_grad=False)", f"a.new_empty(2, 2{dt}).shape",
                         f"a.new_tensor(a{dt})"])
        return f"new:{op.split('(')[0]}", f"a = {a}\n{op}"
    if name in ("stable_sort", "topk_ties"):
        dt = rng.choice(["int64", "float32", "int8", "bool", "float16", "uint8"])
        shape = rng.choice([(6,), (2, 5), (3, 2, 2)])
        vals = [rng.choice(["0", "1", "2"]) if dt != "bool" else rng.choice(["True", "False"])
                for _ in range(math.prod(shape))]
        if dt.startswith("float"):
            vals = [rng.choice(["0.0", "1.5", "-0.0", "nan", "-inf"]) for _ in vals]
        a = tensor_src(rng, shape, dt, layout="contig", values=vals)
        d = rng.randint(-len(shape), len(shape) - 1)
        if name == "topk_ties":
            op = rng.choice([f"torch.topk(a, 2, {d})[0]", f"torch.topk(a, 1, {d}, largest=False)[0]",
                             "torch.msort(a)", f"torch.sort(a, {d})[0]",
                             f"torch.argsort(a, dim={d}, stable=True)"])
        else:
            op = rng.choice([f"torch.sort(a, {d}, stable=True)",
                             f"torch.sort(a, dim={d}, descending=True, stable=True)",
                             f"torch.argsort(a, {d}, stable=True)",
                             f"torch.argsort(a, dim={d}, descending=True, stable=True)",
                             f"a.sort(stable=True, dim={d})", "a.argsort(stable=True)"])
        return f"sort:{op.split('(')[0]}", f"a = {a}\n{op}"
    dt = rng.choice(["int64", "float32", "bool", "int8"])
    shape = rng.choice([(6,), (3, 2), (2, 2, 2)])
    vals = [rng.choice(["0", "1", "2"]) if dt != "bool" else rng.choice(["True", "False"])
            for _ in range(math.prod(shape))]
    a = tensor_src(rng, shape, dt, layout="contig", values=vals)
    d = rng.randint(-len(shape), len(shape) - 1)
    op = rng.choice(["torch.unique(a)", "torch.unique(a, return_inverse=True, return_counts=True)",
                     f"torch.unique(a, dim={d})", f"torch.unique(a, dim={d}, return_inverse=True)",
                     f"torch.unique(a, sorted=True, return_counts=True, dim={d})",
                     "torch.unique_consecutive(a)",
                     f"torch.unique_consecutive(a, dim={d}, return_counts=True)",
                     "a.unique(return_inverse=True)[1]", "torch.unique(a.flatten().flip(0))"])
    return f"unique:{op.split('(')[0]}", f"a = {a}\n{op}"


_LEGACY = {"float32": "FloatTensor", "float64": "DoubleTensor", "int64": "LongTensor",
           "int32": "IntTensor", "uint8": "ByteTensor", "bool": "BoolTensor",
           "float16": "HalfTensor", "int16": "ShortTensor", "int8": "CharTensor",
           "bfloat16": "BFloat16Tensor"}


FAMILIES = {
    "binary": gen_binary,
    "unary": gen_unary,
    "reduce": gen_reduce,
    "shape": gen_shape,
    "index": gen_index,
    "gather": gen_gather,
    "misc": gen_misc,
    "creation": gen_creation,
    "promotion": gen_promotion,
    "autograd": gen_autograd,
    "inplace": gen_inplace,
    "nnf": gen_nnf,
    "dtypes": gen_dtypes,
}
