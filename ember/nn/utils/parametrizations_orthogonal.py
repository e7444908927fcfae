"""Mirrors `torch.nn.utils.parametrizations.orthogonal`: a weight kept orthogonal (or unitary)
by a map from an unconstrained matrix: the matrix exponential or the Cayley transform of a
skew-Hermitian matrix, or a product of Householder reflectors.

With `use_trivialization=True` (the default) the parametrization keeps an orthogonal buffer
`base` and returns base @ map(original); assigning a weight stores it (made orthogonal) in
`base` and resets the original to -I, which every map sends to the identity.
"""

import enum

from ..modules.module import Module
from . import parametrize


class _OrthMaps(enum.Enum):
    matrix_exp = enum.auto()
    cayley = enum.auto()
    householder = enum.auto()


def _is_orthogonal(Q, eps=None):
    import ember

    n, k = Q.shape[-2:]
    ident = ember.eye(k, dtype=Q.dtype, device=Q.device)
    # a loose tolerance: the QR that made Q rounds at about n eps
    eps = 10.0 * n * ember.finfo(Q.dtype).eps
    return bool(ember.allclose(Q.mH @ Q, ident, atol=eps))


def _make_orthogonal(A):
    """The Q factor of A = QR with diag(R) made positive (Q scaled by the signs of R's
    diagonal), so that an orthogonal A comes back unchanged."""
    import ember

    X, tau = ember.geqrf(A)
    Q = ember.linalg.householder_product(X, tau)
    return Q * X.diagonal(dim1=-2, dim2=-1).sgn().unsqueeze(-2)


class _Orthogonal(Module):
    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        if weight.is_complex() and orthogonal_map == _OrthMaps.householder:
            raise ValueError("The householder parametrization does not support complex tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        self._registered = False
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X):
        import ember

        n, k = X.shape[-2:]
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        # X is n x k with n >= k from here on
        if self.orthogonal_map in (_OrthMaps.matrix_exp, _OrthMaps.cayley):
            # the lower triangle parametrizes the skew-Hermitian A = X - X^H
            X = X.tril()
            if n != k:
                pad = X.new_zeros(n, n - k).expand(tuple(X.shape[:-2]) + (n, n - k))
                X = ember.cat([X, pad], dim=-1)
            A = X - X.mH
            if self.orthogonal_map == _OrthMaps.matrix_exp:
                Q = ember.linalg.matrix_exp(A)
            else:
                # the Cayley transform (I - A/2)^-1 (I + A/2)
                ident = ember.eye(n, dtype=A.dtype, device=A.device)
                Q = ember.linalg.solve(ident - 0.5 * A, ident + 0.5 * A)
            if n != k:
                Q = Q[..., :k]
        else:
            # reflectors below the diagonal, with tau = 2 / |v|^2 so that each is orthogonal
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = ember.linalg.householder_product(A, tau)
            # the diagonal of X (truncated to an integer, as torch's) flips columns' signs
            Q = Q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            Q = self.base @ Q
        if transposed:
            Q = Q.mT
        return Q

    def right_inverse(self, Q):
        import ember

        if Q.shape != self.shape:
            raise ValueError(
                f"Expected a matrix or batch of matrices of shape {self.shape}. "
                f"Got a tensor of shape {Q.shape}."
            )
        Q_init = Q
        n, k = Q.shape[-2:]
        transpose = n < k
        if transpose:
            Q = Q.mT
            n, k = k, n
        if not hasattr(self, "base"):
            if self.orthogonal_map in (_OrthMaps.cayley, _OrthMaps.matrix_exp):
                if not self._registered:
                    # torch's registration takes a NotImplementedError from right_inverse to
                    # mean "the identity"; ember's parametrize does not catch it, so the
                    # original stays as it is here
                    return Q_init
                raise NotImplementedError(
                    "It is not possible to assign to the matrix exponential or the Cayley "
                    "parametrizations when use_trivialization=False."
                )
            # householder: geqrf's reflectors, with the diagonal holding the signs that make
            # diag(R) positive (a reflector with tau = 0 is the identity: flip it back)
            A, tau = ember.geqrf(Q)
            diag = A.diagonal(dim1=-2, dim2=-1)
            diag.sign_()
            diag[tau == 0.0] *= -1
            return A.mT if transpose else A
        if n == k:
            Q = Q.clone() if _is_orthogonal(Q) else _make_orthogonal(Q)
        else:
            # complete Q to a square orthogonal matrix with random columns
            N = ember.randn(*(tuple(Q.shape[:-2]) + (n, n - k)), dtype=Q.dtype, device=Q.device)
            Q = _make_orthogonal(ember.cat([Q, N], dim=-1))
        self.base = Q
        # -I: every map sends it to the identity, so the weight becomes base
        neg_id = ember.zeros_like(Q_init)
        neg_id.diagonal(dim1=-2, dim2=-1).fill_(-1.0)
        return neg_id


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """Mirrors `torch.nn.utils.parametrizations.orthogonal`."""
    from ..._tensor import Tensor

    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError(
            f"Expected a matrix or batch of matrices. Got a tensor of {weight.ndim} dimensions."
        )
    if orthogonal_map is None:
        square = weight.shape[-2] == weight.shape[-1]
        orthogonal_map = "matrix_exp" if square or weight.is_complex() else "householder"
    orth_enum = getattr(_OrthMaps, orthogonal_map, None)
    if orth_enum is None:
        raise ValueError(
            'orthogonal_map has to be one of "matrix_exp", "cayley", "householder". '
            f"Got: {orthogonal_map}"
        )
    orth = _Orthogonal(weight, orth_enum, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    orth._registered = True
    return module
