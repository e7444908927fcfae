"""PyTorch's CPU random kernels reproduced in NumPy, so that a seeded ember program draws the
numbers torch draws.

Torch's CPU generator (aten/src/ATen/CPUGeneratorImpl.cpp) is a Mersenne Twister (mt19937)
seeded with init_genrand on the low 32 bits of the seed: exactly NumPy's `MT19937` with its
legacy seeding, whose `random_raw(n)` gives the same 32-bit outputs, vectorised. Every function
here takes such raw outputs from `Generator._raw` and applies the transformation of one torch
kernel; each says which. Numbers come out in the order torch's TensorIterator walks the tensor
(memory order); `place` puts them into a tensor of any layout.

Floating-point details that matter for bit equality (all checked against torch 2.13's wheel in
tests/test_torch_rng.py):
- torch's x86 kernels are compiled with GCC and -mfma, and GCC contracts `a * b + c` into one
  fused multiply-add, so `uniform_`'s `x * (to - from) + from`, the scalar normal's
  `val * std + mean`, and the polynomial steps of avx_mathfun.h are FMAs: `fma32`/`fma64`.
- float64 kernels call glibc's log/log1p/tan/exp (NumPy's SIMD versions differ in the last bit
  for about 1 value in 300), so those go through Python's `math` (the same libm): `libm`.
"""

import math
import platform

import numpy as np

# torch picks its AVX2 kernel for normal_ on x86 CPUs (the AVX512 build deliberately has no
# normal_ kernel and falls back to AVX2); elsewhere it runs the scalar normal_fill
AVX2 = platform.machine().lower() in ("x86_64", "amd64")

_U32 = np.uint64(32)
_M53 = np.uint64((1 << 53) - 1)


# ---------------------------------------------------------------- exact arithmetic helpers
def libm(fn, x):
    """fn (a `math` function, i.e. glibc's) applied to every element of a float64 array."""
    flat = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    return np.fromiter(map(fn, flat.tolist()), np.float64, flat.size).reshape(np.shape(x))


def fma32(a, b, c):
    """float32 fused multiply-add a * b + c, rounded once.

    The product of two floats is exact in float64, so `a * b + c` in float64 has one rounding
    before the rounding to float32; the two roundings can only disagree with a single one when
    the float64 sum lands exactly halfway between two floats: only those few elements get the
    exact remainder (TwoSum) and are nudged towards it."""
    p = np.multiply(a, b, dtype=np.float64)
    s = np.add(p, c, dtype=np.float64)
    # 29 bits separate float64's mantissa from float32's: exactly 100...0 is a halfway case
    tie = (s.view(np.int64) & 0x1FFFFFFF) == 0x10000000
    if tie.any():
        cc = np.broadcast_to(np.asarray(c, np.float64), s.shape)[tie]
        pp, ss = np.broadcast_to(p, s.shape)[tie], s[tie]
        bp = ss - pp
        err = (pp - (ss - bp)) + (cc - bp)  # ss + err == pp + cc exactly
        s[tie] = np.where(err == 0, ss, np.nextafter(ss, np.where(err > 0, np.inf, -np.inf)))
    return s.astype(np.float32)


def _split(x):
    # Veltkamp: x == hi + lo with both halves of 26 bits, so their products are exact
    t = 134217729.0 * x
    hi = t - (t - x)
    return hi, x - hi


def fma64(a, b, c):
    """float64 fused multiply-add a * b + c (Dekker's exact product and a TwoSum; correctly
    rounded except when the tiny remainder decides a tie, which practically never happens)."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl  # p + e == a * b exactly
    s = p + c
    bp = s - p
    t = (p - (s - bp)) + (c - bp)  # s + t == p + c exactly
    return s + (t + e)


# ---------------------------------------------------------------- raw draws -> numbers
def random64(raw):
    """CPUGeneratorImpl::random64: two draws, the first one the high half."""
    r = raw.reshape(-1, 2)
    return (r[:, 0] << _U32) | r[:, 1]


def uniform_bits(raw, digits):
    """transformation::uniform_real's x: the low `digits` bits of a draw times 2**-digits
    (exact in float32 for 24 bits or fewer, in float64 for 53)."""
    if digits == 53:
        return (raw & _M53).astype(np.float64) * 2.0**-53
    return (raw & np.uint64((1 << digits) - 1)).astype(np.float32) * np.float32(2.0**-digits)


# float16 and bfloat16 keep 11 and 8 bits (std::numeric_limits<T>::digits)
DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}


def uniform(draw, n, dt, low, high):
    """uniform_kernel (cpu/DistributionTemplates.h): uniform_real_distribution<scalar_t>, i.e.
    `x * (to - from) + from` in scalar_t's accumulate type (float32 below float64), FMA'd."""
    digits = DIGITS.get(dt.name, 24)
    if digits == 53:
        x = uniform_bits(random64(draw(2 * n)), 53)
        if low == 0.0 and high == 1.0:
            return x
        return fma64(x, high - low, low)
    x = uniform_bits(draw(n), digits)
    if low == 0.0 and high == 1.0:
        return x
    narrow = dt.np if digits < 24 else np.float32
    lo = np.float32(narrow(low))
    hi = np.float32(narrow(high))
    # `to - from` is computed in scalar_t (rounded to half for float16)
    span = np.float32(narrow(hi - lo))
    return fma32(x, span, lo)


# ---------------------------------------------------------------- normal
def normal_scalar(g, n, mean, std):
    """normal_distribution<double> (core/DistributionsHelper.h), one element at a time: a
    Box-Muller pair from two double uniforms gives r*cos (returned) and r*sin (cached in the
    generator and returned by the next call, even by a later op)."""
    out = np.empty(n, np.float64)
    i = 0
    if n and g._next_double is not None:
        out[0] = g._next_double
        g._next_double = None
        i = 1
    m = n - i
    pairs = (m + 1) // 2
    if pairs:
        u = uniform_bits(random64(g._raw(4 * pairs)), 53).reshape(pairs, 2)
        r = np.sqrt(-2.0 * libm(math.log1p, -u[:, 1]))
        theta = (2.0 * math.pi) * u[:, 0]
        vals = np.empty((pairs, 2))
        vals[:, 0] = r * np.cos(theta)
        vals[:, 1] = r * np.sin(theta)
        flat = vals.reshape(-1)
        out[i:] = flat[:m]
        if m % 2:
            g._next_double = float(flat[m])
    if mean != 0.0 or std != 1.0:
        out = fma64(out, std, mean)  # transformation::normal: val * std + mean
    return out


def _blocks(draw16, n):
    """normal_fill's uniforms: n of them, then the last 16 drawn afresh when n % 16 != 0 (the
    tail block overlaps the last full one and is recomputed)."""
    u = draw16(n)
    if n % 16:
        return u, draw16(16)
    return u, None


def _fill(u, tail, n, block):
    out = np.empty(n, u.dtype)
    full = n - n % 16
    out[:full] = block(u[:full].reshape(-1, 16)).reshape(-1)
    if tail is not None:
        out[n - 16:] = block(tail.reshape(1, 16)).reshape(-1)
    return out


def normal_fill64(g, n, mean, std):
    """normal_fill<double>: Box-Muller on blocks of 16 uniforms, pairs (j, j + 8)."""
    u, tail = _blocks(lambda k: uniform_bits(random64(g._raw(2 * k)), 53), n)

    def block(b):
        radius = np.sqrt(-2.0 * libm(math.log, 1.0 - b[:, :8]))
        theta = (2.0 * math.pi) * b[:, 8:]
        out = np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1)
        return fma64(out, std, mean) if (mean != 0.0 or std != 1.0) else out

    return _fill(u, tail, n, block)


def normal_fill32(g, n, mean, std):
    """normal_fill_AVX2 (float32, x86): Box-Muller on blocks of 16 float uniforms with the
    Cephes-style log256_ps and sincos256_ps of avx_mathfun.h, then fmadd(n, std, mean)."""
    if not AVX2:
        return normal_fill_generic(g, n, mean, std, np.float32)
    u, tail = _blocks(lambda k: uniform_bits(g._raw(k), 24), n)
    mean32 = np.float32(mean)
    std32 = np.float32(std)

    def block(b):
        radius = np.sqrt(np.float32(-2.0) * (_log256(np.float32(1.0) - b[:, :8])))
        s, c = _sincos256(np.float32(2.0 * math.pi) * b[:, 8:])
        out = np.concatenate([radius * c, radius * s], axis=1)
        if mean != 0.0 or std != 1.0:
            out = fma32(out, std32, mean32)
        return out

    return _fill(u, tail, n, block)


def normal_fill_generic(g, n, mean, std, np_dtype, digits=24):
    """normal_fill<scalar_t> for float32 without AVX2, float16 and bfloat16: the same blocks
    with the C library's float functions (NumPy's float32 ones: close, not bit-exact)."""
    u, tail = _blocks(lambda k: uniform_bits(g._raw(k), digits), n)

    def block(b):
        b = b.astype(np.float32)
        radius = np.sqrt(np.float32(-2.0) * np.log(np.float32(1.0) - b[:, :8]))
        theta = (np.float32(2.0 * math.pi) * b[:, 8:]).astype(np.float32)
        out = np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1)
        return out * np.float32(std) + np.float32(mean)

    return _fill(u, tail, n, block).astype(np_dtype)


def _c(v):
    return np.float32(v)


def _log256(x):
    """log256_ps of avx_mathfun.h, step by step in float32 (GCC fuses each `y * x + p`)."""
    invalid = x <= 0
    x = np.maximum(x, np.array(0x00800000, np.int32).view(np.float32))
    xi = x.view(np.int32)
    e = ((xi >> 23) - 0x7F).astype(np.float32) + _c(1.0)
    # keep the mantissa, exponent of 0.5: x in [0.5, 1)
    x = ((xi & ~0x7F800000) | np.float32(0.5).view(np.int32)).view(np.float32)
    mask = x < _c(0.707106781186547524)
    x = (x - _c(1.0)) + np.where(mask, x, _c(0.0))
    e = e - mask.astype(np.float32)
    z = x * x
    y = np.full_like(x, _c(7.0376836292e-2))
    for p in (-1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
              -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1):
        y = fma32(y, x, _c(p))
    y = y * x
    y = fma32(y, z, e * _c(-2.12194440e-4))
    y = y - z * _c(0.5)
    x = fma32(e, _c(0.693359375), x + y)
    return np.where(invalid, np.float32(np.nan), x)


def _sincos256(x):
    """sincos256_ps of avx_mathfun.h (Cephes sinf/cosf, both polynomials on each lane)."""
    sign_sin = np.signbit(x)
    x = np.abs(x)
    j = (x * _c(1.27323954473516)).astype(np.int32)  # 4 / pi, truncated
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    swap_sin = (j & 4) != 0
    poly = (j & 2) == 0
    # extended-precision reduction x - y * pi/4 in three pieces
    x = fma32(y, _c(-0.78515625), x)
    x = fma32(y, _c(-2.4187564849853515625e-4), x)
    x = fma32(y, _c(-3.77489497744594108e-8), x)
    sign_cos = (~(j - 2) & 4) != 0
    sign_sin = sign_sin ^ swap_sin
    z = x * x
    yc = fma32(_c(2.443315711809948e-005), z, _c(-1.388731625493765e-003))
    yc = fma32(yc, z, _c(4.166664568298827e-002))
    yc = yc * z
    yc = fma32(yc, z, -(z * _c(0.5)))
    yc = yc + _c(1.0)
    ys = fma32(_c(-1.9515295891e-4), z, _c(8.3321608736e-3))
    ys = fma32(ys, z, _c(-1.6666654611e-1))
    ys = ys * z
    ys = fma32(ys, x, x)
    s = np.where(poly, ys, yc)
    c = np.where(poly, yc, ys)
    return np.where(sign_sin, -s, s), np.where(sign_cos, -c, c)


# ---------------------------------------------------------------- integers
def from_to(draw, n, low, high, float32=False):
    """random_from_to_kernel: `random() % range + from`, random64() when range >= 2**28
    (uniform_int_from_to_distribution bounds the modulo skew so; measured on torch 2.13; for
    float32 outputs random64() only from 2**32 on)."""
    rng = high - low
    if rng >= 1 << (32 if float32 else 28):
        v = random64(draw(2 * n)) % np.uint64(rng)
    else:
        v = draw(n) % np.uint64(rng)
    return v.astype(np.int64) + np.int64(low)


def uniform_int(draw, n, name, high):
    """random_kernel (random_() without bounds): uniform_int_distribution<T> takes random64()
    for int64 and double, random() for every other type, modulo `high` (max + 1 for integers,
    2**digits + 1 for floats; `& 1` for bool is the same as % 2)."""
    if name in ("int64", "float64"):
        v = random64(draw(2 * n)) % np.uint64(high)
    else:
        v = draw(n) % np.uint64(high)
    return v.astype(np.int64)


def randperm(draw, n):
    """randperm_cpu (native/TensorFactories.cpp): Fisher-Yates swapping position i with
    i + random() % (n - i); for n >= 2**32 / 20 the random64() variant that fills as it goes."""
    if n < (1 << 32) // 20:
        if n < 2:
            return np.arange(n, dtype=np.int64)
        z = (draw(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        r = list(range(n))
        for i, k in enumerate(z):
            k += i
            r[i], r[k] = r[k], r[i]
        return np.array(r, dtype=np.int64)
    r = np.empty(n, dtype=np.int64)
    z = (random64(draw(2 * n)) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
    for i, k in enumerate(z):
        r[i] = r[k]
        r[k] = i
    return r


# ---------------------------------------------------------------- layouts
def order(arr):
    """The axes of a destination array from outermost to innermost as torch's TensorIterator
    walks them (memory order), or None when it is C-contiguous."""
    if arr.flags.c_contiguous or arr.ndim < 2:
        return None
    st = arr.strides
    return sorted(range(arr.ndim), key=lambda d: -abs(st[d]))


def dense_order(arr):
    """The walk order of torch's `empty_like(t)` (preserve_format) for a tensor laid out like
    `arr`: t's own stride order when t is non-overlapping and dense (a transposed or
    channels-last tensor), else None (a contiguous copy, e.g. for a sliced tensor with gaps).
    Dropout masks and rand_like/randn_like draw into such a tensor in memory order."""
    if arr.flags.c_contiguous or arr.ndim < 2 or arr.size == 0:
        return None
    expected = arr.itemsize
    for d in sorted(range(arr.ndim), key=lambda d: abs(arr.strides[d])):
        if arr.shape[d] == 1:
            continue
        if arr.strides[d] != expected:
            return None
        expected *= arr.shape[d]
    return order(arr)


def place(vals, shape, perm):
    """Numbers drawn in the order `perm` walks a tensor of `shape`, as an array of `shape`."""
    if perm is None:
        return vals.reshape(shape)
    walked = vals.reshape([shape[d] for d in perm])
    return walked.transpose(np.argsort(perm))


# ---------------------------------------------------------------- serial samplers
# gamma, poisson and binomial (native/Distributions.cpp and Distributions.h) run element by
# element (cpu_serial_kernel) with rejection loops, so the number of draws per element is
# data-dependent: these take Python floats one at a time from the generator. The kernels are
# compiled without -mfma (Distributions.cpp is not a per-CPU kernel file), so plain Python
# double arithmetic, in the C++ evaluation order, reproduces them.
_F32 = np.float32
_THIRD32 = float(_F32(1.0) / _F32(3.0))  # `1.0f / 3.0f`, a float constant even for double
_C0331 = float(_F32(0.0331))  # `0.0331f`


class _Scalars:
    """uniform_real_distribution<double> and normal_distribution<double> one at a time from a
    generator (the normal shares the generator's cached second Box-Muller value).

    Asking the generator for each word costs more than the sampler's arithmetic, so after
    the first few hundred words (saving and restoring the generator's state costs about as
    much) words come from a buffer read ahead; `close` rewinds the generator and advances it
    by exactly the words used, leaving it where torch's would be."""

    __slots__ = ("buf", "g", "pos", "start", "used")

    # words read one by one before the read-ahead buffer pays for its state save/restore
    DIRECT = 512

    def __init__(self, g):
        self.g = g
        self.buf = []
        self.pos = 0  # the next word's index in buf
        self.used = 0  # words taken in all (from the saved state on, once buffering)
        self.start = None  # the generator's state where buffering started

    def _word(self):
        if self.pos == len(self.buf):
            if self.start is None:
                if self.used < self.DIRECT:
                    self.used += 1
                    return int(self.g._raw(1)[0])
                self.start = self.g._mt.state
                self.used = 0
            self.buf = self.g._raw(1024).tolist()
            self.pos = 0
        self.pos += 1
        self.used += 1
        return self.buf[self.pos - 1]

    def close(self):
        if self.start is not None:
            self.g._mt.state = self.start
            self.g._raw(self.used)
            self.start = None

    def uniform(self):
        hi = self._word()
        return ((hi << 32 | self._word()) & ((1 << 53) - 1)) * 2.0**-53

    def normal(self):
        g = self.g
        if g._next_double is not None:
            v = g._next_double
            g._next_double = None
            return v
        u1 = self.uniform()
        u2 = self.uniform()
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        g._next_double = r * math.sin(theta)
        return r * math.cos(theta)

    def run(self, one, *columns):
        """`one(self, *values)` for each row of `columns` (lists), as a float64 array."""
        try:
            return np.array([one(self, *v) for v in zip(*columns)], dtype=np.float64)
        finally:
            self.close()


def _gamma_one(s, alpha, single):
    """sample_gamma<scalar_t, double> (Marsaglia and Tsang) for one concentration; `single`:
    scalar_t is float, whose arithmetic on alpha happens in float32."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0.0:
            return 0.0
        inv = float(_F32(1.0) / _F32(alpha)) if single else 1.0 / alpha
        scale *= math.pow(1 - s.uniform(), inv)
        alpha = float(_F32(alpha) + _F32(1.0)) if single else alpha + 1.0
    d = float(_F32(alpha) - _F32(_THIRD32)) if single else alpha - _THIRD32
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = s.normal()
            y = 1.0 + c * x
            if y > 0:
                break
        v = y * y * y
        u = 1 - s.uniform()
        xx = x * x
        if u < 1.0 - _C0331 * xx * xx:
            return scale * d * v
        if math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def gamma(g, alphas, single):
    """_s_gamma_cpu / _s_dirichlet_cpu's gamma step: Gamma(alpha, 1) for each of `alphas` (a
    float64 array in iteration order), as float64 values before the cast to scalar_t."""
    return _Scalars(g).run(lambda s, a: _gamma_one(s, a, single), alphas.tolist())


def _poisson_one(s, lam):
    """sample_poisson: Hoermann's transformed rejection from rate 10 on, else products of
    uniforms against exp(-rate)."""
    if lam >= 10:
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            U = s.uniform() - 0.5
            V = s.uniform()
            us = 0.5 - abs(U)
            k = math.floor((2 * a / us + b) * U + lam + 0.43)
            if us >= 0.07 and V <= vr:
                return k
            if k < 0 or (us < 0.013 and V > us):
                continue
            if (math.log(V) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - math.lgamma(k + 1.0)):
                return k
    if lam == 0 or math.isnan(lam):
        return 0
    enlam = math.exp(-lam)
    x = 0
    prod = 1.0
    while True:
        prod *= s.uniform()
        if prod > enlam:
            x += 1
        else:
            return x


def poisson(g, rates):
    """_s_poisson_cpu: a Poisson count for each of `rates` (float64, iteration order)."""
    if (rates < 0).any():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    return _Scalars(g).run(_poisson_one, rates.tolist())


# stirling_approx_tail's table for k <= 9
_STIRLING_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983,
                  0.02079067210376509, 0.0166446911898211, 0.0138761288230707,
                  0.0118967099458917, 0.0104112652619720, 0.00925546218271273,
                  0.00833056343336287)


def _stirling_tail(k):
    if k <= 9:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


class _Arith:
    """scalar_t arithmetic for the binomial sampler: float32 rounding after each step for a
    float tensor (std::sqrt / std::log1p of a float are the float functions), none for
    double."""

    def __init__(self, single):
        self.r = (lambda v: float(_F32(v))) if single else float

    def sqrt(self, v):
        return self.r(math.sqrt(v))

    def log1p(self, v):
        return self.r(math.log1p(v))


def _btrs(s, t, count, prob):
    """btrs: Hormann's transformed rejection with squeeze for count * prob >= 10."""
    r_ = t.r
    stddev = t.sqrt(r_(r_(count * prob) * r_(1 - prob)))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = r_(count * prob) + 0.5
    v_r = 0.92 - 4.2 / b
    r = r_(prob / r_(1 - prob))
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor(r_((count + 1) * prob))
    while True:
        U = s.uniform() - 0.5
        V = s.uniform()
        us = 0.5 - abs(U)
        k = r_(math.floor((2 * a / us + b) * U + c))
        if k < 0 or k > count:
            continue
        if us >= 0.07 and V <= v_r:
            return k
        V = math.log(V * alpha / (a / (us * us) + b))
        upper = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / r_(r_(count - k) + 1))
                 + (k + 0.5) * math.log(r * r_(r_(count - k) + 1) / r_(k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        if V <= upper:
            return k


def _inversion(s, t, count, prob):
    """binomial_inversion: count geometric gaps until they pass `count`."""
    geom_sum = 0.0
    num_geom = 0.0
    logprob = t.log1p(-prob)
    while True:
        geom = math.ceil(math.log(s.uniform()) / logprob)
        geom_sum += geom
        if geom_sum > count:
            return num_geom
        num_geom += 1


def _binomial_one(s, t, count, prob):
    """sample_binomial: btrs or inversion on the smaller of prob and 1 - prob."""
    if count <= 0.0 or prob <= 0.0:
        return 0.0
    if prob >= 1.0:
        return count
    if prob <= 0.5:
        if t.r(count * prob) >= 10.0:
            return _btrs(s, t, count, prob)
        return _inversion(s, t, count, prob)
    if prob > 0.5:
        q = t.r(1.0 - prob)
        if t.r(count * q) >= 10.0:
            return count - _btrs(s, t, count, q)
        return count - _inversion(s, t, count, q)
    return math.nan


def binomial(g, counts, probs, single):
    """_s_binomial_cpu: a Binomial(count, prob) draw for each pair (float64 arrays of one
    shape, iteration order); `single`: the tensors are float32."""
    t = _Arith(single)
    return _Scalars(g).run(lambda s, c, p: _binomial_one(s, t, c, p), counts.tolist(),
                           probs.tolist())
