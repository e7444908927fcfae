"""Float64 kernels of the gamma-family, Bessel and incomplete gamma functions, on NumPy
arrays (or any array module `xp` with NumPy's API). ember/_ops/special_fns.py registers the
ops built on them; see its docstring for the methods and their accuracy.

The kernels take and return float64 arrays of one dimension (callers flatten and round).
"""

import math

_EULER = 0.57721566490153286061
_LOG_PI = math.log(math.pi)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


# ================================================================ constants
def _bernoulli_numbers(n):
    """B_0 .. B_n as exact fractions (B_1 = -1/2), from sum_k C(m+1, k) B_k = 0."""
    from fractions import Fraction

    b = [Fraction(1)]
    for m in range(1, n + 1):
        s = Fraction(0)
        c = 1  # C(m + 1, k), updated along k
        for k in range(m):
            s += c * b[k]
            c = c * (m + 1 - k) // (k + 1)
        b.append(-s / (m + 1))
    return b


class _Series:
    """Series coefficients, computed on first use (exact rationals cost ~20 ms: not at
    import time)."""

    def __init__(self):
        self._ready = False

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        self._fill()
        return self.__dict__[name]

    def _fill(self):
        b = _bernoulli_numbers(30)
        # Stirling: lgamma(y) ~ (y - 1/2) log y - y + log(2 pi)/2 + sum B_2k / (2k(2k-1) y^(2k-1))
        self.lgamma_stirling = tuple(float(b[2 * k] / (2 * k * (2 * k - 1))) for k in range(1, 9))
        # digamma(y) ~ log y - 1/(2y) - sum_k B_2k / (2k y^(2k))
        self.digamma_stirling = tuple(float(b[2 * k] / (2 * k)) for k in range(1, 9))
        # Euler-Maclaurin terms of the Hurwitz zeta function: B_2j / (2j)!
        self.em = tuple(float(b[2 * j] / math.factorial(2 * j)) for j in range(1, 16))


_SERIES = _Series()

_LGAMMA_SERIES = None  # filled on first use (see _series_coefs)


def _zeta_minus_one(s):
    """zeta(s) - 1 for an integer s >= 2, in float64: a direct sum and Euler-Maclaurin's tail."""
    n = 10
    head = sum(k ** -float(s) for k in range(2, n))
    return head + _zeta_tail_scalar(s, float(n))


def _zeta_tail_scalar(s, y):
    # zeta(s, y) ~ y^(1-s)/(s-1) + y^-s/2 + sum_j B_2j/(2j)! s(s+1)...(s+2j-2) y^(-s-2j+1)
    ys = y ** -float(s)
    total = ys * y / (s - 1) + 0.5 * ys
    rising = float(s)
    term = ys / y
    for j, c in enumerate(_SERIES.em, start=1):
        total += c * rising * term
        rising *= (s + 2 * j - 1) * (s + 2 * j)
        term /= y * y
    return total


def _series_coefs():
    """Horner coefficients (highest power first) of lgamma(2 + z) / z for |z| <= 1/2.

    lgamma(2 + z) = (1 - gamma) z + sum_{k>=2} (-1)^k (zeta(k) - 1) z^k / k: the log(1 + z)
    that lgamma(1 + z)'s series would carry is already summed out, so the terms shrink like
    (z/2)^k and 30 of them reach float64's precision at |z| = 1/2.
    """
    global _LGAMMA_SERIES
    if _LGAMMA_SERIES is None:
        c = [1.0 - _EULER]
        for k in range(2, 32):
            c.append((-1) ** k * _zeta_minus_one(k) / k)
        _LGAMMA_SERIES = tuple(c[::-1])
    return _LGAMMA_SERIES


def _horner(coefs, z):
    r = coefs[0] + 0.0 * z
    for c in coefs[1:]:
        r = r * z + c
    return r


def _cot_derivative_polys(n):
    """Integer coefficients (lowest power first) of P_n with d^n/dx^n cot(pi x) = pi^n P_n(c),
    c = cot(pi x): P_0(c) = c and P_(k+1)(c) = -(1 + c^2) P_k'(c), since cot' = -(1 + cot^2)."""
    p = [0, 1]
    for _ in range(n):
        d = [i * p[i] for i in range(1, len(p))]  # P'
        q = [0] * (len(d) + 2)
        for i, v in enumerate(d):
            q[i] -= v
            q[i + 2] -= v
        p = q
    return p


# ================================================================ float64 kernels (CPU)
def _sinpi_frac(xp, x):
    # x - round(x) is exact, and sin(pi r), tan(pi r) with |r| <= 1/2 keep their accuracy where
    # sin(pi x) for large x would not
    return x - xp.round(x)


def _lgamma_pos(xp, x):
    """lgamma for x > 0 (and +inf, nan)."""
    out = xp.empty_like(x)
    coefs = _series_coefs()
    # x < 0.5: lgamma(x) = lgamma(1 + x) - log x, with 1 + x in [1, 1.5)
    m = x < 0.5
    if m.any():
        z = x[m]
        out[m] = _lg1(xp, z, coefs) - xp.log(z)
    # [0.5, 1.5): lgamma(x) = lgamma(2 + z) - log1p(z), z = x - 1
    m = (x >= 0.5) & (x < 1.5)
    if m.any():
        out[m] = _lg1(xp, x[m] - 1.0, coefs)
    # [1.5, 2.5): the series itself
    m = (x >= 1.5) & (x < 2.5)
    if m.any():
        z = x[m] - 2.0
        out[m] = z * _horner(coefs, z)
    # [2.5, 12): down to [1.5, 2.5) with lgamma(x) = lgamma(x - 1) + log(x - 1); both parts are
    # positive, so nothing cancels
    m = (x >= 2.5) & (x < 12.0)
    if m.any():
        y = x[m]
        prod = xp.ones_like(y)
        for _ in range(10):
            step = y >= 2.5
            y = xp.where(step, y - 1.0, y)
            prod = xp.where(step, prod * y, prod)
        z = y - 2.0
        out[m] = z * _horner(coefs, z) + xp.log(prod)
    # 12 and up (and inf): Stirling, (y - 1/2) log y - y written so that nothing overflows
    # before the result does
    m = ~(x < 12.0)
    if m.any():
        y = x[m]
        inv = 1.0 / y
        corr = inv * _horner(_SERIES.lgamma_stirling[::-1], inv * inv)
        out[m] = (y - 0.5) * (xp.log(y) - 1.0) + (_HALF_LOG_2PI - 0.5) + corr
    return out


def _lg1(xp, z, coefs):
    # lgamma(1 + z) = lgamma(2 + z) - log1p(z), for |z| <= 1/2
    return z * _horner(coefs, z) - xp.log1p(z)


def _lgamma64(xp, x):
    out = xp.empty_like(x)
    neg = x < 0
    pos = ~neg
    out[pos] = _lgamma_pos(xp, x[pos])
    if neg.any():
        xn = x[neg]
        r = _sinpi_frac(xp, xn)
        # reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
        val = _LOG_PI - xp.log(xp.abs(xp.sin(math.pi * r))) - _lgamma_pos(xp, 1.0 - xn)
        # poles (negative integers, -inf) are +inf, as in PyTorch
        out[neg] = xp.where((r == 0) | xp.isinf(xn), math.inf, val)
    out[x == 0] = math.inf
    return out


def _shift_up(xp, x, limit, step):
    """Move x (> 0) up by whole steps until x >= limit; `step(acc, y)` accumulates each y."""
    y = x
    acc = None
    while True:
        m = y < limit
        if not m.any():
            return y, acc
        acc = step(acc, y, m)
        y = xp.where(m, y + 1.0, y)


def _digamma_pos(xp, x):
    def step(acc, y, m):
        inc = xp.where(m, 1.0 / y, 0.0)
        return inc if acc is None else acc + inc

    y, acc = _shift_up(xp, x, 12.0, step)
    inv2 = 1.0 / (y * y)
    val = xp.log(y) - 0.5 / y - inv2 * _horner(_SERIES.digamma_stirling[::-1], inv2)
    return val if acc is None else val - acc


def _digamma64(xp, x):
    out = xp.empty_like(x)
    neg = x < 0
    pos = ~neg
    out[pos] = _digamma_pos(xp, x[pos])
    if neg.any():
        xn = x[neg]
        r = _sinpi_frac(xp, xn)
        # reflection: digamma(1 - x) - digamma(x) = pi cot(pi x)
        val = _digamma_pos(xp, 1.0 - xn) - math.pi / xp.tan(math.pi * r)
        # negative integers and -inf give nan in PyTorch
        out[neg] = xp.where(r == 0, math.nan, val)
    # PyTorch: digamma(+0) = -inf, digamma(-0) = +inf
    zero = x == 0
    out[zero] = xp.where(xp.signbit(x[zero]), math.inf, -math.inf)
    return out


def _zeta_pos(xp, s, q):
    """Hurwitz zeta(s, q) for an integer s >= 2 and q > 0 (nan passes through)."""
    limit = 12.0 + s

    def step(acc, y, m):
        inc = xp.where(m, y ** -float(s), 0.0)
        return inc if acc is None else acc + inc

    y, acc = _shift_up(xp, q, limit, step)
    inv = 1.0 / y
    # y^(1-s) leads, so that a huge y underflows only where the result does
    ys1 = y ** (1.0 - s)
    # the Euler-Maclaurin terms as a polynomial in 1/y^2, highest power first
    coefs = []
    rising = float(s)
    for j, c in enumerate(_SERIES.em, start=1):
        coefs.append(c * rising)
        rising *= (s + 2 * j - 1) * (s + 2 * j)
    tail = ys1 * (1.0 / (s - 1) + inv * (0.5 + inv * _horner(coefs[::-1], inv * inv)))
    return tail if acc is None else acc + tail


def _factorial(n):
    return float(math.factorial(n)) if n <= 170 else math.inf


def _polygamma_pos(xp, n, x):
    # polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x)
    sign = 1.0 if n % 2 else -1.0
    return (sign * _factorial(n)) * _zeta_pos(xp, n + 1, x)


def _polygamma64(xp, n, x):
    out = xp.empty_like(x)
    neg = x < 0
    pos = ~neg
    out[pos] = _polygamma_pos(xp, n, x[pos])
    if neg.any():
        xn = x[neg]
        r = _sinpi_frac(xp, xn)
        # reflection, differentiated n times:
        # polygamma(n, x) = (-1)^n polygamma(n, 1 - x) - pi d^n/dx^n cot(pi x)
        c = 1.0 / xp.tan(math.pi * r)
        poly = _cot_derivative_polys(n)
        p = _horner(tuple(float(v) for v in poly[::-1]), c)
        refl = (-1.0) ** n * _polygamma_pos(xp, n, 1.0 - xn) - math.pi ** (n + 1) * p
        out[neg] = xp.where(r == 0, (1.0 if n % 2 else -1.0) * math.inf, refl)
    return _polygamma_edges(xp, n, x, out)


def _polygamma_edges(xp, n, x, out):
    # PyTorch's values at the infinities (its series gives these, though the limit at +inf is
    # 0) and at 0, where the pole's sign is that of n! zeta(n + 1, x) (-1)^(n+1)
    sign = 1.0 if n % 2 else -1.0
    out = xp.where(x == math.inf, 0.0 if n == 1 else math.nan, out)
    out = xp.where(x == -math.inf, math.nan if n == 1 else sign * math.inf, out)
    return xp.where(x == 0, sign * math.inf, out)


def _bessel_series_coefs(order, terms):
    # sum_k t^k / (k! (k + order)!), highest power first (Horner in t = x^2 / 4)
    return tuple(1.0 / (math.factorial(k) * math.factorial(k + order))
                 for k in range(terms - 1, -1, -1))


def _bessel_asym_coefs(order, terms):
    # e^-x I_v(x) ~ (2 pi x)^-1/2 sum_k (-1)^k a_k / x^k, a_k = prod_j (4v^2 - (2j-1)^2) / (k! 8^k)
    mu = 4.0 * order * order
    out = [1.0]
    a = 1.0
    for k in range(1, terms):
        a *= -(mu - (2 * k - 1) ** 2) / (k * 8.0)
        out.append(a)
    return tuple(out[::-1])


_BESSEL_SWITCH = 20.0
_I0_SERIES = _bessel_series_coefs(0, 40)
_I1_SERIES = _bessel_series_coefs(1, 40)
_I0_ASYM = _bessel_asym_coefs(0, 40)
_I1_ASYM = _bessel_asym_coefs(1, 40)


def _bessel64(xp, x, order, scaled):
    """I0 or I1 of x (exponentially scaled: e^-|x| I(x) when `scaled`)."""
    ax = xp.abs(x)
    out = xp.empty_like(x)
    small = ax < _BESSEL_SWITCH
    if small.any():
        a = ax[small]
        t = 0.25 * a * a
        if order == 0:
            v = _horner(_I0_SERIES, t)
        else:
            v = 0.5 * a * _horner(_I1_SERIES, t)
        out[small] = v * xp.exp(-a) if scaled else v
    big = ~small
    if big.any():
        a = ax[big]
        s = _horner(_I0_ASYM if order == 0 else _I1_ASYM, 1.0 / a) * (_INV_SQRT_2PI / xp.sqrt(a))
        if not scaled:
            # e^x overflows to inf where the function does; inf (and nan) inputs give nan, as
            # PyTorch's kernel does
            s = xp.where(xp.isinf(a), math.nan, s * xp.exp(xp.minimum(a, 1e4)))
        out[big] = s
    if order == 1:
        # I1 is odd (and so is its scaled form)
        out = xp.where(x < 0, -out, out)
    return out


def _igamma_series(xp, a, x):
    # P(a, x) = x^a e^-x / Gamma(a + 1) * sum_n x^n / ((a+1)...(a+n)), all terms positive
    term = xp.ones_like(x)
    total = xp.ones_like(x)
    n = 0
    while True:
        n += 1
        term = term * x / (a + n)
        total = total + term
        if not bool((term > 1e-17 * total).any()) or n > 100000:
            break
    return xp.exp(a * xp.log(x) - x - _lgamma64(xp, a + 1.0)) * total


def _igammac_fraction(xp, a, x):
    # Q(a, x) = x^a e^-x / Gamma(a) * 1 / (x + 1 - a - 1(1 - a) / (x + 3 - a - 2(2 - a) / ...)),
    # evaluated with Lentz's method (the continued fraction converges fast for x > a + 1)
    tiny = 1e-300
    b = x + 1.0 - a
    c = xp.full_like(x, 1.0 / tiny)
    d = 1.0 / b
    h = d
    i = 0
    while True:
        i += 1
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = xp.where(xp.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = xp.where(xp.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if not bool((xp.abs(delta - 1.0) > 1e-16).any()) or i > 100000:
            break
    return xp.exp(a * xp.log(x) - x - _lgamma64(xp, a)) * h


def _igamma64(xp, a, x, upper):
    """The regularised incomplete gamma function P(a, x) (or Q = 1 - P when `upper`), with
    PyTorch's values at the edges (nan outside a, x >= 0; P(0, x > 0) = 1; ...)."""
    out = xp.full_like(x, math.nan)
    reg = (a > 0) & (x > 0) & xp.isfinite(a) & xp.isfinite(x)
    lower = reg & (x < a + 1.0)
    cf = reg & ~lower
    if lower.any():
        p = _igamma_series(xp, a[lower], x[lower])
        out[lower] = 1.0 - p if upper else p
    if cf.any():
        q = _igammac_fraction(xp, a[cf], x[cf])
        out[cf] = q if upper else 1.0 - q
    one = 0.0 if upper else 1.0
    # the limits PyTorch gives: all mass below x when a = 0 or x = inf, none when x = 0 or
    # a = inf
    full = ((a == 0) & (x > 0)) | ((x == math.inf) & (a >= 0) & (a < math.inf))
    empty = ((x == 0) & (a > 0)) | ((a == math.inf) & (x >= 0) & (x < math.inf))
    out[full] = one
    out[empty] = 1.0 - one
    return out


def gamma_cdf_da_ratio(xp, a, x):
    """(dP/da) / p for the gamma CDF P(a, x) and density p(x; a) = x^(a-1) e^-x / Gamma(a),
    for a > 0, x > 0 (float64 arrays of one shape).

    P(a, x) = sum_n x^(a+n) e^-x / Gamma(a+n+1); differentiated term by term and divided by p,
        (dP/da) / p = sum_n r_n (log x - digamma(a+n+1)),  r_n = x^(n+1) Gamma(a) / Gamma(a+n+1).
    The r_n form a bump around n = x - a of width ~sqrt(x), so only a window of about
    +-9 sqrt(x) terms around it is summed. The sum cancels only far in the upper tail (x many
    standard deviations above a), where dP/da itself is negligible.
    """
    if a.size == 0:
        return xp.zeros_like(a)
    logx = xp.log(x)
    # first term of the window: r_n0 = exp((n0 + 1) log x + lgamma(a) - lgamma(a + n0 + 1))
    n0 = xp.maximum(xp.floor(x - a - 9.0 * xp.sqrt(x) - 5.0), 0.0)
    z = a + n0 + 1.0
    r = xp.exp((n0 + 1.0) * logx + _lgamma64(xp, a) - _lgamma64(xp, z))
    psi = _digamma64(xp, z)
    total = xp.zeros_like(x)
    size = xp.zeros_like(x)
    for _ in range(1000000):
        term = r * (logx - psi)
        total = total + term
        size = size + xp.abs(term) + r
        # past the bump (z > x) the terms only shrink; stop once they no longer count
        if bool(((z > x) & (r <= 1e-18 * size)).all()):
            break
        psi = psi + 1.0 / z
        r = r * x / z
        z = z + 1.0
    return total


def _igamma_da64(xp, a, x):
    # dP/da: 0 where P is constant in a (x = 0 or x = inf), nan where P is
    out = xp.where((x == 0) | (x == math.inf), 0.0, math.nan)
    reg = (a > 0) & (x > 0) & xp.isfinite(a) & xp.isfinite(x)
    if reg.any():
        ar = a[reg]
        xr = x[reg]
        density = xp.exp((ar - 1.0) * xp.log(xr) - xr - _lgamma64(xp, ar))
        out[reg] = density * gamma_cdf_da_ratio(xp, ar, xr)
    return out
