"""Mirrors `torch.memory_format`: contiguous_format, channels_last, channels_last_3d and
preserve_format. NumPy arrays take any strides, so channels-last layouts are real here."""

import itertools


class memory_format:
    """A memory layout name. Mirrors `torch.memory_format`."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))


def _by_name(name):
    return globals()[name]


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")


def channel_order(fmt, ndim):
    """The axes, outermost first, of a channels-last layout of rank `ndim` (None for other
    formats or ranks)."""
    if fmt is channels_last and ndim == 4:
        return (0, 2, 3, 1)
    if fmt is channels_last_3d and ndim == 5:
        return (0, 2, 3, 4, 1)
    return None


def check_rank(fmt, ndim):
    if fmt is channels_last and ndim != 4:
        raise RuntimeError("required rank 4 tensor to use channels_last format")
    if fmt is channels_last_3d and ndim != 5:
        raise RuntimeError("required rank 5 tensor to use channels_last_3d format")


def in_order(arr, order):
    """An array laid out in memory with axes `order` outermost first (values unchanged)."""
    import numpy as np

    xp = np if arr.__class__ is np.ndarray else __import__("cupy")
    moved = xp.ascontiguousarray(arr.transpose(order))
    back = [0] * len(order)
    for i, ax in enumerate(order):
        back[ax] = i
    return moved.transpose(back)


def is_in_order(arr, order):
    """True when `arr` is dense with axes `order` outermost first (size-1 axes are free)."""
    expected = arr.itemsize
    for ax in reversed(order):
        n = arr.shape[ax]
        if n != 1 and arr.strides[ax] != expected:
            return False
        expected *= n
    return True


# ---------------------------------------------------------------- layout of op results
import numpy as np  # noqa: E402

_CL2D = (0, 2, 3, 1)


def is_channels_last(arr):
    """Whether a 4-d array is laid out channels-last and not plain contiguous: PyTorch's
    suggest_memory_format, which picks the layout of conv, pool and norm results."""
    return arr.ndim == 4 and not arr.flags.c_contiguous and is_in_order(arr, _CL2D)


def follow_channels_last(res, *inputs):
    """`res` (a tensor or a tuple of them) laid out channels-last when one of `inputs` (tensors
    or None) is, as PyTorch's conv, pool, norm and interpolate kernels write their output.

    ember's kernels write NCHW-contiguous arrays; the copy into NHWC order happens only for
    channels-last inputs, so the default path costs one flag read per input."""
    for t in inputs:
        if t is not None and not t._data.flags.c_contiguous and is_channels_last(t._data):
            break
    else:
        return res
    for r in (res if isinstance(res, tuple) else (res,)):
        _to_channels_last(r)
    return res


def _to_channels_last(t):
    old = t._data
    if old.ndim != 4:
        return
    n, c, h, w = old.shape
    s = old.itemsize
    # PyTorch's exact strides, those of size-1 dims included
    if old.strides == (h * w * c * s, s, w * c * s, c * s):
        return
    # a fresh NHWC buffer: NumPy's ascontiguousarray would keep the strides of size-1 dims
    xp = np if old.__class__ is np.ndarray else __import__("cupy")
    new = xp.empty((n, h, w, c), dtype=old.dtype).transpose(0, 3, 1, 2)
    new[...] = old
    t._data = new
    node = t._node
    # a node that saved this very array as its output reads the same values from the copy
    if node is not None and node.__dict__ and node.__dict__.get("out") is old:
        node.out = new


# ---------------------------------------------------------------- layout of elementwise results
def iter_perm(shape, operand_strides):
    """The axes of an elementwise result, outermost first, as torch's TensorIterator orders
    them (reorder_dimensions): an insertion sort in which the first operand whose strides tell
    two axes apart decides, a broadcast (0) stride tells nothing, and equal strides put the
    larger axis outside. `operand_strides`: each operand's strides over `shape`, 0 where
    it is broadcast, in torch's operand order."""
    nd = len(shape)

    def should_swap(d0, d1):
        for st in operand_strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    # torch sorts innermost first
    perm = list(range(nd - 1, -1, -1))
    for i in range(1, nd):
        dim1 = i
        for dim0 in range(i - 1, -1, -1):
            c = should_swap(perm[dim0], perm[dim1])
            if c > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif c < 0:
                break
    return perm[::-1]


def elementwise_layout(out, operands):
    """`out`, NumPy's result of an elementwise op on `operands` (arrays or Python scalars, in
    torch's order), laid out as torch's TensorIterator lays out its result. NumPy agrees but
    where the operands' layouts conflict: there it picks C order, torch the first operand's
    (`x_cl * x` is channels-last). Called only when the first operand is not C-ordered."""
    shape = out.shape
    nd = len(shape)
    if nd < 2:
        return out
    arrays = [a for a in operands if getattr(a, "ndim", 0)]
    want = None
    if len(arrays) == len(operands) and all(a.shape == shape for a in arrays):
        want = _fast_setup_strides(arrays, shape)
    if want is None:
        strides = []
        for a in arrays:
            off = nd - a.ndim
            st = [0] * off
            for i, n in enumerate(a.shape):
                st.append(0 if n == 1 and shape[off + i] != 1 else abs(a.strides[i]))
            strides.append(st)
        want = [0] * nd
        step = 1
        for ax in reversed(iter_perm(shape, strides)):
            want[ax] = step
            step *= shape[ax]
    want = tuple(s * out.itemsize for s in want)
    if out.strides == want:
        return out
    xp = np if out.__class__ is np.ndarray else __import__("cupy")
    new = xp.lib.stride_tricks.as_strided(xp.empty(out.size, out.dtype), shape, want)
    new[...] = out
    return new


def _fast_setup_strides(arrays, shape):
    """The element strides of torch's fast setup for operands of one shape: contiguous,
    channels-last, or the shared strides of dense operands (None: the general rule)."""
    if all(a.flags.c_contiguous for a in arrays):
        want = [1] * len(shape)
        for i in range(len(shape) - 1, 0, -1):
            want[i - 1] = want[i] * max(shape[i], 1)
        return want
    order = channel_order(channels_last if len(shape) == 4 else channels_last_3d, len(shape))
    if order is not None and all(is_in_order(a, order) for a in arrays):
        want = [0] * len(shape)
        step = 1
        for ax in reversed(order):
            want[ax] = step
            step *= shape[ax]
        return want
    first = arrays[0].strides
    if all(a.strides == first and is_dense(a) for a in arrays):
        return [st // arrays[0].itemsize for st in first]
    return None


def _inverse(perm):
    back = [0] * len(perm)
    for i, ax in enumerate(perm):
        back[ax] = i
    return back


def keep_layout(fwd):
    """Wrap an elementwise kernel `fwd(xp, a, **params)` that writes C-ordered results (masks,
    flat series) so that its result is laid out as torch's is: in the order of `a`'s axes in
    memory, a channels-last input giving a channels-last output. A C-ordered input costs one
    flag read."""

    def run(xp, a, **params):
        if a.ndim < 2 or a.flags.c_contiguous:
            return fwd(xp, a, **params)
        perm = iter_perm(a.shape, [tuple(abs(s) for s in a.strides)])
        if perm == sorted(perm):
            return fwd(xp, a, **params)
        return fwd(xp, a.transpose(perm), **params).transpose(_inverse(perm))

    run.__name__ = getattr(fwd, "__name__", "fwd")
    run.__doc__ = fwd.__doc__
    return run


# ---------------------------------------------------------------- layout of leaf gradients
def is_dense(arr):
    """torch's is_non_overlapping_and_dense: the elements fill one block of memory, each once,
    in some order of the axes (size-1 axes are free; NumPy's negative strides never are)."""
    expected = arr.itemsize
    strides = arr.strides
    for ax in sorted(range(arr.ndim), key=strides.__getitem__):
        n = arr.shape[ax]
        if n != 1:
            if strides[ax] != expected:
                return False
            expected *= n
    return True


def _same_layout(a, b):
    """Equal strides wherever the size is not 1 (same shapes)."""
    return all(n == 1 or x == y for n, x, y in zip(a.shape, a.strides, b.strides))


def empty_strided_like(ref, dtype=None):
    """A fresh array of `ref`'s shape and exact strides (those of size-1 axes included) for a
    dense `ref`, as torch's empty_strided makes."""
    xp = np if ref.__class__ is np.ndarray else __import__("cupy")
    dtype = ref.dtype if dtype is None else np.dtype(dtype)
    buf = xp.empty(ref.size, dtype=dtype)
    scale = dtype.itemsize
    strides = tuple(st // ref.itemsize * scale for st in ref.strides)
    return xp.lib.stride_tricks.as_strided(buf, ref.shape, strides)


def strided_like(src, ref):
    """A fresh array of `ref`'s dtype, shape and exact strides holding `src`'s values."""
    new = empty_strided_like(ref)
    new[...] = src
    return new


def grad_layout(g, leaf, owned):
    """The array to store as the first `.grad` of a leaf whose data is `leaf`, per torch's
    gradient layout contract (AccumulateGrad): a non-overlapping dense leaf gets a gradient
    with its strides, any other leaf a contiguous one. None when the usual path (keep `g`
    if owned, else a C-ordered copy) already gives that. Called only when the strides of
    `g` and `leaf` differ or the leaf is not C-ordered, so C-ordered training code never
    gets here."""
    if g.flags.c_contiguous and (leaf.flags.c_contiguous or not is_dense(leaf)):
        return None
    if not is_dense(leaf):
        xp = np if g.__class__ is np.ndarray else __import__("cupy")
        return xp.ascontiguousarray(g, dtype=leaf.dtype)
    if owned and g.dtype == leaf.dtype and _same_layout(g, leaf):
        return g
    return strided_like(g, leaf)


def dim_order(self, ambiguity_check=False):
    """Mirrors `Tensor.dim_order`: the dims from outermost to innermost in memory.

    A port of torch's own Python (Tensor.dim_order and
    compute_elementwise_output_logical_to_physical_perm): an insertion sort by stride, where a
    stride of 0 or a tie decided by the sizes leaves the logical order.
    """
    if self.is_sparse:
        raise AttributeError(
            f"Can't get dim order on sparse type: {self.type()} "
            "Use Tensor.to_dense() to convert to a dense tensor first."
        )
    formats = ambiguity_check if isinstance(ambiguity_check, list) else []
    if not isinstance(ambiguity_check, bool) and not (
        isinstance(ambiguity_check, list)
        and all(isinstance(f, memory_format) for f in ambiguity_check)
    ):
        raise TypeError(
            "The ambiguity_check argument must be a bool or a list of memory formats."
        )
    sizes, strides = tuple(self.shape), self.stride()
    check = ambiguity_check if isinstance(ambiguity_check, bool) else True
    several = any(a == b for a, b in itertools.pairwise(strides)) or 1 in sizes
    unique_format = sum(self.is_contiguous(memory_format=f) for f in formats) == 1
    if check and several and not unique_format:
        raise RuntimeError(
            "The tensor does not have unique dim order, or cannot map to exact one of the "
            "given memory formats."
        )
    perm, ambiguous = _logical_to_physical(self, sizes, strides, ambiguity_check)
    if ambiguous:
        raise RuntimeError("The tensor does not have unique dim order.")
    return tuple(perm)


def _logical_to_physical(t, sizes, strides, ambiguity_check):
    ndim = len(sizes)
    if ndim <= 1:
        return list(range(ndim)), False
    contiguous = t.is_contiguous()
    last = t.is_contiguous(memory_format=channels_last) if ndim == 4 else (
        t.is_contiguous(memory_format=channels_last_3d) if ndim == 5 else False)
    if contiguous and not last:
        return list(range(ndim)), False
    if last and not contiguous:
        return [0, *range(2, ndim), 1], False

    def ge(a, b):
        if b == 0:
            return True
        if a == 0:
            return False
        return a >= b or a % b == 0

    def should_swap(a, b):
        sa, sb = strides[a], strides[b]
        if sa == 0 or sb == 0:
            return 0
        if sa == sb:
            return 0 if ge(sizes[b], sizes[a]) else 1
        if ge(sb, sa):
            return -1
        return 1 if ge(sa, sb) else 0

    # torch sorts back to front (innermost first) and reverses at the end
    perm = list(reversed(range(ndim)))
    for i in range(1, ndim):
        dim1 = i
        for dim0 in reversed(range(i)):
            order = should_swap(perm[dim0], perm[dim1])
            if order > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif order < 0:
                break
    ambiguous = bool(ambiguity_check) and any(
        should_swap(perm[i], perm[i + 1]) != -1 for i in range(ndim - 1)
    )
    return list(reversed(perm)), ambiguous
