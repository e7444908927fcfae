"""More `torch.distributions.transforms`: SoftplusTransform, StickBreakingTransform,
LowerCholeskyTransform, PositiveDefiniteTransform, CorrCholeskyTransform, CatTransform and
StackTransform. Re-exported by transforms.py (this module only exists to keep files small).
"""

import math

import ember
import ember.nn.functional as F

from . import constraints
from .transforms import Transform, _clipped_sigmoid
from .utils import _sum_rightmost, tril_matrix_to_vec, vec_to_tril_matrix

__all__ = [
    "CatTransform",
    "CorrCholeskyTransform",
    "LowerCholeskyTransform",
    "PositiveDefiniteTransform",
    "SoftplusTransform",
    "StackTransform",
    "StickBreakingTransform",
]


class SoftplusTransform(Transform):
    """y = log(1 + exp(x))."""

    domain = constraints.real
    codomain = constraints.positive
    bijective = True
    sign = +1

    def __eq__(self, other):
        return isinstance(other, SoftplusTransform)

    def _call(self, x):
        return F.softplus(x)

    def _inverse(self, y):
        # x = log(exp(y) - 1) = y + log(1 - exp(-y)), which does not overflow for large y
        return ember.log(-ember.expm1(-y)) + y

    def log_abs_det_jacobian(self, x, y):
        # d softplus / dx = sigmoid(x), and log sigmoid(x) = -softplus(-x)
        return -F.softplus(-x)


def _stick_offsets(x, k):
    # log(k), log(k - 1), ..., log(1): shifts x so that x = 0 maps to the simplex's centre
    counts = ember.arange(k, 0, -1, dtype=x.dtype, device=x.device)
    return counts.log()


class StickBreakingTransform(Transform):
    """R^(K-1) onto the K-simplex by breaking a stick: piece i takes the fraction
    sigmoid(x_i - log(K - 1 - i)) of what is left. Bijective, unlike SoftmaxTransform."""

    domain = constraints.real_vector
    codomain = constraints.simplex
    bijective = True

    def __eq__(self, other):
        return isinstance(other, StickBreakingTransform)

    def _call(self, x):
        k = x.shape[-1]
        z = _clipped_sigmoid(x - _stick_offsets(x, k))
        left = (1 - z).cumprod(-1)
        # y_i = z_i * prod_{j<i} (1 - z_j); the last piece is what remains
        return F.pad(z, [0, 1], value=1.0) * F.pad(left, [1, 0], value=1.0)

    def _inverse(self, y):
        head = y[..., :-1]
        k = head.shape[-1]
        remaining = 1 - head.cumsum(-1)
        remaining = remaining.clamp(min=ember.finfo(y.dtype).tiny)
        return head.log() - remaining.log() + _stick_offsets(y, k)

    def log_abs_det_jacobian(self, x, y):
        # the Jacobian is triangular: prod_i sigmoid'(u_i) * (stick left before i)
        # = prod_i y_i (1 - z_i), and log(1 - z) = -u + log sigmoid(u)
        u = x - _stick_offsets(x, x.shape[-1])
        return (-u + F.logsigmoid(u) + y[..., :-1].log()).sum(-1)

    def forward_shape(self, shape):
        if len(shape) < 1:
            raise ValueError("Too few dimensions on input")
        return tuple(shape[:-1]) + (shape[-1] + 1,)

    def inverse_shape(self, shape):
        if len(shape) < 1:
            raise ValueError("Too few dimensions on input")
        return tuple(shape[:-1]) + (shape[-1] - 1,)


def _exp_diagonal(x, fn):
    # the strictly lower triangle kept, fn applied to the diagonal
    diag = fn(x.diagonal(dim1=-2, dim2=-1))
    return x.tril(-1) + ember.diag_embed(diag)


class LowerCholeskyTransform(Transform):
    """A square matrix to a lower triangular one with a positive diagonal (exp of the
    diagonal; the upper triangle is dropped, so it is not bijective)."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.lower_cholesky

    def __eq__(self, other):
        return isinstance(other, LowerCholeskyTransform)

    def _call(self, x):
        return _exp_diagonal(x, ember.exp)

    def _inverse(self, y):
        return _exp_diagonal(y, ember.log)


class PositiveDefiniteTransform(Transform):
    """A square matrix to L L^T, with L its LowerCholeskyTransform."""

    domain = constraints.independent(constraints.real, 2)
    codomain = constraints.positive_definite

    def __eq__(self, other):
        return isinstance(other, PositiveDefiniteTransform)

    def _call(self, x):
        lower = LowerCholeskyTransform()(x)
        return lower @ lower.mT

    def _inverse(self, y):
        lower = ember.linalg.cholesky(y)
        return LowerCholeskyTransform().inv(lower)


class CorrCholeskyTransform(Transform):
    """A vector of D(D-1)/2 reals to the Cholesky factor of a D x D correlation matrix:
    tanh gives partial correlations in (-1, 1), each row is then built by stick breaking so
    that it has unit norm."""

    domain = constraints.real_vector
    codomain = constraints.corr_cholesky
    bijective = True

    def __eq__(self, other):
        return isinstance(other, CorrCholeskyTransform)

    def _call(self, x):
        eps = ember.finfo(x.dtype).eps
        r = ember.tanh(x).clamp(min=-1 + eps, max=1 - eps)
        r = vec_to_tril_matrix(r, diag=-1)
        # row i: y_ij = r_ij * sqrt(prod_{k<j} (1 - r_ik^2)); the diagonal takes the rest
        left = (1 - r ** 2).sqrt().cumprod(-1)
        eye = ember.eye(r.shape[-1], dtype=r.dtype, device=r.device)
        return (r + eye) * F.pad(left[..., :-1], [1, 0], value=1.0)

    def _inverse(self, y):
        left = 1 - ember.cumsum(y * y, dim=-1)
        left = F.pad(left[..., :-1], [1, 0], value=1.0)
        t = tril_matrix_to_vec(y, diag=-1) / tril_matrix_to_vec(left, diag=-1).sqrt()
        # atanh(t), written with log1p as torch does (same rounding near +-1)
        return (t.log1p() - (-t).log1p()) / 2

    def log_abs_det_jacobian(self, x, y, intermediates=None):
        # stick breaking: 1/2 sum log(1 - cumulative squared row norm) over the entries
        # strictly below the diagonal's left neighbour; tanh: log(1 - tanh^2)
        left = 1 - (y * y).cumsum(dim=-1)
        stick = 0.5 * tril_matrix_to_vec(left, diag=-2).log().sum(-1)
        tanh_part = -2 * (x + F.softplus(-2 * x) - math.log(2.0)).sum(dim=-1)
        return stick + tanh_part

    def forward_shape(self, shape):
        if len(shape) < 1:
            raise ValueError("Too few dimensions on input")
        n = shape[-1]
        d = round((0.25 + 2 * n) ** 0.5 + 0.5)
        if d * (d - 1) // 2 != n:
            raise ValueError("Input is not a flattened lower-diagonal number")
        return tuple(shape[:-1]) + (d, d)

    def inverse_shape(self, shape):
        if len(shape) < 2:
            raise ValueError("Too few dimensions on input")
        if shape[-2] != shape[-1]:
            raise ValueError("Input is not square")
        d = shape[-1]
        return tuple(shape[:-2]) + (d * (d - 1) // 2,)


def _check_dim(t, dim, size, what, name):
    if not (-t.dim() <= dim < t.dim()):
        raise AssertionError(f"dim {dim} out of range for {what} with {t.dim()} dimensions")
    if t.size(dim) != size:
        raise AssertionError(f"{name}.size({dim}) = {t.size(dim)} must equal {size}")


class CatTransform(Transform):
    """Applies `tseq[i]` to the i-th piece (of size lengths[i]) of `dim` and concatenates."""

    def __init__(self, tseq, dim=0, lengths=None, cache_size=0):
        if not all(isinstance(t, Transform) for t in tseq):
            raise AssertionError("All elements of tseq must be Transform instances")
        if cache_size:
            tseq = [t.with_cache(cache_size) for t in tseq]
        super().__init__(cache_size=cache_size)
        self.transforms = list(tseq)
        if lengths is None:
            lengths = [1] * len(self.transforms)
        self.lengths = list(lengths)
        if len(self.lengths) != len(self.transforms):
            raise AssertionError(f"lengths ({len(self.lengths)}) must match transforms "
                                 f"({len(self.transforms)})")
        self.dim = dim

    @property
    def event_dim(self):
        return max(t.event_dim for t in self.transforms)

    @property
    def length(self):
        return sum(self.lengths)

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return CatTransform(self.transforms, self.dim, self.lengths, cache_size)

    def _pieces(self, t):
        start = 0
        for length in self.lengths:
            yield t.narrow(self.dim, start, length)
            start = start + length

    def _call(self, x):
        _check_dim(x, self.dim, self.length, "tensor", "x")
        ys = [t(piece) for t, piece in zip(self.transforms, self._pieces(x))]
        return ember.cat(ys, dim=self.dim)

    def _inverse(self, y):
        _check_dim(y, self.dim, self.length, "tensor", "y")
        xs = [t.inv(piece) for t, piece in zip(self.transforms, self._pieces(y))]
        return ember.cat(xs, dim=self.dim)

    def log_abs_det_jacobian(self, x, y):
        _check_dim(x, self.dim, self.length, "x", "x")
        _check_dim(y, self.dim, self.length, "y", "y")
        event_dim = self.event_dim
        terms = []
        for t, xp, yp in zip(self.transforms, self._pieces(x), self._pieces(y)):
            term = t.log_abs_det_jacobian(xp, yp)
            if t.event_dim < event_dim:
                term = _sum_rightmost(term, event_dim - t.event_dim)
            terms.append(term)
        # `dim` counted from the right of what is left once the event dimensions are summed
        dim = self.dim
        if dim >= 0:
            dim = dim - x.dim()
        dim = dim + event_dim
        if dim < 0:
            return ember.cat(terms, dim=dim)
        # dim was an event dimension: the pieces' terms are already summed over it
        return sum(terms)

    @property
    def bijective(self):
        return all(t.bijective for t in self.transforms)

    @constraints.dependent_property
    def domain(self):
        return constraints.cat([t.domain for t in self.transforms], self.dim, self.lengths)

    @constraints.dependent_property
    def codomain(self):
        return constraints.cat([t.codomain for t in self.transforms], self.dim, self.lengths)


class StackTransform(Transform):
    """Applies `tseq[i]` to the i-th slice of `dim` and stacks the results."""

    def __init__(self, tseq, dim=0, cache_size=0):
        if not all(isinstance(t, Transform) for t in tseq):
            raise AssertionError("All elements of tseq must be Transform instances")
        if cache_size:
            tseq = [t.with_cache(cache_size) for t in tseq]
        super().__init__(cache_size=cache_size)
        self.transforms = list(tseq)
        self.dim = dim

    def with_cache(self, cache_size=1):
        if self._cache_size == cache_size:
            return self
        return StackTransform(self.transforms, self.dim, cache_size)

    def _slices(self, z):
        return [z.select(self.dim, i) for i in range(z.size(self.dim))]

    def _call(self, x):
        _check_dim(x, self.dim, len(self.transforms), "tensor", "x")
        ys = [t(s) for s, t in zip(self._slices(x), self.transforms)]
        return ember.stack(ys, dim=self.dim)

    def _inverse(self, y):
        _check_dim(y, self.dim, len(self.transforms), "tensor", "y")
        xs = [t.inv(s) for s, t in zip(self._slices(y), self.transforms)]
        return ember.stack(xs, dim=self.dim)

    def log_abs_det_jacobian(self, x, y):
        _check_dim(x, self.dim, len(self.transforms), "x", "x")
        _check_dim(y, self.dim, len(self.transforms), "y", "y")
        terms = [t.log_abs_det_jacobian(a, b)
                 for a, b, t in zip(self._slices(x), self._slices(y), self.transforms)]
        return ember.stack(terms, dim=self.dim)

    @property
    def bijective(self):
        return all(t.bijective for t in self.transforms)

    @constraints.dependent_property
    def domain(self):
        return constraints.stack([t.domain for t in self.transforms], self.dim)

    @constraints.dependent_property
    def codomain(self):
        return constraints.stack([t.codomain for t in self.transforms], self.dim)
