"""TNS: the backward-rule namespace on Tensors (for create_graph=True).

Each function has the NumPy-style signature of its ANS twin and is built from ember's
differentiable ops, so a rule run through it records a graph of its own.
"""

import ember as E


def _t(x, like):
    # Python scalars and arrays become tensors on like's device
    if hasattr(x, "_data"):
        return x
    return E.as_tensor(x, device=like.device) if hasattr(x, "shape") else x


def sum_to(g, shape):
    shape = tuple(shape)
    gs = tuple(g.shape)
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    axes = list(range(lead))
    for i, s in enumerate(shape):
        if s == 1 and gs[lead + i] != 1:
            axes.append(lead + i)
    if axes:
        g = E.sum(g, dim=tuple(axes), keepdim=True)
    return g.reshape(shape)


def unsqueeze_reduced(g, shape, axis, keepdims):
    if axis is None:
        return g.reshape((1,) * len(shape))
    if keepdims:
        return g
    nd = len(shape)
    axes = (axis,) if isinstance(axis, int) else axis
    gshape = list(g.shape)
    for a in sorted(a % nd for a in axes):
        gshape.insert(a, 1)
    return g.reshape(tuple(gshape))


def unreduce(g, shape, axis, keepdims):
    return unsqueeze_reduced(g, shape, axis, keepdims).expand(tuple(shape))


def sum(x, axis=None, keepdims=False):
    return E.sum(x, dim=axis, keepdim=keepdims)


def mean(x, axis=None, keepdims=False):
    return E.mean(x, dim=axis, keepdim=keepdims)


def cast_like(x, like):
    return x.to(like.dtype)


def zeros(shape, like):
    return E.zeros(tuple(shape), dtype=like.dtype, device=like.device)


def zeros_like(x):
    return E.zeros_like(x)


def ones_like(x):
    return E.ones_like(x)


def scatter_index(shape, index, values, like):
    z = E.zeros(tuple(shape), dtype=values.dtype, device=values.device)
    return E._index_put_acc(z, index, values)


def swapaxes(x, a, b):
    return E.transpose(x, a, b)


def transpose(x, axes):
    return E.permute(x, tuple(axes))


def reshape(x, shape):
    return x.reshape(tuple(shape))


def getitem(x, index):
    return x[index]


def conj(x):
    if hasattr(x, "_data"):
        return E.conj(x) if x.is_complex() else x
    return x.conjugate() if isinstance(x, complex) else x


def matmul(a, b):
    return E.matmul(a, b)


def astype_bool(x):
    return x.bool()


def to_device(x, dev):
    return x.to(dev)


def broadcast_to(x, shape):
    return x.expand(tuple(shape))


def expand_dims(x, axis):
    return E.unsqueeze(x, axis)


def where(c, x, y):
    like = c if hasattr(c, "_data") else (x if hasattr(x, "_data") else y)
    return E.where(_t(c, like), x, y)


def moveaxis(x, a, b):
    return E.movedim(x, a, b)


def concatenate(xs, axis=0):
    return E.cat(list(xs), dim=axis)


def stack(xs, axis=0):
    return E.stack(list(xs), dim=axis)


def take_along_axis(x, idx, axis):
    return E.take_along_dim(x, _t(idx, x), dim=axis)


def cumsum(x, axis):
    return E.cumsum(x, dim=axis)


def flip(x, axis):
    return E.flip(x, (axis,) if isinstance(axis, int) else tuple(axis))


def roll(x, shift, axis=None):
    return E.roll(x, shift, axis)


def tril(x, k=0):
    return E.tril(x, k)


def triu(x, k=0):
    return E.triu(x, k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return E.diagonal(x, offset, axis1, axis2)


def outer(a, b):
    return E.outer(a, b)


def pad(x, pad_width, mode="constant", constant_values=0):
    flat = []
    for lo, hi in reversed(list(pad_width)):
        flat += [lo, hi]
    return E.nn.functional.pad(x, flat, value=constant_values)


def einsum(eq, *ops):
    return E.einsum(eq, *ops)


def logical_and(a, b):
    return E.logical_and(a, b)


def logical_not(a):
    return E.logical_not(a)


def isfinite(a):
    return E.isfinite(a)


def real(x):
    return E.real(x)


def imag(x):
    return E.imag(x)


def masked_region_zero(g, view_fn):
    raise NotImplementedError("double backward through an in-place write to a view")


def apply_view(g, view_fn):
    raise NotImplementedError("double backward through an in-place write to a view")


def __getattr__(name):
    # elementwise math with the same name in ember (exp, log, sqrt, sin, ...)
    fn = getattr(E, name, None)
    if fn is None:
        raise AttributeError(name)
    return fn
