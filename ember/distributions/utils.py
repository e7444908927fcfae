"""Mirrors `torch.distributions.utils`: broadcasting of parameters, probs <-> logits, and the
lazily computed attributes distributions use for their alternative parametrisations."""

import functools
import numbers

import ember

__all__ = [
    "broadcast_all",
    "clamp_probs",
    "lazy_property",
    "logits_to_probs",
    "probs_to_logits",
    "tril_matrix_to_vec",
    "vec_to_tril_matrix",
]

euler_constant = 0.57721566490153286060  # Euler-Mascheroni


def _is_number(v):
    return isinstance(v, numbers.Number) and not isinstance(v, ember.Tensor)


def broadcast_all(*values):
    """Tensors broadcast against each other; numbers become tensors of the first tensor's dtype
    and device (the default dtype when there is none). Mirrors `torch.distributions.utils`."""
    tensors = []
    first = None
    for v in values:
        if isinstance(v, ember.Tensor):
            if first is None:
                first = v
        elif not _is_number(v):
            raise ValueError(
                "Input arguments must all be instances of Number, torch.Tensor or objects "
                "implementing __torch_function__."
            )
    for v in values:
        if isinstance(v, ember.Tensor):
            tensors.append(v)
        elif first is not None:
            tensors.append(ember.tensor(v, dtype=first.dtype, device=first.device))
        else:
            tensors.append(ember.tensor(v, dtype=ember.get_default_dtype()))
    return ember.broadcast_tensors(*tensors)


def _standard_normal(shape, dtype, device):
    return ember.empty(shape, dtype=dtype, device=device).normal_()


def _sum_rightmost(value, dim):
    """Sum the `dim` rightmost dimensions of `value`."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:-dim]) + (-1,)).sum(-1)


def logits_to_probs(logits, is_binary=False):
    """sigmoid for binary logits, softmax over the last dimension otherwise."""
    if is_binary:
        return ember.sigmoid(logits)
    return ember.softmax(logits, dim=-1)


def clamp_probs(probs):
    """Clamp probabilities into [eps, 1 - eps] of their dtype (so their logs are finite)."""
    eps = ember.finfo(probs.dtype).eps
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary=False):
    """log-odds for binary probabilities, log-probabilities otherwise (clamped first)."""
    ps = clamp_probs(probs)
    if is_binary:
        return ember.log(ps) - ember.log1p(-ps)
    return ember.log(ps)


class lazy_property:
    """A attribute computed on first access and then stored on the instance (so a
    distribution built from `probs` computes `logits` only when asked). Computed with grad
    mode on, as in PyTorch, so that the stored value keeps its graph."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        functools.update_wrapper(self, wrapped)

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with ember.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


def tril_matrix_to_vec(mat, diag=0):
    """The lower triangle (below diagonal `diag`) of the last two dimensions, row by row."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    rows, cols = ember.tril_indices(n, n, offset=diag, device=mat.device)
    return mat[..., rows, cols]


def _tril_count(n, diag):
    # entries of an n x n matrix on or below diagonal `diag`
    return sum(max(0, min(n, i + diag + 1)) for i in range(n))


def vec_to_tril_matrix(vec, diag=0):
    """The inverse of `tril_matrix_to_vec`: a (batched) matrix with zeros above `diag`."""
    length = vec.shape[-1]
    n = 1
    while _tril_count(n, diag) < length:
        n += 1
    if _tril_count(n, diag) != length:
        raise ValueError(f"The size of last dimension is {length} which cannot be expressed "
                         "as the lower triangular part of a square D x D matrix.")
    mat = vec.new_zeros(tuple(vec.shape[:-1]) + (n, n))
    rows, cols = ember.tril_indices(n, n, offset=diag, device=vec.device)
    mat[..., rows, cols] = vec
    return mat
