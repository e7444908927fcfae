"""Matrix products: matmul (1-D, 2-D, batched with broadcasting), mm, bmm, mv, dot, outer."""

from ._registry import defop, apply
from ._bind import public
from ._inplace import _TORCH_NAMES

_E = {}


def _check_dtypes(a, b, what):
    # matmul refuses mixed dtypes, unlike elementwise ops
    if a._dtype is not b._dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {a._dtype.name if False else _n(a)} "
            f"!= {_n(b)}"
        )


def _n(t):
    return {"Float": "float", "Double": "double", "Half": "c10::Half", "Long": "long int",
            "Int": "int", "Short": "short int", "Char": "signed char", "Byte": "unsigned char",
            "Bool": "bool", "ComplexFloat": "c10::complex<float>",
            "ComplexDouble": "c10::complex<double>"}[_TORCH_NAMES[t._dtype.name]]


@defop("matmul", promote=False, save_inputs=True, grad_name="MmBackward0")
def _matmul(xp, a, b):
    return xp.matmul(a, b)


@_matmul.defgrad
def _(F, g, out, a, b, need, extra):
    ga = None
    gb = None
    an = len(a.shape)
    bn = len(b.shape)
    if an == 1 and bn == 1:
        # dot product: g is 0-d
        if need[0]:
            ga = g * F.conj(b)
        if need[1]:
            gb = g * F.conj(a)
        return ga, gb
    if an == 1:
        # (k) @ (..., k, n) -> (..., n)
        if need[0]:
            ga = F.sum_to(F.matmul(F.expand_dims(g, -2), F.swapaxes(F.conj(b), -1, -2)), (1,) + tuple(a.shape))
            ga = F.reshape(ga, a.shape)
        if need[1]:
            gb = F.sum_to(F.expand_dims(F.conj(a), -1) * F.expand_dims(g, -2), b.shape)
        return ga, gb
    if bn == 1:
        # (..., m, k) @ (k) -> (..., m)
        if need[0]:
            ga = F.sum_to(F.expand_dims(g, -1) * F.conj(b), a.shape)
        if need[1]:
            gb = F.sum_to(F.matmul(F.swapaxes(F.conj(a), -1, -2), F.expand_dims(g, -1)), tuple(b.shape) + (1,))
            gb = F.reshape(gb, b.shape)
        return ga, gb
    if need[0]:
        ga = F.sum_to(F.matmul(g, F.swapaxes(F.conj(b), -1, -2)), a.shape)
    if need[1]:
        gb = F.sum_to(F.matmul(F.swapaxes(F.conj(a), -1, -2), g), b.shape)
    return ga, gb


def _shape_error(a, b):
    sa = a._data.shape
    sb = b._data.shape
    if len(sa) == 1 and len(sb) == 1:
        raise RuntimeError(
            "inconsistent tensor size, expected tensor [" + str(sa[0]) + "] and src ["
            + str(sb[0]) + "] to have the same number of elements, but got "
            + f"{sa[0]} and {sb[0]} elements respectively"
        )
    if len(sa) == 2 and len(sb) == 2:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x{sa[1]} and {sb[0]}x{sb[1]})"
        )
    if len(sb) == 1:
        raise RuntimeError(
            f"size mismatch, got input ({sa[-2]}x{sa[-1]}), vec ({sb[0]})" if len(sa) == 2 else
            f"Expected size for first two dimensions of batch2 tensor to be: [{sa[-1]}] but got: "
            f"[{sb[0]}]."
        )
    if len(sa) == 1:
        raise RuntimeError(
            f"size mismatch, got input ({sa[0]}), mat ({sb[-2]}x{sb[-1]})"
        )
    raise RuntimeError(
        f"Expected size for first two dimensions of batch2 tensor to be: [{sb[0] if len(sb) == 3 else 'batch'}, "
        f"{sa[-1]}] but got: [{sb[0] if len(sb) >= 3 else ''}, {sb[-2]}]."
    )


@public("matmul")
def matmul(input, other, *, out=None):
    """Mirrors `torch.matmul`."""
    a = input._data
    b = other._data
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and "
            f"{b.ndim}D"
        )
    if input._dtype is not other._dtype:
        _check_dtypes(input, other, "matmul")
    ka = a.shape[-1]
    kb = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if ka != kb:
        _shape_error(input, other)
    res = apply(_matmul, (input, other), _E)
    if out is not None:
        from .elementwise import _out

        return _out(res, out)
    return res


def _bind():
    from .._tensor import Tensor

    Tensor.__matmul__ = matmul
    Tensor.__rmatmul__ = lambda self, other: matmul(_as_t(other, self), self)


def _as_t(x, like):
    from .._creation import as_tensor

    return as_tensor(x, device=like._device)


_bind()
