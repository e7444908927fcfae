"""Mirrors `torch.nn.utils.clip_grad`: gradient norms and clipping, in place, without a graph."""

import warnings

import numpy as np

from ..._tensor import Tensor, _new_tensor

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_"]


def _as_list(tensors):
    if isinstance(tensors, Tensor):
        return [tensors]
    return list(tensors)


def _grads(parameters):
    return [p.grad for p in parameters if p.grad is not None]


def _sparse_error(tensors, op):
    """torch's NotImplementedError for the first sparse tensor among `tensors`."""
    from ..._sparse import _not_implemented

    return _not_implemented(op, next(t for t in tensors if t.is_sparse))


def _norm(xp, a, p):
    # the vector p-norm of an array in its own dtype (as torch.linalg.vector_norm)
    if p == 2.0:
        a = a.ravel()
        return xp.sqrt(xp.dot(a, a)) if a.size else xp.zeros((), a.dtype)
    if p == float("inf"):
        return xp.abs(a).max() if a.size else xp.zeros((), a.dtype)
    if p == float("-inf"):
        return xp.abs(a).min() if a.size else xp.asarray(np.inf, a.dtype)
    if p == 0.0:
        return (a != 0).sum().astype(a.dtype)
    if p == 1.0:
        return xp.abs(a).sum()
    return (xp.abs(a) ** p).sum() ** (1.0 / p)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Mirrors `torch.nn.utils.get_total_norm`: the norm of the per-tensor norms."""
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        from ..._creation import tensor

        return tensor(0.0)
    first = tensors[0]
    xp = first._device.xp
    try:
        norms = [_norm(xp, t._data, norm_type) for t in tensors]
    except NotImplementedError:
        # a sparse gradient's `_data` refuses: torch's vector norm has no sparse kernel
        raise _sparse_error(tensors, "linalg_vector_norm") from None
    dt = np.result_type(*[n.dtype for n in norms])
    total = _norm(xp, xp.stack([xp.asarray(n, dtype=dt) for n in norms]), norm_type)
    total = xp.asarray(total, dtype=dt)
    if error_if_nonfinite and not bool(xp.isfinite(total)):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    from ... import _dtype as D

    return _new_tensor(total, D.from_numpy_dtype(total.dtype), first._device)


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Mirrors `torch.nn.utils.clip_grads_with_norm_`: scale grads by
    min(1, max_norm / (total_norm + 1e-6))."""
    grads = _grads(_as_list(parameters))
    if not grads:
        return
    coef = float(max_norm) / (float(total_norm) + 1e-6)
    if coef >= 1.0:
        # torch multiplies by the clamped coefficient 1.0, which changes nothing
        return
    for g in grads:
        d = g._data
        d *= d.dtype.type(coef)
        v = g._vc
        if v is not None:
            v[0] += 1


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Mirrors `torch.nn.utils.clip_grad_norm_`; returns the total norm before clipping."""
    parameters = _as_list(parameters)
    grads = _grads(parameters)
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                   foreach=None):
    """Deprecated alias of `clip_grad_norm_`."""
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
        "`torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Mirrors `torch.nn.utils.clip_grad_value_`: clamp every gradient to [-v, v] in place."""
    v = float(clip_value)
    for g in _grads(_as_list(parameters)):
        try:
            d = g._data
        except NotImplementedError:
            # a sparse gradient: torch's clamp (foreach: clamp_min first) has no sparse kernel
            raise _sparse_error([g], "clamp_" if foreach is False else "clamp_min_") from None
        xp = g._device.xp
        xp.clip(d, -v, v, out=d)
        ver = g._vc
        if ver is not None:
            ver[0] += 1
