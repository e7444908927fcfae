"""Random numbers: Generator, manual_seed, rand/randn/randint/randperm/normal/bernoulli/
multinomial/poisson, their *_like forms and the in-place Tensor samplers (normal_, uniform_...).

A CPU Generator is PyTorch's: a Mersenne Twister (NumPy's `MT19937`, seeded as torch seeds it)
whose draws go through the transformations of torch's CPU kernels (ember/_cpu_rng.py), so a seeded
program gets torch's numbers, and its state is torch's 5056-byte layout. A CUDA Generator draws
with CuPy's `RandomState` on its device.
"""

import math
import os
import struct

import weakref

import numpy as np

from . import _cpu_rng as K
from . import _dtype as D
from ._creation import (
    _finish,
    _size,
    _size_keyword,
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
# sizeof(CPUGeneratorImplState) (aten/src/ATen/CPUGeneratorImpl.cpp), laid out as:
# seed u64, left i32, seeded i32, next u64, state u64[624], normal_x f64, normal_y f64,
# normal_rho f64, normal_is_valid i32 (+4 padding), next_float_normal f32, its valid flag (+3)
_STATE_HEAD = struct.Struct("<QiiQ")
_STATE_TAIL = struct.Struct("<dddi4xf?3x")
_STATE_BYTES = _STATE_HEAD.size + 624 * 8 + _STATE_TAIL.size
_CUDA_STATE_BYTES = 16


def _check_seed(seed):
    seed = int(seed)
    if seed < -(1 << 63) or seed > _U64:
        raise ValueError("Overflow when unpacking long long")
    # negative seeds wrap to unsigned 64 bits, as in PyTorch
    return seed & _U64


class Generator:
    """A random number generator. Mirrors `torch.Generator(device='cpu')`."""

    # every generator alive, for vmap(randomness="same") to restart them all
    _alive = weakref.WeakSet()

    def __init__(self, device="cpu"):
        Generator._alive.add(self)
        dev = to_device(device) or CPU
        self._device = dev
        self._seed = _DEFAULT_SEED
        self._calls = 0
        # normal_distribution<double>'s second Box-Muller value, kept for the next draw (the
        # float one is only carried through get_state/set_state: CPU kernels never set it)
        self._next_double = None
        self._next_float = None
        self._reseed()

    @property
    def device(self):
        return self._device

    def _reseed(self):
        if self._device.type == "cpu":
            mt = np.random.MT19937(0)
            # at::mt19937 runs init_genrand on the low 32 bits, as NumPy's legacy seeding does
            mt._legacy_seeding(self._seed & 0xFFFFFFFF)
            self._mt = mt
            # NumPy's samplers on the same stream, for the few distributions whose torch
            # kernels are not reproduced
            self._np = np.random.Generator(mt)
            # torch reports next=0 right after seeding, 624 once a full block was used
            self._fresh = True
            self._next_double = None
            self._next_float = None
        else:
            # CUDA: the stream is a function of (seed, number of rebases) so a state restores it
            cp = self._device.xp
            with cp.cuda.Device(self._device.index):
                mixed = np.random.SeedSequence([self._seed, self._calls]).generate_state(1)[0]
                self._cp = cp.random.RandomState(int(mixed))

    def _raw(self, n):
        """n raw 32-bit outputs of the Mersenne Twister (as uint64), torch's `random()`."""
        self._fresh = False
        return self._mt.random_raw(n)

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
        """The generator's state as a uint8 tensor: torch's own layout on the CPU, so states
        move between torch and ember (see set_state)."""
        if self._device.type == "cpu":
            st = self._mt.state["state"]
            pos = int(st["pos"])
            # NumPy's pos is the index of the next output (624: regenerate first); torch keeps
            # left = outputs until it regenerates + 1, and next = the index
            left = 625 - pos if pos else 624
            nxt = 0 if self._fresh else pos
            nd, nf = self._next_double, self._next_float
            raw = (
                _STATE_HEAD.pack(self._seed, left, 1, nxt)
                + np.asarray(st["key"], dtype="<u8").tobytes()
                + _STATE_TAIL.pack(0.0, 0.0 if nd is None else nd, 0.0, nd is not None,
                                   0.0 if nf is None else nf, nf is not None)
            )
        else:
            # rebase the CUDA stream so that restoring this state replays what follows
            self._calls += 1
            self._reseed()
            raw = self._seed.to_bytes(8, "little") + self._calls.to_bytes(8, "little")
        return _new_tensor(np.frombuffer(raw, dtype=np.uint8).copy(), D.uint8, CPU)

    def set_state(self, new_state):
        """Restore a state returned by get_state (or torch's); returns the generator."""
        if not isinstance(new_state, Tensor) or new_state._dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = np.ascontiguousarray(new_state._data).reshape(-1).tobytes()
        cpu = self._device.type == "cpu"
        size = _STATE_BYTES if cpu else _CUDA_STATE_BYTES
        if len(raw) != size:
            what = "CPUGeneratorImplState" if cpu else "CUDAGeneratorImplState"
            raise RuntimeError(
                f"Expected a {what} of size {size} but found the input RNG state size to be "
                f"{len(raw)}"
            )
        if cpu:
            seed, left, seeded, nxt = _STATE_HEAD.unpack_from(raw, 0)
            key = np.frombuffer(raw, dtype="<u8", count=624, offset=_STATE_HEAD.size)
            _, ny, _, nvalid, nf, fvalid = _STATE_TAIL.unpack_from(raw, _STATE_BYTES
                                                                   - _STATE_TAIL.size)
            if not (seeded and 0 < left <= 624 and nxt <= 624):
                raise RuntimeError("Invalid mt19937 state")
            mt = np.random.MT19937(0)
            mt.state = {"bit_generator": "MT19937",
                        "state": {"key": key.astype(np.uint32), "pos": 625 - left}}
            self._seed = seed
            self._mt = mt
            self._np = np.random.Generator(mt)
            self._fresh = left == 1 and nxt == 0
            self._next_double = ny if nvalid else None
            self._next_float = nf if fvalid else None
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
# vmap's randomness mode while a vmapped function runs (set by func.vmap; None outside):
# "error", torch's default, makes every draw raise
VMAP_RANDOMNESS = [None]


def _gen(generator, dev):
    """The generator to draw with for device `dev`."""
    if VMAP_RANDOMNESS[0] == "error":
        raise RuntimeError(
            "vmap: called random operation while in randomness error mode. Please either use "
            "the 'same' or 'different' randomness flags on vmap or perform the randomness "
            "operation out of vmap"
        )
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


def _numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _uniform(g, shape, dt, low=0.0, high=1.0, perm=None):
    """Uniform [low, high) numbers of float or complex dtype dt (complex: both parts). On the
    CPU, torch's uniform_kernel; `perm` is the walk order of a non-contiguous destination."""
    if g._device.type == "cpu":
        if dt.is_complex:
            # torch samples view_as_real(self): real and imaginary parts interleaved
            inner = None if perm is None else list(perm) + [len(shape)]
            v = _uniform(g, tuple(shape) + (2,), dt.to_real(), low, high, inner)
            return (v[..., 0] + 1j * v[..., 1]).astype(dt.np, copy=False)
        vals = K.uniform(g._raw, _numel(shape), dt, float(low), float(high))
        return K.place(vals, shape, perm).astype(dt.np, copy=False)
    if dt.is_complex:
        real = dt.to_real()
        re = _uniform(g, shape, real, low, high)
        im = _uniform(g, shape, real, low, high)
        return (re + 1j * im).astype(dt.np, copy=False)
    with g._device.xp.cuda.Device(g._device.index):
        u = g._cp.random_sample(shape, dtype=np.float64 if dt is D.float64 else np.float32)
    if low != 0.0 or high != 1.0:
        return (u * (high - low) + low).astype(dt.np, copy=False)
    if dt is D.float16:
        # rounding to half precision can reach 1.0; keep the interval half-open
        u = u.astype(np.float16)
        return g._device.xp.minimum(u, np.float16(np.nextafter(np.float16(1), np.float16(0))))
    return u.astype(dt.np, copy=False)


def _cpu_normal(g, shape, dt, mean, std, perm):
    """normal_kernel (cpu/DistributionTemplates.h): Box-Muller in blocks of 16 for a contiguous
    tensor of 16 or more elements, else one normal_distribution<double> draw per element."""
    n = _numel(shape)
    mean = float(mean)
    std = float(std)
    if n >= 16 and perm is None:
        if dt is D.float32:
            vals = K.normal_fill32(g, n, mean, std)
        elif dt is D.float64:
            vals = K.normal_fill64(g, n, mean, std)
        else:
            vals = K.normal_fill_generic(g, n, mean, std, dt.np, K.DIGITS.get(dt.name, 24))
    else:
        vals = K.normal_scalar(g, n, mean, std)
    return K.place(vals, shape, perm).astype(dt.np, copy=False)


def _normal(g, shape, dt, mean=0.0, std=1.0, perm=None):
    """Normal numbers of float or complex dtype dt (complex: variance split over the parts)."""
    if dt.is_complex:
        real = dt.to_real()
        s = std / np.sqrt(2.0)
        if g._device.type == "cpu":
            # torch samples view_as_real(self) with std / sqrt(2)
            inner = None if perm is None else list(perm) + [len(shape)]
            v = _cpu_normal(g, tuple(shape) + (2,), real, 0.0, s, inner)
            return ((v[..., 0] + 1j * v[..., 1]) + mean).astype(dt.np, copy=False)
        re = _normal(g, shape, real, 0.0, s)
        im = _normal(g, shape, real, 0.0, s)
        return ((re + 1j * im) + mean).astype(dt.np, copy=False)
    if g._device.type == "cpu":
        return _cpu_normal(g, shape, dt, mean, std, perm)
    wide = np.float64 if dt is D.float64 else np.float32
    with g._device.xp.cuda.Device(g._device.index):
        z = g._cp.standard_normal(shape, dtype=wide)
    if std != 1.0:
        z = z * std
    if mean != 0.0:
        z = z + mean
    return z.astype(dt.np, copy=False)


def _integers(g, low, high, shape, perm=None, dt=None):
    """int64 integers in [low, high) (torch's random_from_to_kernel on the CPU)."""
    if g._device.type == "cpu":
        vals = K.from_to(g._raw, _numel(shape), low, high, dt is D.float32)
        return K.place(vals, shape, perm)
    with g._device.xp.cuda.Device(g._device.index):
        return g._cp.randint(low, high, size=shape, dtype=np.int64)


def _u53(g, n):
    """n float64 uniforms: uniform_real_distribution<double> (two draws each)."""
    return K.uniform_bits(K.random64(g._raw(2 * n)), 53)


def _perm(self):
    """The walk order of an in-place sampler's destination (None: contiguous or not CPU)."""
    if self._device.type != "cpu":
        return None
    return K.order(self._data)


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
         requires_grad=False, pin_memory=False, **kw):
    """Mirrors `torch.rand`: uniform on [0, 1)."""
    if kw:
        size = _size_keyword("rand", size, kw)
    _no_size("rand", size)
    shape, dt, dev = _rand_args(size, dtype, device)
    _need_float(dt, "check_uniform_bounds")
    arr = _uniform(_gen(generator, dev), shape, dt)
    return _out_or_new(arr, dt, dev, requires_grad, out)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False, **kw):
    """Mirrors `torch.randn`: standard normal."""
    if kw:
        size = _size_keyword("randn", size, kw)
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
    shape = _size((size,), "randint")
    _check_range(low, high, dt)
    arr = _integers(_gen(generator, dev), low, high, shape, None, dt)
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
        arr = K.randperm(g._raw, n)
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


def _sampled(sample, *stats, name="NormalBackward3"):
    """`sample` as an output whose gradient to `stats` is zero (an in-place sampler's graph),
    its node named as torch names the sampler's (`UniformBackward0` for uniform_, ...)."""
    from ._ops._registry import apply

    return apply(_named_sampler(name), (sample,) + stats, {})


# node name -> the normal op under that name (the same forward and rule)
_SAMPLER_OPS = {}


def _named_sampler(name):
    op = _SAMPLER_OPS.get(name)
    if op is None:
        from ._ops._registry import renamed

        op = _SAMPLER_OPS[name] = renamed(_NORMAL_OP, name)
    return op


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


def _like_order(input, dev, memory_format=None):
    """The walk order of torch's `empty_like(input, memory_format)` that *_like samplers fill:
    preserve_format keeps a dense input's stride order, so a transposed input gets its numbers
    in memory order (None: contiguous, or not CPU)."""
    from . import _memory_format as MF

    if dev.type != "cpu":
        return None
    if memory_format is None or memory_format is MF.preserve_format:
        return K.dense_order(input._data)
    order = MF.channel_order(memory_format, input._data.ndim)
    return None if order is None else list(order)


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None):
    """Mirrors `torch.rand_like`."""
    shape, dt, dev = _like_args(input, dtype, device)
    _need_float(dt, "check_uniform_bounds")
    perm = _like_order(input, dev, memory_format)
    return _finish(_uniform(_gen(generator, dev), shape, dt, perm=perm), dt, dev, requires_grad)


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None):
    """Mirrors `torch.randn_like`."""
    shape, dt, dev = _like_args(input, dtype, device)
    _need_float(dt, "normal_kernel_cpu")
    perm = _like_order(input, dev, memory_format)
    return _finish(_normal(_gen(generator, dev), shape, dt, perm=perm), dt, dev, requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None):
    """Mirrors `torch.randint_like(input, high)` and `(input, low, high)`."""
    if high is None:
        low, high = 0, low
    shape, dt, dev = _like_args(input, dtype, device)
    low = int(low)
    high = int(high)
    _check_range(low, high, dt)
    perm = _like_order(input, dev, memory_format)
    arr = _integers(_gen(generator, dev), low, high, shape, perm, dt).astype(dt.np, copy=False)
    return _finish(arr, dt, dev, requires_grad)


# ---------------------------------------------------------------- bernoulli / multinomial / poisson
def _bernoulli_tensor_p(g, probs, shape, perm=None):
    """Booleans with probabilities `probs` (an array broadcast to shape). On the CPU, torch's
    bernoulli_tensor_cpu kernel: one float uniform (24 bits) per element against a float32
    probability, one double uniform against a float64 one."""
    if g._device.type != "cpu":
        return _uniform(g, shape, D.float64 if probs.dtype == np.float64 else D.float32) < probs
    if probs.dtype == np.float64:
        u = _u53(g, _numel(shape))
    else:
        u = K.uniform_bits(g._raw(_numel(shape)), 24)
        probs = probs.astype(np.float32)
    return K.place(u, shape, perm) < probs


def _bernoulli_scalar(g, p, shape, perm=None):
    """Booleans that are True with probability p. On the CPU, torch's bernoulli_scalar_cpu
    kernel as the x86 wheel runs it: a double uniform per element against p (not MKL's VSL
    stream: measured against torch 2.13)."""
    if g._device.type != "cpu":
        return _uniform(g, shape, D.float32) < p
    return K.place(_u53(g, _numel(shape)), shape, perm) < p


def _bernoulli_mask(shape, p, device, like=None):
    """Booleans, True with probability p, from the default generator of `device` (dropout).
    torch draws into `empty_like(like)`: in memory order when `like` (an array) is transposed."""
    perm = None if like is None or device.type != "cpu" else K.dense_order(like)
    return _bernoulli_scalar(_gen(None, device), p, shape, perm)


def _rrelu_slopes(input, lower, upper):
    """rrelu's training slopes for the tensor `input`, as an array: 1 where input > 0, else
    uniform in [lower, upper). On the CPU, torch's _rrelu_with_noise_train: it walks the
    contiguous input and draws one uniform_real_distribution<double> (two 32-bit words) only
    for each element <= 0 (NaN keeps slope 1), so the stream advances by that count."""
    arr, dev = input._data, input._device
    g = _gen(None, dev)
    # the bounds are opmath_t (float for float/half inputs) before widening to double
    wide = np.float64 if arr.dtype == np.float64 else np.float32
    lower, upper = float(wide(lower)), float(wide(upper))
    if dev.type != "cpu":
        u = _uniform(g, arr.shape, D.float64)
        return dev.xp.where(arr > 0, 1.0, u * (upper - lower) + lower).astype(arr.dtype)
    flat = np.ascontiguousarray(arr).reshape(-1)
    neg = flat <= 0
    slopes = np.ones(flat.shape, dtype=np.float64)
    k = int(neg.sum())
    if k:
        slopes[neg] = _u53(g, k) * (upper - lower) + lower
    return slopes.astype(arr.dtype).reshape(arr.shape)


def _exponential(g, shape, lambd, perm=None):
    """float64 Exp(lambd) numbers. On the CPU, torch's exponential_kernel:
    -1 / lambda * log1p(-u) with a double uniform u."""
    if g._device.type != "cpu":
        u = _uniform(g, shape, D.float64)
        return -g._device.xp.log1p(-u) / lambd
    u = _u53(g, _numel(shape))
    vals = (-1.0 / lambd) * K.libm(math.log1p, -u)
    return K.place(vals, shape, perm)


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
        keep = _bernoulli_tensor_p(_gen(generator, dev), probs, probs.shape)
    else:
        keep = _bernoulli_scalar(_gen(generator, dev), float(p), input._data.shape)
    return _out_or_new(keep.astype(dt.np), dt, dev, False, out)


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
    if dev.type == "cpu":
        idx = _cpu_multinomial(g, input, num_samples, replacement)
    elif replacement:
        idx = _sample_with_replacement(g, w / total, rows, num_samples, xp)
    else:
        idx = _sample_without_replacement(g, w, rows, num_samples, xp)
    idx = idx.astype(np.int64)
    if nd == 1:
        idx = idx.reshape(num_samples)
    return _out_or_new(idx, D.int64, dev, False, out)


def _cpu_multinomial(g, input, n, replacement):
    """torch's CPU multinomial (native/Distributions.cpp and cpu/MultinomialKernel.cpp)."""
    data = input._data.reshape(-1, input._data.shape[-1])
    if not replacement or n == 1:
        # the fast path: argmax (or topk) of p / q with q ~ Exp(1) from exponential_ on a
        # tensor like the input, divided in the input's dtype
        q = _exponential(g, data.shape, 1.0).astype(data.dtype)
        keys = data / q
        if n == 1:
            return np.argmax(keys, axis=1)[:, None]
        return np.argsort(-keys, axis=1, kind="stable")[:, :n]
    # with replacement: a cumulative distribution summed in the input's dtype (float for
    # half types), normalised by its total, its last entry set to 1, then for each sample a
    # double uniform and a binary search for the first entry >= it; row after row
    acc = np.float64 if data.dtype == np.float64 else np.float32
    cum = np.cumsum(data.astype(acc), axis=1, dtype=acc)
    cum /= cum[:, -1:]
    cum[:, -1] = 1
    out = np.empty((data.shape[0], n), dtype=np.int64)
    for i in range(data.shape[0]):
        out[i] = np.searchsorted(cum[i].astype(np.float64), _u53(g, n), side="left")
    return out


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


# torch's C++ scalar type names, for its dtype messages
_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
                 "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                 "uint8": "Byte", "bool": "Bool"}


def _scalar_name(dt):
    return _SCALAR_NAMES.get(dt.name, dt.name)


def binomial(count, prob, generator=None):
    """Mirrors `torch.binomial`: Binomial(count, prob) draws in count's dtype. On the CPU,
    torch's _s_binomial_cpu element by element (ember/_cpu_rng.py), so seeded draws are
    torch's."""
    dev = count._device
    if not count._dtype.is_floating_point:
        raise ValueError("binomial only supports floating-point dtypes for count, got: "
                         f"{_scalar_name(count._dtype)}")
    if prob._dtype is not count._dtype:
        raise RuntimeError(f"Found dtype {_scalar_name(prob._dtype)} but expected "
                           f"{_scalar_name(count._dtype)}")
    g = _gen(generator, dev)
    shape = np.broadcast_shapes(count.shape, prob.shape)
    if dev.type == "cpu":
        counts = np.broadcast_to(count._data, shape).astype(np.float64).reshape(-1)
        probs = np.broadcast_to(prob._data, shape).astype(np.float64).reshape(-1)
        arr = K.binomial(g, counts, probs, count._dtype is not D.float64).reshape(shape)
    else:
        xp = dev.xp
        with xp.cuda.Device(dev.index):
            arr = g._cp.binomial(xp.broadcast_to(count._data, shape).astype(np.int64),
                                 xp.clip(xp.broadcast_to(prob._data, shape), 0.0, 1.0))
    return _new_tensor(arr.astype(count._dtype.np), count._dtype, dev)


def standard_gamma_array(alpha, generator=None):
    """Gamma(alpha, 1) draws for the array of a tensor `alpha`, in its dtype: on the CPU,
    torch's _s_gamma_cpu element by element (float32 concentrations use float arithmetic
    where the kernel does), clamped below at the dtype's smallest normal number."""
    dev = alpha._device
    g = _gen(generator, dev)
    npdt = alpha._dtype.np
    if dev.type == "cpu":
        alphas = np.ascontiguousarray(alpha._data, dtype=np.float64).reshape(-1)
        arr = K.gamma(g, alphas, alpha._dtype is not D.float64).astype(npdt)
        return np.maximum(arr, np.finfo(npdt).tiny).reshape(alpha._data.shape)
    xp = dev.xp
    with xp.cuda.Device(dev.index):
        arr = g._cp.standard_gamma(alpha._data.astype(np.float64)).astype(npdt)
    return xp.maximum(arr, np.finfo(npdt).tiny)


def poisson(input, generator=None):
    """Mirrors `torch.poisson`: Poisson counts with the rates in input (same dtype)."""
    dev = input._device
    g = _gen(generator, dev)
    if dev.type == "cpu":
        # torch's _s_poisson_cpu, element by element in the (contiguous) output's order
        rates = np.ascontiguousarray(input._data, dtype=np.float64).reshape(-1)
        arr = K.poisson(g, rates).reshape(input._data.shape)
    else:
        with dev.xp.cuda.Device(dev.index):
            arr = g._cp.poisson(input._data.astype(np.float64))
    return _new_tensor(arr.astype(input._dtype.np), input._dtype, dev)


# ---------------------------------------------------------------- in-place samplers
def _fill_random(self, arr, name):
    """Write sampled values into self (through views), as PyTorch's in-place samplers do;
    `name` is torch's node name for the sampler on a tensor that records a graph."""
    from ._ops._inplace import inplace
    from .autograd.grad_mode import GRAD

    if GRAD.enabled and self._rg:
        # a non-leaf keeps a graph whose gradient is zero (PyTorch's NormalBackward0 & co.)
        sample = _new_tensor(arr, self._dtype, self._device)
        return inplace(self, lambda s: _sampled(sample, s, name=name))
    _write(self, arr)
    return self


def _write(self, arr):
    from ._ops._inplace import bump, check_leaf

    check_leaf(self)
    try:
        self._data[...] = arr
    except ValueError as e:
        # an expanded view: a fill writes every element of the memory underneath (as torch);
        # a sample per element is torch's overlap error
        from ._ops._inplace import overlap_error, writable_view

        w = writable_view(self._data) if not getattr(arr, "shape", ()) else None
        if w is None:
            overlap_error(self._data, e)
            raise
        w[...] = arr
    bump(self)


def _self_gen(self, generator):
    return _gen(generator, self._device)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Mirrors `torch.Tensor.normal_`."""
    _need_float(self._dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_fmt(std)}")
    g = _self_gen(self, generator)
    arr = _normal(g, self._data.shape, self._dtype, mean, std, _perm(self))
    return _fill_random(self, arr, "NormalBackward0")


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
    g = _self_gen(self, generator)
    arr = _uniform(g, self._data.shape, self._dtype, a, b, _perm(self))
    return _fill_random(self, arr, "UniformBackward0")


def bernoulli_(self, p=0.5, *, generator=None):
    """Mirrors `torch.Tensor.bernoulli_` (p a float or a tensor of probabilities)."""
    g = _self_gen(self, generator)
    shape = self._data.shape
    if isinstance(p, Tensor):
        keep = _bernoulli_tensor_p(g, p._data, shape, _perm(self))
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        keep = _bernoulli_scalar(g, float(p), shape, _perm(self))
    return _fill_random(self, keep.astype(self._dtype.np), _bernoulli_name(p))


def _random_default_high(dt):
    # torch's uniform_int_distribution: `random() % (max + 1)` for integers (random64() for
    # int64), `% (2**digits + 1)` for floats (random64() for double), `& 1` for bool: the same
    # numbers as random_(0, high) with these highs
    if dt is D.bool_:
        return 2
    if dt._kind == 1:
        return int(np.iinfo(dt.np).max) + 1
    digits = K.DIGITS.get(dt.name, 24)
    return (1 << digits) + 1


def _random_name(a, b):
    # torch's overloads: random_(from, to), random_(to), random_()
    if a is None:
        return "RandomBackward2"
    return "RandomBackward1" if b is None else "RandomBackward0"


def _bernoulli_name(p):
    # bernoulli_(Tensor p) and bernoulli_(float p)
    return "BernoulliBackward1" if isinstance(p, Tensor) else "BernoulliBackward2"


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
        high = np.iinfo(np.int64).max
    if a is None and g._device.type == "cpu":
        vals = K.uniform_int(g._raw, self._data.size, dt.name, high)
        arr = K.place(vals, self._data.shape, _perm(self))
    else:
        arr = _integers(g, low, high, self._data.shape, _perm(self), dt)
    return _fill_random(self, arr.astype(dt.np), _random_name(a, b))


def exponential_(self, lambd=1.0, *, generator=None):
    """Mirrors `torch.Tensor.exponential_`."""
    if self._dtype._kind < 2:
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution. dtype must be a "
            f"floating point but you specified {_torch_name(self._dtype)}"
        )
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_fmt(lambd)}")
    g = _self_gen(self, generator)
    arr = _exponential(g, self._data.shape, float(lambd), _perm(self))
    return _fill_random(self, arr.astype(self._dtype.np), "ExponentialBackward0")


def geometric_(self, p, *, generator=None):
    """Mirrors `torch.Tensor.geometric_`: trials until the first success (1, 2, ...)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_fmt(p)}")
    g = _self_gen(self, generator)
    xp = self._device.xp
    if g._device.type == "cpu":
        # geometric_kernel: ceil(log(u) / log(1 - p)) with a double uniform u
        u = _u53(g, self._data.size)
        with np.errstate(divide="ignore"):
            k = np.ceil(K.libm(_log0, u) / math.log(1.0 - p))
        return _fill_random(self, K.place(k, self._data.shape, _perm(self))
                            .astype(self._dtype.np), "GeometricBackward0")
    u = _uniform(g, self._data.shape, D.float64)
    k = xp.ceil(xp.log1p(-u) / np.log1p(-p))
    return _fill_random(self, xp.maximum(k, 1).astype(self._dtype.np), "GeometricBackward0")


def _log0(x):
    return math.log(x) if x > 0 else -math.inf


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Mirrors `torch.Tensor.cauchy_`."""
    _need_float(self._dtype, "cauchy_cpu")
    g = _self_gen(self, generator)
    xp = self._device.xp
    if g._device.type == "cpu":
        # cauchy_kernel: median + sigma * tan(pi * (u - 0.5)) with a double uniform u
        u = _u53(g, self._data.size)
        v = median + sigma * K.libm(math.tan, math.pi * (u - 0.5))
        return _fill_random(self, K.place(v, self._data.shape, _perm(self))
                            .astype(self._dtype.np), "CauchyBackward0")
    u = _uniform(g, self._data.shape, D.float64)
    v = median + sigma * xp.tan(np.pi * (u - 0.5))
    return _fill_random(self, v.astype(self._dtype.np), "CauchyBackward0")


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Mirrors `torch.Tensor.log_normal_`: exp of a normal(mean, std)."""
    _need_float(self._dtype, "log_normal_cpu")
    g = _self_gen(self, generator)
    if g._device.type == "cpu":
        # log_normal_kernel: exp of normal_distribution<double>, element by element
        z = K.normal_scalar(g, self._data.size, float(mean), float(std))
        v = K.libm(math.exp, z)
        return _fill_random(self, K.place(v, self._data.shape, _perm(self))
                            .astype(self._dtype.np), "LogNormalBackward0")
    z = _normal(g, self._data.shape, D.float64, mean, std)
    v = self._device.xp.exp(z)
    return _fill_random(self, v.astype(self._dtype.np), "LogNormalBackward0")


def fill_(self, value):
    """Mirrors `torch.Tensor.fill_` (value a number or a 0-d tensor, which gets the gradient)."""
    return _fill(self, value, "FillBackward2")


def _fill(self, value, name):
    """fill_ (and zero_): `name` is torch's node name when a graph is recorded."""
    from ._ops._inplace import inplace, is_expanded, overlap_error
    from .autograd.grad_mode import GRAD

    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value._data.ndim} dimensions."
            )
        if is_expanded(self._data):
            # a tensor value goes through copy_, which refuses an expanded destination
            overlap_error(self._data, ValueError("read-only"))
        if GRAD.enabled and (self._rg or value._rg):
            return inplace(self, lambda s, v: _sampled(v.to(s._dtype).expand(s.shape), s,
                                                       name="FillBackward3"), value)
        # a tensor's value is cast (wrapping as a tensor cast does), never range-checked
        if value._dtype is not self._dtype:
            value = value.to(self._dtype)
        value = value._data.item()
    else:
        # torch's checked Scalar conversion: its error for a value out of range
        value = D.check_scalar(value, self._dtype)
        if value.__class__ is complex and not self._dtype.is_complex:
            value = bool(value)
    if GRAD.enabled and self._rg:
        from ._creation import full

        if is_expanded(self._data):
            overlap_error(self._data, ValueError("read-only"))
        filled = full(self._data.shape, value, dtype=self._dtype, device=self._device)
        return inplace(self, lambda s: _sampled(filled, s, name=name))
    _write(self, value)
    return self


def zero_(self):
    """Mirrors `torch.Tensor.zero_`."""
    if not self._rg and self._data.__class__ is np.ndarray:
        # the usual call (a gradient, a buffer, a state): fill the array in place and count a
        # new version, without fill_'s general checks (5 us against torch's 1.8)
        try:
            self._data.fill(0)
        except ValueError:
            # read-only memory (an expanded view): fill_ raises torch's error
            return _fill(self, 0, "ZeroBackward0")
        v = self._vc
        if v is None:
            v = self._vc = [0]
        v[0] += 1
        return self
    return _fill(self, 0, "ZeroBackward0")


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
