"""Random numbers: Generator, manual_seed, rand/randn/randint/randperm/normal/bernoulli/
multinomial/poisson, their *_like forms and the in-place Tensor samplers (normal_, uniform_...).

A CPU Generator is NumPy's `Generator(PCG64)`: the same seed gives the same numbers, though not
PyTorch's numbers (its Mersenne Twister stream is not reproduced). A CUDA Generator draws with
CuPy's `RandomState` on its device. The state is a uint8 tensor, as in PyTorch.
"""

import os

import numpy as np

from . import _dtype as D
from ._creation import (
    _finish,
    _size,
    empty,  # noqa: F401  (ember.utils.data draws seeds with it)
)
from ._device import CPU, factory_device, to_device
from ._tensor import Tensor, _new_tensor

__all__ = [
    "Generator",
    "bernoulli",
    "default_generator",
    "get_rng_state",
    "initial_seed",
    "manual_seed",
    "multinomial",
    "normal",
    "poisson",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "seed",
    "set_rng_state",
]

_DEFAULT_SEED = 67280421310721
_U64 = (1 << 64) - 1
_STATE_BYTES = 16 + 16 + 1 + 4 + 8


def _check_seed(seed):
    seed = int(seed)
    if seed < -(1 << 63) or seed > _U64:
        raise ValueError("Overflow when unpacking long long")
    # negative seeds wrap to unsigned 64 bits, as in PyTorch
    return seed & _U64


class Generator:
    """A random number generator. Mirrors `torch.Generator(device='cpu')`."""

    def __init__(self, device="cpu"):
        dev = to_device(device) or CPU
        self._device = dev
        self._seed = _DEFAULT_SEED
        self._calls = 0
        self._reseed()

    @property
    def device(self):
        return self._device

    def _reseed(self):
        if self._device.type == "cpu":
            self._np = np.random.Generator(np.random.PCG64(self._seed))
        else:
            # CUDA: the stream is a function of (seed, number of rebases) so a state restores it
            cp = self._device.xp
            with cp.cuda.Device(self._device.index):
                mixed = np.random.SeedSequence([self._seed, self._calls]).generate_state(1)[0]
                self._cp = cp.random.RandomState(int(mixed))

    def manual_seed(self, seed):
        """Mirrors `torch.Generator.manual_seed`; returns the generator."""
        self._seed = _check_seed(seed)
        self._calls = 0
        self._reseed()
        return self

    def seed(self):
        """Seed from the operating system; returns the new seed."""
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The generator's state as a uint8 tensor (see set_state)."""
        if self._device.type == "cpu":
            st = self._np.bit_generator.state
            inner = st["state"]
            raw = (
                inner["state"].to_bytes(16, "little")
                + inner["inc"].to_bytes(16, "little")
                + bytes([st["has_uint32"]])
                + int(st["uinteger"]).to_bytes(4, "little")
                + self._seed.to_bytes(8, "little")
            )
        else:
            # rebase the CUDA stream so that restoring this state replays what follows
            self._calls += 1
            self._reseed()
            raw = self._seed.to_bytes(8, "little") + self._calls.to_bytes(8, "little")
            raw += bytes(_STATE_BYTES - len(raw))
        return _new_tensor(np.frombuffer(raw, dtype=np.uint8).copy(), D.uint8, CPU)

    def set_state(self, new_state):
        """Restore a state returned by get_state; returns the generator."""
        if not isinstance(new_state, Tensor) or new_state._dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = bytes(np.ascontiguousarray(new_state._data).reshape(-1).tolist())
        if len(raw) != _STATE_BYTES:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but found the input "
                f"RNG state size to be {len(raw)}"
            )
        if self._device.type == "cpu":
            self._seed = int.from_bytes(raw[37:45], "little")
            self._np = np.random.Generator(np.random.PCG64())
            self._np.bit_generator.state = {
                "bit_generator": "PCG64",
                "state": {
                    "state": int.from_bytes(raw[0:16], "little"),
                    "inc": int.from_bytes(raw[16:32], "little"),
                },
                "has_uint32": raw[32],
                "uinteger": int.from_bytes(raw[33:37], "little"),
            }
        else:
            self._seed = int.from_bytes(raw[0:8], "little")
            self._calls = int.from_bytes(raw[8:16], "little")
            self._reseed()
        return self

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator()
# PyTorch seeds its default generator from the operating system at startup
default_generator.seed()
_CUDA_GENERATORS = {}
# the values of meta tensors are placeholders; their draws come from a stream of their own
_META_GENERATOR = Generator("cpu")
_CUDA_SEED = [None]


def _cuda_generator(dev):
    g = _CUDA_GENERATORS.get(dev.index)
    if g is None:
        g = Generator(dev)
        if _CUDA_SEED[0] is not None:
            g.manual_seed(_CUDA_SEED[0])
        else:
            g.seed()
        _CUDA_GENERATORS[dev.index] = g
    return g


def manual_seed(seed):
    """Mirrors `torch.manual_seed`: seeds the CPU and every CUDA generator; returns the default
    generator."""
    seed = _check_seed(seed)
    default_generator.manual_seed(seed)
    _CUDA_SEED[0] = seed
    for g in _CUDA_GENERATORS.values():
        g.manual_seed(seed)
    return default_generator


def seed():
    """Mirrors `torch.seed`: a non-deterministic seed for every generator; returns it."""
    s = default_generator.seed()
    _CUDA_SEED[0] = s
    for g in _CUDA_GENERATORS.values():
        g.manual_seed(s)
    return s


def initial_seed():
    """Mirrors `torch.initial_seed`."""
    return default_generator.initial_seed()


def get_rng_state():
    """Mirrors `torch.get_rng_state`."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Mirrors `torch.set_rng_state`."""
    default_generator.set_state(new_state)


# ---------------------------------------------------------------- sampling core
def _gen(generator, dev):
    """The generator to draw with for device `dev`."""
    if generator is None:
        if dev.type == "cpu":
            return default_generator
        if dev.type == "meta":
            # sampling a meta tensor must not advance the CPU stream (PyTorch draws nothing)
            return _META_GENERATOR
        return _cuda_generator(dev)
    if dev.type == "meta":
        return _META_GENERATOR
    if generator._device.type != dev.type:
        raise RuntimeError(
            f"Expected a '{dev.type}' device type for generator but found "
            f"'{generator._device.type}'"
        )
    return generator


def _torch_name(dt):
    from ._ops._inplace import _TORCH_NAMES

    return _TORCH_NAMES[dt.name]


def _need_float(dt, kernel):
    if dt._kind < 2:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_torch_name(dt)}\'')


def _uniform(g, shape, dt, low=0.0, high=1.0):
    """Uniform [low, high) numbers of float or complex dtype dt (complex: both parts)."""
    if dt.is_complex:
        real = dt.to_real()
        re = _uniform(g, shape, real, low, high)
        im = _uniform(g, shape, real, low, high)
        return (re + 1j * im).astype(dt.np, copy=False)
    if g._device.type == "cpu":
        wide = np.float64 if dt is D.float64 else np.float32
        u = g._np.random(shape, dtype=wide)
    else:
        with g._device.xp.cuda.Device(g._device.index):
            u = g._cp.random_sample(shape, dtype=np.float64 if dt is D.float64 else np.float32)
    if low != 0.0 or high != 1.0:
        return (u * (high - low) + low).astype(dt.np, copy=False)
    if dt is D.float16:
        # rounding to half precision can reach 1.0; keep the interval half-open
        u = u.astype(np.float16)
        return g._device.xp.minimum(u, np.float16(np.nextafter(np.float16(1), np.float16(0))))
    return u.astype(dt.np, copy=False)


def _normal(g, shape, dt, mean=0.0, std=1.0):
    """Normal numbers of float or complex dtype dt (complex: variance split over the parts)."""
    if dt.is_complex:
        real = dt.to_real()
        s = std / np.sqrt(2.0)
        re = _normal(g, shape, real, 0.0, s)
        im = _normal(g, shape, real, 0.0, s)
        return ((re + 1j * im) + mean).astype(dt.np, copy=False)
    wide = np.float64 if dt is D.float64 else np.float32
    if g._device.type == "cpu":
        z = g._np.standard_normal(shape, dtype=wide)
    else:
        with g._device.xp.cuda.Device(g._device.index):
            z = g._cp.standard_normal(shape, dtype=wide)
    if std != 1.0:
        z = z * std
    if mean != 0.0:
        z = z + mean
    return z.astype(dt.np, copy=False)


def _integers(g, low, high, shape):
    """int64 integers in [low, high)."""
    if g._device.type == "cpu":
        return g._np.integers(low, high, size=shape, dtype=np.int64)
    with g._device.xp.cuda.Device(g._device.index):
        return g._cp.randint(low, high, size=shape, dtype=np.int64)


def _rand_args(size, dtype, device, name="rand"):
    dt = D.get_default_dtype() if dtype is None else D.to_dtype(dtype)
    dev = factory_device(device)
    return _size(size, name), dt, dev


def _no_size(name, size):
    if not size:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (), but expected one "
            "of:\n * (tuple of ints size, *, torch.Generator generator, Tensor out = None, "
            "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
            "bool pin_memory = False, bool requires_grad = False)"
        )


def _out_or_new(arr, dt, dev, requires_grad, out):
    if out is not None:
        from ._ops._inplace import bump

        if out._data.shape == arr.shape and out._dtype is dt:
            out._data[...] = arr
        else:
            out._data = arr
            out._dtype = dt
        bump(out)
        return out
    return _finish(arr, dt, dev, requires_grad)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Mirrors `torch.rand`: uniform on [0, 1)."""
    _no_size("rand", size)
    shape, dt, dev = _rand_args(size, dtype, device)
    _need_float(dt, "check_uniform_bounds")
    arr = _uniform(_gen(generator, dev), shape, dt)
    return _out_or_new(arr, dt, dev, requires_grad, out)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Mirrors `torch.randn`: standard normal."""
    _no_size("randn", size)
    shape, dt, dev = _rand_args(size, dtype, device, "randn")
    _need_float(dt, "normal_kernel_cpu")
    arr = _normal(_gen(generator, dev), shape, dt)
    return _out_or_new(arr, dt, dev, requires_grad, out)


def _int_arg(v, name, pos):
    if isinstance(v, Tensor):
        v = v.item()
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(
            f"randint(): argument '{name}' (position {pos}) must be int, not {type(v).__name__}"
        )
    return int(v)


def _check_range(low, high, dt):
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    if dt._kind == 1 or dt is D.bool_:
        info = np.iinfo(dt.np) if dt is not D.bool_ else None
        lo, hi = (0, 1) if info is None else (info.min, info.max)
        cname = {"uint8": "unsigned char", "int8": "signed char", "int16": "short",
                 "int32": "int", "int64": "long", "bool": "bool"}[dt.name]
        if low < lo or low > hi:
            raise RuntimeError(f"from is out of bounds for {cname}")
        if high - 1 < lo or high - 1 > hi:
            raise RuntimeError(f"to - 1 is out of bounds for {cname}")


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False, low=None, high=None):
    """Mirrors `torch.randint(high, size)` and `torch.randint(low, high, size)`."""
    args = list(args)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if size is None and len(args) >= 2:
        raise TypeError(
            f"randint(): argument 'size' (position {len(args)}) must be tuple of ints, not "
            f"{type(args[-1]).__name__}"
        )
    if high is None and args:
        high = args.pop()
    if low is None:
        low = args.pop() if args else 0
    if high is None or size is None or args:
        raise TypeError(
            "randint() received an invalid combination of arguments - got (int), but expected "
            "one of:\n * (int high, tuple of ints size, *, torch.Generator generator, ...)\n"
            " * (int low, int high, tuple of ints size, *, torch.Generator generator, ...)"
        )
    high = _int_arg(high, "high", 2 if low else 1)
    low = _int_arg(low, "low", 1)
    dt = D.int64 if dtype is None else D.to_dtype(dtype)
    dev = factory_device(device)
    shape = _size((size,))
    _check_range(low, high, dt)
    arr = _integers(_gen(generator, dev), low, high, shape)
    return _out_or_new(arr.astype(dt.np, copy=False), dt, dev, requires_grad, out)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """Mirrors `torch.randperm`: a random permutation of 0..n-1."""
    n = int(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dt = D.int64 if dtype is None else D.to_dtype(dtype)
    dev = factory_device(device)
    g = _gen(generator, dev)
    if dev.type == "cpu":
        arr = g._np.permutation(n)
    else:
        with dev.xp.cuda.Device(dev.index):
            arr = g._cp.permutation(n)
    return _out_or_new(arr.astype(dt.np, copy=False), dt, dev, requires_grad, out)


# ---------------------------------------------------------------- normal (all overloads)
def _normal_zero_grad(sample, mean, std):
    """PyTorch's normal(mean, std) has a zero gradient for mean and std; keep that graph."""
    from ._ops._registry import apply

    ins = tuple(x for x in (mean, std) if isinstance(x, Tensor))
    return apply(_NORMAL_OP, (sample,) + ins, {})


def _normal_fwd(xp, sample, *stats):
    return sample


def _normal_rule(F, g, out, sample, *stats, need, extra):
    # the sample passes its gradient through; mean, std (or an overwritten tensor) get zeros
    first = g if need[0] else None
    return (first,) + tuple(F.zeros(s.shape, g) if n else None for s, n in zip(stats, need[1:]))


def _sampled(sample, *stats):
    """`sample` as an output whose gradient to `stats` is zero (an in-place sampler's graph)."""
    from ._ops._registry import apply

    return apply(_NORMAL_OP, (sample,) + stats, {})


def _register_normal():
    from ._ops._registry import defop

    op = defop("normal", promote=False, grad_name="NormalBackward3")(_normal_fwd)
    op.defgrad(_normal_rule)
    return op


_NORMAL_OP = _register_normal()


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, pin_memory=False, requires_grad=False):
    """Mirrors `torch.normal` (tensor or float mean and std; floats need a size)."""
    mt = isinstance(mean, Tensor)
    st = isinstance(std, Tensor)
    if not mt and not st:
        if size is None:
            raise TypeError(
                "normal() received an invalid combination of arguments - got (float, float), "
                "but expected one of:\n * (Tensor mean, Tensor std, *, torch.Generator generator "
                "= None, Tensor out = None)\n * (float mean, float std, tuple of ints size, *, "
                "torch.Generator generator = None, ...)"
            )
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
        shape, dt, dev = _rand_args((size,), dtype, device, "normal")
        _need_float(dt, "normal_kernel_cpu")
        arr = _normal(_gen(generator, dev), shape, dt, float(mean), float(std))
        return _out_or_new(arr, dt, dev, requires_grad, out)
    ref = mean if mt else std
    dev = ref._device
    dts = [t._dtype for t in (mean, std) if isinstance(t, Tensor)]
    dt = dts[0] if len(dts) == 1 else D.promote_types(*dts)
    for t in (mean, std):
        if isinstance(t, Tensor):
            _need_float(t._dtype, "normal_kernel_cpu")
    if st and std._data.size and bool((std._data < 0).any()):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not st and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    mdata = mean._data if mt else mean
    sdata = std._data if st else std
    shape = _broadcast(mean, std)
    z = _normal(_gen(generator, dev), shape, dt)
    arr = (z * sdata + mdata).astype(dt.np, copy=False)
    res = _new_tensor(dev.xp.asarray(arr), dt, dev)
    if (mt and mean._rg) or (st and std._rg):
        res = _normal_zero_grad(res, mean, std)
    if out is not None:
        return _out_or_new(res._data, dt, dev, False, out)
    return res


def _fmt(x):
    return str(int(x)) if float(x) == int(x) else str(x)


def _broadcast(a, b):
    from ._ops.linalg import _broadcast_batch

    sa = a._data.shape if isinstance(a, Tensor) else ()
    sb = b._data.shape if isinstance(b, Tensor) else ()
    return _broadcast_batch(sa, sb)


# ---------------------------------------------------------------- *_like
def _like_args(input, dtype, device):
    dt = input._dtype if dtype is None else D.to_dtype(dtype)
    dev = input._device if device is None else to_device(device)
    return input._data.shape, dt, dev


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None):
    """Mirrors `torch.rand_like`."""
    shape, dt, dev = _like_args(input, dtype, device)
    _need_float(dt, "check_uniform_bounds")
    return _finish(_uniform(_gen(generator, dev), shape, dt), dt, dev, requires_grad)


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None):
    """Mirrors `torch.randn_like`."""
    shape, dt, dev = _like_args(input, dtype, device)
    _need_float(dt, "normal_kernel_cpu")
    return _finish(_normal(_gen(generator, dev), shape, dt), dt, dev, requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None):
    """Mirrors `torch.randint_like(input, high)` and `(input, low, high)`."""
    if high is None:
        low, high = 0, low
    shape, dt, dev = _like_args(input, dtype, device)
    low = int(low)
    high = int(high)
    _check_range(low, high, dt)
    arr = _integers(_gen(generator, dev), low, high, shape).astype(dt.np, copy=False)
    return _finish(arr, dt, dev, requires_grad)


# ---------------------------------------------------------------- bernoulli / multinomial / poisson
def _bernoulli_array(g, p, shape, dt):
    u = _uniform(g, shape, D.float64 if dt is D.float64 else D.float32)
    return (u < p).astype(dt.np)


def bernoulli(input, p=None, *, generator=None, out=None):
    """Mirrors `torch.bernoulli(input)` (probabilities in input) and `(input, p)`."""
    dt = input._dtype
    if dt._kind < 2:
        raise NotImplementedError(
            f'"bernoulli_tensor_cpu_p_" not implemented for \'{_torch_name(dt)}\''
        )
    dev = input._device
    if p is None:
        probs = input._data
        if probs.size and bool(((probs < 0) | (probs > 1)).any()):
            raise RuntimeError(
                "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                "message be improved?  If so, please report an enhancement request to PyTorch.)"
            )
    else:
        probs = p
    arr = _bernoulli_array(_gen(generator, dev), probs, input._data.shape, dt)
    return _out_or_new(arr, dt, dev, False, out)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Mirrors `torch.multinomial`: category indices drawn with weights from each row."""
    nd = input._data.ndim
    if nd not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if input._dtype._kind != 2:
        raise RuntimeError(
            "multinomial only supports floating-point dtypes for input, got: "
            f"{_torch_name(input._dtype)}"
        )
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    dev = input._device
    xp = dev.xp
    w = xp.asarray(input._data, dtype=np.float64).reshape(-1, input._data.shape[-1])
    ncat = w.shape[1]
    if not replacement and num_samples > ncat:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if w.size and bool((~xp.isfinite(w) | (w < 0)).any()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    total = w.sum(axis=1, keepdims=True)
    if w.shape[0] and bool((total <= 0).any()):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    g = _gen(generator, dev)
    rows = w.shape[0]
    if replacement:
        idx = _sample_with_replacement(g, w / total, rows, num_samples, xp)
    else:
        idx = _sample_without_replacement(g, w, rows, num_samples, xp)
    idx = idx.astype(np.int64)
    if nd == 1:
        idx = idx.reshape(num_samples)
    return _out_or_new(idx, D.int64, dev, False, out)


def _sample_with_replacement(g, p, rows, n, xp):
    # inverse CDF for all rows at once: offset row r's CDF by r so one sorted search serves all
    cdf = xp.cumsum(p, axis=1)
    cdf[:, -1] = 1.0
    ncat = p.shape[1]
    u = _uniform(g, (rows, n), D.float64)
    offs = xp.arange(rows, dtype=np.float64)[:, None]
    flat = (cdf + offs).reshape(-1)
    pos = xp.searchsorted(flat, (u + offs).reshape(-1), side="right").reshape(rows, n)
    idx = pos - xp.arange(rows)[:, None] * ncat
    return xp.minimum(idx, ncat - 1)


def _sample_without_replacement(g, w, rows, n, xp):
    # exponential race: the k smallest E_i / w_i (E_i ~ Exp(1)) are a weighted draw without
    # replacement; zero weights get an infinite key and come last
    u = _uniform(g, w.shape, D.float64)
    e = -xp.log1p(-u)
    with np.errstate(divide="ignore"):
        keys = xp.where(w > 0, e / xp.where(w > 0, w, 1.0), xp.inf)
    order = xp.argsort(keys, axis=1, kind="stable")
    return order[:, :n]


def poisson(input, generator=None):
    """Mirrors `torch.poisson`: Poisson counts with the rates in input (same dtype)."""
    dev = input._device
    g = _gen(generator, dev)
    if dev.type == "cpu":
        arr = g._np.poisson(input._data.astype(np.float64))
    else:
        with dev.xp.cuda.Device(dev.index):
            arr = g._cp.poisson(input._data.astype(np.float64))
    return _new_tensor(arr.astype(input._dtype.np), input._dtype, dev)


# ---------------------------------------------------------------- in-place samplers
def _fill_random(self, arr):
    """Write sampled values into self (through views), as PyTorch's in-place samplers do."""
    from ._ops._inplace import inplace
    from .autograd.grad_mode import GRAD

    if GRAD.enabled and self._rg:
        # a non-leaf keeps a graph whose gradient is zero (PyTorch's NormalBackward0 & co.)
        sample = _new_tensor(arr, self._dtype, self._device)
        return inplace(self, lambda s: _sampled(sample, s))
    _write(self, arr)
    return self


def _write(self, arr):
    from ._ops._inplace import bump, check_leaf

    check_leaf(self)
    self._data[...] = arr
    bump(self)


def _self_gen(self, generator):
    return _gen(generator, self._device)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Mirrors `torch.Tensor.normal_`."""
    _need_float(self._dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    arr = _normal(_self_gen(self, generator), self._data.shape, self._dtype, mean, std)
    return _fill_random(self, arr)


def uniform_(self, a=0.0, b=1.0, *, generator=None, **kw):
    """Mirrors `torch.Tensor.uniform_(from=0, to=1)`."""
    a = kw.pop("from", a)
    b = kw.pop("to", b)
    _need_float(self._dtype, "check_uniform_bounds")
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={_fmt(a)} > "
            f"to={_fmt(b)}"
        )
    arr = _uniform(_self_gen(self, generator), self._data.shape, self._dtype, a, b)
    return _fill_random(self, arr)


def bernoulli_(self, p=0.5, *, generator=None):
    """Mirrors `torch.Tensor.bernoulli_` (p a float or a tensor of probabilities)."""
    if isinstance(p, Tensor):
        p = p._data
    elif not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    g = _self_gen(self, generator)
    u = _uniform(g, self._data.shape, D.float64 if self._dtype is D.float64 else D.float32)
    return _fill_random(self, (u < p).astype(self._dtype.np))


def _random_default_high(dt):
    if dt is D.bool_:
        return 2
    if dt._kind == 1:
        return int(np.iinfo(dt.np).max) + 1
    # floats: every integer up to 2**(mantissa bits + 1) is exact
    digits = {"float16": 11, "float32": 24, "float64": 53}[dt.name]
    return (1 << digits) + 1


def random_(self, a=None, b=None, *, generator=None, **kw):
    """Mirrors `torch.Tensor.random_()`, `random_(to)` and `random_(from, to)`."""
    a = kw.pop("from", a)
    b = kw.pop("to", b)
    dt = self._dtype
    if a is None:
        low, high = 0, _random_default_high(dt)
    elif b is None:
        low, high = 0, int(a)
    else:
        low, high = int(a), int(b)
    _check_range(low, high, dt)
    g = _self_gen(self, generator)
    if high - 1 > np.iinfo(np.int64).max:
        arr = _integers(g, low, np.iinfo(np.int64).max, self._data.shape)
    else:
        arr = _integers(g, low, high, self._data.shape)
    return _fill_random(self, arr.astype(dt.np))


def exponential_(self, lambd=1.0, *, generator=None):
    """Mirrors `torch.Tensor.exponential_`."""
    if self._dtype._kind < 2:
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution. dtype must be a "
            f"floating point but you specified {_torch_name(self._dtype)}"
        )
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}")
    u = _uniform(_self_gen(self, generator), self._data.shape, D.float64)
    return _fill_random(self, (-np.log1p(-u) / lambd).astype(self._dtype.np))


def geometric_(self, p, *, generator=None):
    """Mirrors `torch.Tensor.geometric_`: trials until the first success (1, 2, ...)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
    u = _uniform(_self_gen(self, generator), self._data.shape, D.float64)
    xp = self._device.xp
    k = xp.ceil(xp.log1p(-u) / np.log1p(-p))
    return _fill_random(self, xp.maximum(k, 1).astype(self._dtype.np))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Mirrors `torch.Tensor.cauchy_`."""
    _need_float(self._dtype, "cauchy_cpu")
    u = _uniform(_self_gen(self, generator), self._data.shape, D.float64)
    xp = self._device.xp
    return _fill_random(self, (median + sigma * xp.tan(np.pi * (u - 0.5))).astype(self._dtype.np))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Mirrors `torch.Tensor.log_normal_`: exp of a normal(mean, std)."""
    _need_float(self._dtype, "log_normal_cpu")
    z = _normal(_self_gen(self, generator), self._data.shape, D.float64, mean, std)
    return _fill_random(self, self._device.xp.exp(z).astype(self._dtype.np))


def fill_(self, value):
    """Mirrors `torch.Tensor.fill_` (value a number or a 0-d tensor, which gets the gradient)."""
    from ._ops._inplace import inplace
    from .autograd.grad_mode import GRAD

    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        if GRAD.enabled and (self._rg or value._rg):
            return inplace(self, lambda s, v: _sampled(v.to(s._dtype).expand(s.shape), s), value)
        value = value._data.item()
    elif isinstance(value, complex) and not self._dtype.is_complex:
        raise RuntimeError("value cannot be converted to type int64_t without overflow"
                           if self._dtype._kind < 2 else
                           f"value cannot be converted to type {self._dtype.name} without "
                           "overflow")
    if self._dtype._kind == 1 and isinstance(value, (int, float)):
        # torch's checked conversion (NumPy would wrap or refuse with its own message)
        from ._creation import checked_fill

        value = checked_fill(value, self._dtype)
    if GRAD.enabled and self._rg:
        from ._creation import full

        filled = full(self._data.shape, value, dtype=self._dtype, device=self._device)
        return inplace(self, lambda s: _sampled(filled, s))
    _write(self, value)
    return self


def zero_(self):
    """Mirrors `torch.Tensor.zero_`."""
    return fill_(self, 0)


def _tensor_bernoulli(self, p=None, *, generator=None):
    return bernoulli(self, p, generator=generator)


def _tensor_multinomial(self, num_samples, replacement=False, *, generator=None):
    return multinomial(self, num_samples, replacement, generator=generator)


def _bind_methods():
    for fn in (normal_, uniform_, bernoulli_, random_, exponential_, geometric_, cauchy_,
               log_normal_, fill_, zero_):
        setattr(Tensor, fn.__name__, fn)
    Tensor.bernoulli = _tensor_bernoulli
    Tensor.multinomial = _tensor_multinomial


_bind_methods()


# `ember.random` (torch.random) is a view of this module; load it so `ember.random` resolves
from . import random as _random_namespace  # noqa: F401
