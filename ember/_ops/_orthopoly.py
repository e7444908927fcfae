"""Kernels of torch.special's orthogonal polynomials (Chebyshev T, U, V, W and their shifted
forms, Hermite H and He, Laguerre L, Legendre P) on NumPy arrays.

They follow PyTorch's kernels branch for branch so that values (and their rounding) agree: the
arithmetic runs in the input's dtype (float32 stays float32), n is truncated to an integer
(nan, inf and values beyond int64 count as negative, which PyTorch's cast gives on x86), the
special values at x = +-1 (or 0 and 1 for the shifted forms) are exact, the trigonometric closed
forms are used inside (-1, 1) past a small n, and the three-term recurrences otherwise. The
recurrences run over all elements at once, each element stopping at its own n or once it is nan.

One deviation: where x is nan, PyTorch's Legendre and Laguerre kernels return an uninitialised
value for n >= 2 (0 on x86 builds); these return nan.
"""

import math

import numpy as np

# past this many steps a recurrence with |x| > 1 (which overflows long before on all but
# x within ~1e-6 of +-1) switches to the closed form
_MAX_STEPS = 20000


def as_degree(n):
    """n as int64, truncated toward zero; nan, inf and |n| >= 2^63 give -1 (PyTorch's cast)."""
    if n.dtype.kind in "iub":
        return n.astype(np.int64, copy=False)
    ok = np.isfinite(n) & (np.abs(n) < 9.2e18)
    with np.errstate(invalid="ignore"):
        return np.where(ok, np.trunc(np.where(ok, n, 0)), -1).astype(np.int64)


def _recurrence(x2, p, q, n, first_k, step, stop_nan=True):
    """Run r = step(k, p, q) for k = first_k .. n(element) and return the last r (q where the
    loop does not run); elements whose q is nan stop, as PyTorch's loops do."""
    nmax = int(n.max()) if n.size else 0
    k = first_k
    steps = 0
    while k <= nmax:
        live = n >= k
        if stop_nan:
            live &= ~np.isnan(q)
        if not live.any():
            break
        r = step(k, p, q)
        p = np.where(live, q, p)
        q = np.where(live, r, q)
        k += 1
        steps += 1
        if steps >= _MAX_STEPS:
            return q, n >= k
    return q, None


def _chebyshev_family(x, n, kind, shifted):
    """Chebyshev polynomials of the first to fourth kind (T, U, V, W), shifted to [0, 1] when
    `shifted` (PyTorch's formulas use y = 2x - 1 there)."""
    dt = x.dtype.type
    one = dt(1.0)
    y = (x + x - one) if shifted else x
    two_y = (y + y) if not shifted else (x + x - one + (x + x - one))
    nf = n.astype(x.dtype)
    out = np.zeros(np.broadcast(x, n).shape, dtype=x.dtype)
    x, y, two_y, n, nf = np.broadcast_arrays(x, y, two_y, n, nf)
    done = n < 0

    # exact values at the ends of the interval
    if shifted:
        top = x == one
        bottom = x == dt(0.0)
    else:
        top = (np.abs(x) == one) & (x > 0)
        bottom = (np.abs(x) == one) & (x < 0)
    even = n % 2 == 0
    sign = np.where(even, one, -one)
    if kind == "t":
        top_v, bottom_v = np.ones_like(nf), sign
    elif kind == "u":
        top_v, bottom_v = nf + one, sign * (nf + one)
    elif kind == "v":
        top_v, bottom_v = np.ones_like(nf), sign * (nf + nf + one)
    else:
        top_v, bottom_v = nf + nf + one, sign
    ends = ~done & (top | bottom)
    out = np.where(ends & top, top_v, out)
    out = np.where(ends & bottom, bottom_v, out)
    done = done | ends

    # trigonometric closed forms inside (-1, 1)
    threshold = {"t": 6, "u": 8, "v": 8, "w": 8}[kind]
    if shifted:
        threshold = 4 if kind == "w" else 6
    inside = ~done & (n > threshold) & (np.abs(y) < one)
    if inside.any():
        with np.errstate(all="ignore"):
            theta = np.arccos(y)
            if kind == "t":
                val = np.cos(nf * theta)
            elif kind == "u":
                s = np.sin(theta)
                val = np.where(s != 0, np.sin((nf + one) * theta) / s,
                               (nf + one) * np.cos((nf + one) * theta) / y)
            elif kind == "v":
                half = theta / dt(2.0)
                val = np.where(np.sin(half) != one,
                               np.cos((nf + dt(0.5)) * theta) / np.cos(half),
                               sign * (nf + nf + one))
            else:
                half = theta / dt(2.0)
                val = np.where(np.cos(half) != one,
                               np.sin((nf + dt(0.5)) * theta) / np.sin(half),
                               sign if shifted else np.where(x > 0, nf + nf + one, sign))
        out = np.where(inside, val, out)
        done = done | inside

    first = {"t": y, "u": two_y, "v": two_y - one, "w": two_y + one}[kind]
    out = np.where(~done & (n == 0), one, out)
    out = np.where(~done & (n == 1), first, out)
    done = done | (n == 0) | (n == 1)
    rest = ~done
    if rest.any():
        ty = two_y[rest]
        r, left = _recurrence(None, np.ones_like(ty), first[rest], n[rest], 2,
                              lambda k, p, q: ty * q - p)
        if left is not None and left.any():
            # far past overflow for |y| > 1: the closed form, nan where PyTorch's loop has
            # reached inf - inf
            yy = y[rest][left].astype(np.float64)
            nn = n[rest][left].astype(np.float64)
            r[left] = _closed_form_outside(yy, nn).astype(x.dtype)
        out[rest] = r
    return out


def _closed_form_outside(y, n):
    """Far along the recurrence for |y| > 1 (only reached within ~1e-6 of +-1): the size of
    T_n, cosh(n arccosh|y|), stands for all four kinds, which differ by factors near 1 there;
    nan once it overflows, as PyTorch's loop gives after inf - inf."""
    with np.errstate(all="ignore"):
        big = np.cosh(n * np.arccosh(np.abs(y)))
        return np.where(np.isfinite(big), big * np.where(y < 0, (-1.0) ** (n % 2), 1.0),
                        math.nan)


def chebyshev(x, n, kind, shifted=False):
    """Chebyshev polynomial of the given kind ('t', 'u', 'v', 'w') of x (float array) and n
    (array of degrees, any dtype), in x's dtype."""
    return _chebyshev_family(x, as_degree(n), kind, shifted)


def _simple(x, n, first, step, first_k, limit=None, at_zero_one=False, ends=False,
            stop_nan=True):
    dt = x.dtype.type
    n = as_degree(n)
    x, n = np.broadcast_arrays(x, n)
    out = np.zeros(x.shape, dtype=x.dtype)
    done = n < 0
    if at_zero_one:
        z = ~done & (x == 0)
        out = np.where(z, dt(1.0), out)
        done = done | z
    if ends:
        e = ~done & (np.abs(x) == 1)
        out = np.where(e, np.where((x > 0) | (n % 2 == 0), dt(1.0), dt(-1.0)), out)
        done = done | e
    out = np.where(~done & (n == 0), dt(1.0), out)
    f = first(x)
    out = np.where(~done & (n == 1), f, out)
    done = done | (n == 0) | (n == 1)
    if limit is not None:
        over = ~done & (n > limit)
        out = np.where(over, dt(math.nan), out)
        done = done | over
    rest = ~done
    if rest.any():
        xr = x[rest]
        with np.errstate(all="ignore"):
            r, _ = _recurrence(None, np.ones_like(xr), f[rest], n[rest], first_k,
                               lambda k, p, q: step(k, xr, p, q), stop_nan)
        # a nan x stops the loop before its first step (PyTorch returns an uninitialised
        # value there); nan it is
        out[rest] = r
    return out


def hermite_h(x, n):
    dt = x.dtype.type
    limit = 128 if x.dtype == np.float32 else 512

    def step(k, xr, p, q):
        # H_k = 2x H_(k-1) - 2(k-1) H_(k-2)
        return (xr + xr) * q - dt(2 * (k - 1)) * p

    return _simple(x, n, lambda v: v + v, step, 2, limit=limit, stop_nan=False)


def hermite_he(x, n):
    dt = x.dtype.type
    limit = 128 if x.dtype == np.float32 else 512

    def step(k, xr, p, q):
        return xr * q - dt(k - 1) * p

    return _simple(x, n, lambda v: v, step, 2, limit=limit, stop_nan=False)


def laguerre_l(x, n):
    dt = x.dtype.type
    one = dt(1.0)

    def step(k, xr, p, q):
        # (j+1) L_(j+1) = (2j + 1 - x) L_j - j L_(j-1), j = k - 1
        j = k - 1
        return ((dt(j + j) + (one - xr)) * q - dt(j) * p) / dt(j + 1)

    return _simple(x, n, lambda v: one - v, step, 2, at_zero_one=True)


def legendre_p(x, n):
    dt = x.dtype.type

    def step(k, xr, p, q):
        # (j+1) P_(j+1) = (2j+1) x P_j - j P_(j-1), j = k - 1
        j = k - 1
        return (dt(j + j + 1) * xr * q - dt(j) * p) / dt(j + 1)

    return _simple(x, n, lambda v: v, step, 2, ends=True)
