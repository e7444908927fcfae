"""Float64 kernels of torch.special's Bessel functions of the first and second kind (J0, J1, Y0,
Y1), the modified Bessel functions of the second kind (K0, K1 and their scaled forms), the Airy
function Ai, erfcx and the Hurwitz zeta function, on NumPy arrays of one dimension.

PyTorch evaluates these with Cephes' rational approximations; these kernels use other classical
methods that reach float64's precision, so values agree with PyTorch's to its own accuracy:

- J0, J1, Y0, Y1: the power series below x = 2; Miller's backward recurrence (normalised with
  J0 + 2 sum J_2k = 1) with Neumann's series for Y0 and its derivative for Y1 below 25; Hankel's
  asymptotic expansion above. Where PyTorch's kernel rounds the phase x - pi/4 (or x - 3pi/4) in
  the input's dtype, so does this one: for huge x that rounding decides the value.
- K0, K1: the power series up to x = 2, Steed's continued fraction (CF2, as in Numerical
  Recipes' bessik) above.
- Ai: a Taylor expansion from the nearest of a grid of points on [-10, 10], its coefficients from
  Airy's equation y'' = x y and the values at the grid points from the Maclaurin series summed in
  60-digit decimal arithmetic (on first use); the asymptotic expansions beyond.
- erfcx: its Maclaurin series (e^(x^2) minus an odd series) below 1, Laplace's continued fraction
  above, the reflection 2 e^(x^2) - erfcx(-x) for negative x.
- zeta(x, q): direct summation up to q + N >= 10, then Euler-Maclaurin (as Cephes does), with
  Cephes' (PyTorch's) values on the edges of the domain.

Tables are built on first use, so `import ember` does not pay for them.
"""

import math

import numpy as np

_EULER = 0.57721566490153286061
_TWO_OVER_PI = 2.0 / math.pi
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_PI = 1.0 / math.sqrt(math.pi)


def _horner(coefs, z):
    """sum coefs[i] z^(n-1-i) (highest power first)."""
    r = coefs[0] + 0.0 * z
    for c in coefs[1:]:
        r = r * z + c
    return r


def _by_mask(x, out, mask, fn):
    """out[mask] = fn(x[mask]) when any element is selected."""
    if mask.any():
        out[mask] = fn(x[mask])


# ================================================================ J0, J1, Y0, Y1
_SERIES_TERMS = 24
_MILLER_TOP = 60  # J_60(x) / J_0(x) is far below float64's precision for x < 25
_HANKEL_SWITCH = 25.0


class _Tables:
    """Series coefficients, computed on first use."""

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        getattr(self, "_fill_" + name)()
        return self.__dict__[name]

    def _fill_jy_series(self):
        n = _SERIES_TERMS
        fact = [math.factorial(k) for k in range(n + 2)]
        harm = [0.0]
        for k in range(1, n + 2):
            harm.append(harm[-1] + 1.0 / k)
        # J0 = sum (-t)^k / k!^2, J1 = x/2 sum (-t)^k / (k! (k+1)!), t = x^2 / 4
        j0 = [(-1.0) ** k / fact[k] ** 2 for k in range(n)]
        j1 = [(-1.0) ** k / (fact[k] * fact[k + 1]) for k in range(n)]
        # Y0 = 2/pi (log(x/2) + gamma) J0 + 2/pi sum_{k>=1} (-1)^(k+1) H_k t^k / k!^2
        y0 = [0.0] + [(-1.0) ** (k + 1) * harm[k] / fact[k] ** 2 for k in range(1, n)]
        # Y1 = -2/(pi x) + 2/pi log(x/2) J1 - x/(2 pi) sum (psi(k+1) + psi(k+2)) (-t)^k / (k!(k+1)!)
        y1 = [(-1.0) ** k * (harm[k] + harm[k + 1] - 2.0 * _EULER) / (fact[k] * fact[k + 1])
              for k in range(n)]
        # K0 = -(log(x/2) + gamma) I0 + sum H_k t^k / k!^2
        k0 = [0.0] + [harm[k] / fact[k] ** 2 for k in range(1, n)]
        # K1 = 1/x + log(x/2) I1 - x/4 sum (psi(k+1) + psi(k+2)) t^k / (k! (k+1)!)
        k1 = [(harm[k] + harm[k + 1] - 2.0 * _EULER) / (fact[k] * fact[k + 1]) for k in range(n)]
        i0 = [1.0 / fact[k] ** 2 for k in range(n)]
        i1 = [1.0 / (fact[k] * fact[k + 1]) for k in range(n)]
        self.jy_series = {name: tuple(c[::-1]) for name, c in
                          (("j0", j0), ("j1", j1), ("y0", y0), ("y1", y1), ("k0", k0),
                           ("k1", k1), ("i0", i0), ("i1", i1))}

    def _fill_hankel(self):
        # P and Q of Hankel's expansion for orders 0 and 1, as polynomials in 1/x^2:
        # a_k(nu) = prod_{j=1..k} (4 nu^2 - (2j-1)^2) / (k! 8^k)
        out = {}
        for nu in (0, 1):
            mu = 4.0 * nu * nu
            a = [1.0]
            for k in range(1, 34):
                a.append(a[-1] * (mu - (2 * k - 1) ** 2) / (k * 8.0))
            p = [(-1.0) ** k * a[2 * k] for k in range(17)]
            q = [(-1.0) ** k * a[2 * k + 1] for k in range(17)]
            out[nu] = (tuple(p[::-1]), tuple(q[::-1]))
        self.hankel = out

    def _fill_airy(self):
        self.airy = _airy_grid()

    def _fill_airy_asym(self):
        # u_k of the asymptotic expansions (DLMF 9.7.2)
        u = [1.0]
        for k in range(1, 40):
            u.append(u[-1] * (6 * k - 5) * (6 * k - 3) * (6 * k - 1) / ((2 * k - 1) * 216.0 * k))
        self.airy_asym = u


_T = _Tables()


def _phase(x, shift, dtype):
    """x - shift rounded as PyTorch's kernel rounds it (in the input's dtype), in float64."""
    xd = x.astype(dtype)
    return (xd - dtype.type(shift)).astype(np.float64)


def _jy_series(x, which):
    t = 0.25 * x * x
    s = _T.jy_series
    if which == "j0":
        return _horner(s["j0"], t)
    if which == "j1":
        return 0.5 * x * _horner(s["j1"], t)
    log_term = np.log(0.5 * x)
    if which == "y0":
        j0 = _horner(s["j0"], t)
        return _TWO_OVER_PI * ((log_term + _EULER) * j0 + _horner(s["y0"], t))
    j1 = 0.5 * x * _horner(s["j1"], t)
    return (-_TWO_OVER_PI / x + _TWO_OVER_PI * log_term * j1
            - (0.5 / math.pi) * x * _horner(s["y1"], t))


def _jy_miller(x, which):
    """J0, J1, Y0 or Y1 for 2 <= x < 25 by Miller's backward recurrence
    J_(k-1) = (2k/x) J_k - J_(k+1), started from (J_top+1, J_top) = (0, 1)."""
    inv = 1.0 / x
    hi = np.zeros_like(x)  # J_(k+1)
    cur = np.ones_like(x) * 1e-30  # J_k, k = top
    norm = np.zeros_like(x)  # J_0 + 2 sum_{k>=1} J_2k (unnormalised)
    y0_sum = np.zeros_like(x)  # sum (-1)^k J_2k / k
    y1_sum = np.zeros_like(x)  # sum (-1)^k (J_2k-1 - J_2k+1) / k
    j1 = None
    for k in range(_MILLER_TOP, 0, -1):
        # here cur = J_k, hi = J_(k+1)
        if k % 2 == 0:
            m = k // 2
            sign = 1.0 if m % 2 == 0 else -1.0
            norm = norm + 2.0 * cur
            y0_sum = y0_sum + (sign / m) * cur
        lo = 2.0 * k * inv * cur - hi  # J_(k-1)
        if (k - 1) % 2 == 1:
            # k - 1 = 2m - 1 is odd: its term J_2m-1 - J_2m+1 enters Y1's sum
            m = k // 2
            sign = 1.0 if m % 2 == 0 else -1.0
            y1_sum = y1_sum + (sign / m) * (lo - hi)
        if k == 1:
            j1 = cur
        hi, cur = cur, lo
    j0 = cur
    norm = norm + j0
    j0 = j0 / norm
    j1 = j1 / norm
    if which == "j0":
        return j0
    if which == "j1":
        return j1
    log_term = np.log(0.5 * x) + _EULER
    if which == "y0":
        return _TWO_OVER_PI * (log_term * j0 - 2.0 * y0_sum / norm)
    return _TWO_OVER_PI * (log_term * j1 - j0 * inv + y1_sum / norm)


def _jy_hankel(x, which, dtype):
    order = 0 if which in ("j0", "y0") else 1
    p_c, q_c = _T.hankel[order]
    inv = 1.0 / x
    z = inv * inv
    p = _horner(p_c, z)
    q = inv * _horner(q_c, z)
    ph = _phase(x, 0.25 * math.pi if order == 0 else 0.75 * math.pi, dtype)
    c = np.cos(ph)
    s = np.sin(ph)
    amp = _SQRT_2_OVER_PI / np.sqrt(x)
    if which[0] == "j":
        return amp * (p * c - q * s)
    return amp * (p * s + q * c)


def bessel_jy64(x, which, dtype):
    """J0, J1, Y0 or Y1 (`which`) of a float64 array; `dtype` is the input's dtype (for the
    rounding of the phase at large x)."""
    first = which[0] == "j"
    ax = np.abs(x) if first else x
    out = np.full_like(x, math.nan)
    small = (ax > 0) & (ax < 2.0)
    mid = (ax >= 2.0) & (ax < _HANKEL_SWITCH)
    big = (ax >= _HANKEL_SWITCH) & np.isfinite(ax)
    _by_mask(ax, out, small, lambda v: _jy_series(v, which))
    _by_mask(ax, out, mid, lambda v: _jy_miller(v, which))
    _by_mask(ax, out, big, lambda v: _jy_hankel(v, which, dtype))
    if first:
        out[ax == 0] = 1.0 if which == "j0" else 0.0
        if which == "j1":
            # odd (and J1(-0) = -0)
            out = np.where(np.signbit(x), -out, out)
    else:
        out[x == 0] = -math.inf
    return out


# ================================================================ K0, K1 (and I0, I1 for them)
def _k_series(x, order):
    t = 0.25 * x * x
    s = _T.jy_series
    log_term = np.log(0.5 * x)
    if order == 0:
        i0 = _horner(s["i0"], t)
        return -(log_term + _EULER) * i0 + _horner(s["k0"], t)
    i1 = 0.5 * x * _horner(s["i1"], t)
    return 1.0 / x + log_term * i1 - 0.25 * x * _horner(s["k1"], t)


def steed_k(x, mu):
    """(e^x K_mu(x), e^x K_(mu+1)(x)) for x >= 2 and |mu| <= 1/2: Steed's method for the
    continued fraction CF2 (Numerical Recipes' bessik), iterated until every element converged."""
    mu2 = mu * mu
    b = 2.0 * (1.0 + x)
    d = 1.0 / b
    h = d.copy()
    delh = d.copy()
    q1 = np.zeros_like(x)
    q2 = np.ones_like(x)
    a1 = 0.25 - mu2
    q = np.full_like(x, a1)
    c = np.full_like(x, a1)
    a = -a1
    s = 1.0 + q * delh
    live = np.ones(x.shape, dtype=bool)
    for i in range(2, 20000):
        a -= 2 * (i - 1)
        c = -a * c / i
        qnew = (q1 - b * q2) / a
        q1 = q2
        q2 = qnew
        q = q + c * qnew
        b = b + 2.0
        d = 1.0 / (b + a * d)
        delh = (b * d - 1.0) * delh
        dels = q * delh
        # converged elements keep their sums (their q's grow on and would overflow)
        h = np.where(live, h + delh, h)
        s = np.where(live, s + dels, s)
        live &= ~(np.abs(dels) < 1e-17 * np.abs(s))
        if not live.any():
            break
    h = a1 * h
    k_mu = np.sqrt(math.pi / (2.0 * x)) / s
    k_mu1 = k_mu * (mu + x + 0.5 - h) / x
    return k_mu, k_mu1


def bessel_k64(x, order, scaled):
    """K0 or K1 of a float64 array, times e^x when `scaled`; PyTorch's values at the edges
    (inf at 0, nan below 0, 0 at inf)."""
    out = np.full_like(x, math.nan)
    small = (x > 0) & (x <= 2.0)
    big = (x > 2.0) & (x < math.inf)

    def series(v):
        r = _k_series(v, order)
        return r * np.exp(v) if scaled else r

    def cf(v):
        r = steed_k(v, 0.0)[order]
        # e^-x underflows where K does (below the smallest subnormal)
        return r if scaled else r * np.exp(-v)

    _by_mask(x, out, small, series)
    _by_mask(x, out, big, cf)
    out[x == 0] = math.inf
    out[x == math.inf] = 0.0
    return out


# ================================================================ Airy Ai
_AIRY_LO = -10.0
_AIRY_HI = 10.0
_AIRY_STEP = 0.25
_AIRY_TAYLOR_TERMS = 24


def _decimal_constants(prec):
    """(pi, Ai(0), -Ai'(0)) as Decimals of `prec` digits. Gamma(1/3) comes from Stirling's
    series at 1/3 + 40 (Bernoulli numbers as exact fractions) and the recurrence down."""
    from decimal import Decimal, localcontext

    from ._special_kernels import _bernoulli_numbers

    with localcontext() as ctx:
        ctx.prec = prec + 10
        # pi by the series in the decimal module's documentation
        lasts, t, s, n, na, d, da = 0, Decimal(3), 3, 1, 0, 0, 24
        while s != lasts:
            lasts = s
            n, na = n + na, na + 8
            d, da = d + da, da + 32
            t = (t * n) / d
            s += t
        pi = s
        third = Decimal(1) / 3
        shift = 40
        w = third + shift
        b = _bernoulli_numbers(60)
        lg = (w - Decimal("0.5")) * w.ln() - w + (2 * pi).ln() / 2
        for k in range(1, 31):
            frac = b[2 * k] / (2 * k * (2 * k - 1))
            lg += Decimal(frac.numerator) / Decimal(frac.denominator) / w ** (2 * k - 1)
        gamma_third = lg.exp()
        for j in range(shift):
            gamma_third /= third + j
        ai0 = gamma_third / (2 * pi * Decimal(3) ** (Decimal(1) / 6))
        dai0 = 1 / (Decimal(3) ** third * gamma_third)
        return +pi, +ai0, +dai0


def _airy_grid():
    """(nodes, Ai(nodes), Ai'(nodes)) as float64 arrays: Ai = c1 f - c2 g with Airy's Maclaurin
    series f, g summed in decimal arithmetic, precise enough to survive their cancellation
    (a factor up to e^(4/3 |x|^1.5), about 1e18 at x = 10)."""
    from decimal import Decimal, localcontext

    prec = 60
    _, c1, c2 = _decimal_constants(prec)
    count = round((_AIRY_HI - _AIRY_LO) / _AIRY_STEP) + 1
    nodes = [_AIRY_LO + i * _AIRY_STEP for i in range(count)]
    ai = []
    dai = []
    with localcontext() as ctx:
        ctx.prec = prec
        tiny = Decimal(10) ** (-prec)
        for c in nodes:
            x = Decimal(repr(c))
            x3 = x * x * x
            # f = sum m_k, m_k = m_(k-1) x^3 / ((3k-1) 3k); g = sum n_k, n_k = n_(k-1) x^3 / (3k (3k+1))
            f, df, g, dg = Decimal(1), Decimal(0), x, Decimal(1)
            m, n = Decimal(1), x
            # derivatives term by term: d/dx x^(3k) = 3k x^(3k-1), d/dx x^(3k+1) = (3k+1) x^(3k)
            dm, dn = Decimal(0), Decimal(1)
            k = 0
            while True:
                k += 1
                m = m * x3 / ((3 * k - 1) * (3 * k))
                n = n * x3 / ((3 * k) * (3 * k + 1))
                # d/dx of m_k = 3k x^(3k-1) / ...: from the previous derivative term
                dm = (m * 3 * k / x) if x != 0 else Decimal(0)
                dn = (n * (3 * k + 1) / x) if x != 0 else Decimal(0)
                f += m
                g += n
                df += dm
                dg += dn
                if abs(m) + abs(n) + abs(dm) + abs(dn) < tiny and k > 3:
                    break
            ai.append(float(c1 * f - c2 * g))
            dai.append(float(c1 * df - c2 * dg))
    return np.array(nodes), np.array(ai), np.array(dai)


def _airy_taylor(x):
    nodes, ai, dai = _T.airy
    idx = np.rint((x - _AIRY_LO) / _AIRY_STEP).astype(np.intp)
    idx = np.clip(idx, 0, len(nodes) - 1)
    c = nodes[idx]
    t = x - c
    # Airy's equation y'' = (c + t) y gives (k+1)(k+2) a_(k+2) = c a_k + a_(k-1)
    a_prev = np.zeros_like(x)  # a_(k-1)
    a_k = ai[idx]
    a_k1 = dai[idx]
    total = a_k + a_k1 * t
    power = t.copy()
    for k in range(_AIRY_TAYLOR_TERMS):
        a_k2 = (c * a_k + a_prev) / ((k + 1) * (k + 2))
        power = power * t
        total = total + a_k2 * power
        a_prev, a_k, a_k1 = a_k, a_k1, a_k2
    return total


def _airy_asym_pos(x):
    u = _T.airy_asym
    zeta = (2.0 / 3.0) * x * np.sqrt(x)
    inv = 1.0 / zeta
    s = _horner(tuple((-1.0) ** k * u[k] for k in range(24))[::-1], inv)
    return _INV_SQRT_PI * 0.5 * s * np.exp(-zeta) / np.sqrt(np.sqrt(x))


def _airy_asym_neg(x, dtype):
    u = _T.airy_asym
    ax = -x
    zeta = (2.0 / 3.0) * ax * np.sqrt(ax)
    inv = 1.0 / zeta
    z2 = inv * inv
    p = _horner(tuple((-1.0) ** k * u[2 * k] for k in range(14))[::-1], z2)
    q = inv * _horner(tuple((-1.0) ** k * u[2 * k + 1] for k in range(14))[::-1], z2)
    # PyTorch rounds the phase zeta + pi/4 in the input's dtype, in this order of operations
    xd = x.astype(dtype)
    t = ((dtype.type(-2.0) * xd * np.sqrt(-xd)) / dtype.type(3.0)
         + dtype.type(0.25 * math.pi)).astype(np.float64)
    return _INV_SQRT_PI * (np.sin(t) * p - np.cos(t) * q) / np.sqrt(np.sqrt(ax))


def airy_ai64(x, dtype):
    """Ai of a float64 array, with PyTorch's edges: nan at +-inf, 0 beyond x = 103.892."""
    out = np.full_like(x, math.nan)
    grid = (x >= _AIRY_LO) & (x <= _AIRY_HI)
    pos = (x > _AIRY_HI) & (x <= 103.892)
    neg = (x < _AIRY_LO) & (x > -math.inf)
    _by_mask(x, out, grid, _airy_taylor)
    _by_mask(x, out, pos, _airy_asym_pos)
    _by_mask(x, out, neg, lambda v: _airy_asym_neg(v, dtype))
    out[(x > 103.892) & (x < math.inf)] = 0.0
    return out


# ================================================================ erfcx
def _erfcx_series(x):
    # erfcx(x) = e^(x^2) - 2/sqrt(pi) x sum_m (2x^2)^m / (1 3 5 ... (2m+1)); for x < 1 the two
    # parts are within a factor 7 of the result, so little cancels
    z = 2.0 * x * x
    term = np.ones_like(x)
    total = np.ones_like(x)
    for m in range(1, 40):
        term = term * z / (2 * m + 1)
        total = total + term
    return np.exp(x * x) - (2.0 * _INV_SQRT_PI) * x * total


def _erfcx_fraction(x, terms):
    # Laplace's continued fraction erfcx(x) = 1/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/...)))
    # summed from the back; `terms` levels reach float64's precision for these x
    t = np.zeros_like(x)
    for k in range(terms, 0, -1):
        t = (0.5 * k) / (x + t)
    return _INV_SQRT_PI / (x + t)


def _erfcx_pos(x):
    out = np.empty_like(x)
    _by_mask(x, out, x < 1.0, _erfcx_series)
    _by_mask(x, out, (x >= 1.0) & (x < 2.0), lambda v: _erfcx_fraction(v, 160))
    _by_mask(x, out, (x >= 2.0) & (x <= 50.0), lambda v: _erfcx_fraction(v, 60))
    # beyond 50 five levels suffice (PyTorch uses the same truncation), beyond 5e7 one
    _by_mask(x, out, (x > 50.0) & (x <= 5e7), lambda v: _erfcx_fraction(v, 4))
    _by_mask(x, out, x > 5e7, lambda v: _INV_SQRT_PI / v)
    return out


def erfcx64(x):
    """erfcx of a float64 array (nan passes through; inf below x = -26.7, as in PyTorch)."""
    out = np.full_like(x, math.nan)
    _by_mask(x, out, x >= 0, _erfcx_pos)
    neg = x < 0
    if neg.any():
        v = x[neg]
        # erfcx(-y) = 2 e^(y^2) - erfcx(y); the second term is below float64's resolution of the
        # first for y > 6.1, and the whole overflows for y > 26.7 (PyTorch's cut-offs)
        two_exp = 2.0 * np.exp(np.minimum(v * v, 800.0))
        r = np.where(v < -6.1, two_exp, two_exp - _erfcx_pos(np.minimum(-v, 6.2)))
        out[neg] = np.where(v < -26.7, math.inf, r)
    return out


# ================================================================ Hurwitz zeta
# (2k)! / B_2k for the Euler-Maclaurin terms (Cephes' table)
_EM = None


def _em_coefs():
    global _EM
    if _EM is None:
        from ._special_kernels import _bernoulli_numbers

        b = _bernoulli_numbers(26)
        _EM = tuple(float(b[2 * k] / math.factorial(2 * k)) for k in range(1, 13))
    return _EM


def _zeta_regular(x, q):
    """zeta(x, q) for x > 1 and q not a pole (negative q only with integer x), q <= 1e8."""
    # direct sum until every q + n >= 10 (at least 10 terms, as Cephes)
    lo = float(np.min(q)) if q.size else 10.0
    count = max(10, math.ceil(10.0 - lo) + 1)
    s = np.zeros_like(x)
    a = q.copy()
    for _ in range(count):
        s = s + np.power(a, -x)
        a = a + 1.0
    # Euler-Maclaurin tail at w = a: w^(1-x)/(x-1) + w^-x/2 + sum B_2k/(2k)! x(x+1)...(x+2k-2)
    # w^(-x-2k+1)
    w = a
    b = np.power(w, -x)
    tail = b * w / (x - 1.0) + 0.5 * b
    rising = x.copy()
    power = b / w
    for k, c in enumerate(_em_coefs(), start=1):
        tail = tail + c * rising * power
        rising = rising * (x + 2 * k - 1) * (x + 2 * k)
        power = power / (w * w)
    return s + tail


def zeta64(x, q):
    """Hurwitz zeta(x, q) of float64 arrays of one shape, with Cephes' (PyTorch's) edges."""
    with np.errstate(all="ignore"):
        out = np.full_like(x, math.nan)
        pole_q = (q <= 0) & (q == np.floor(q))
        bad_q = (q <= 0) & ~pole_q & (x != np.floor(x))
        big_q = q > 1e8
        regular = (x > 1) & ~pole_q & ~bad_q & (~big_q | (x == math.inf)) & ~np.isnan(q)
        if regular.any():
            xr = x[regular]
            qr = q[regular]
            fin = np.isfinite(xr)
            val = np.empty_like(xr)
            if fin.any():
                val[fin] = _zeta_regular(xr[fin], qr[fin])
            if (~fin).any():
                # x = inf: a term (q + j)^-inf with |q + j| < 1 is inf (there is one for any
                # q < 1), q = 1 sums to 1, and otherwise Cephes' series meets inf * 0 (nan)
                qi = qr[~fin]
                val[~fin] = np.where(qi < 1, math.inf, np.where(qi == 1, 1.0, math.nan))
            out[regular] = val
        big = (x > 1) & (x < math.inf) & big_q
        if big.any():
            xb = x[big]
            qb = q[big]
            # DLMF 25.11.43, the first two terms (Cephes' q > 1e8 branch); q = inf gives nan
            val = (1.0 / (xb - 1.0) + 0.5 / qb) * np.power(qb, 1.0 - xb)
            out[big] = np.where(qb == math.inf, math.nan, val)
        # the order of Cephes' checks: x == 1, x < 1, then the poles of q
        out[(x > 1) & pole_q] = math.inf
        out[np.isnan(x) & pole_q] = math.inf
        out[x < 1] = math.nan
        out[x == 1] = math.inf
    return out
