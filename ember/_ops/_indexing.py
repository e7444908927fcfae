"""PyTorch index expressions turned into NumPy indices, and raw-array reads and writes by them.

An index is kept as a pair `(first, second)` applied one after the other: `x[first][second]`.
`first` is basic (ints, slices, None) so `x[first]` is a view; `second` is None or a NumPy
advanced index applied to that view. PyTorch applies integers before advanced indices (NumPy
treats an integer among index arrays as one more index array, which moves the indexed dims
differently), and the two levels reproduce PyTorch's order exactly. `(None, idx)` holds a plain
NumPy index.
"""

import operator

import numpy as np

from .._tensor import Tensor

_FULL = slice(None)
_INT_KINDS = "iu"

# kinds of index entries
_INT, _SLICE, _NONE, _ELL, _ARR, _MASK, _BADT = range(7)


def xp_of(a):
    """numpy or cupy: the module an array belongs to."""
    if a.__class__ is np.ndarray or isinstance(a, np.generic):
        return np
    import cupy

    return cupy


def _seq_as_tuple(seq):
    # PyTorch (like old NumPy) reads x[[0, slice(None)]] as x[0, :]: a short list that holds a
    # sequence, slice, Ellipsis, None or tensor is a tuple of indices
    if len(seq) >= 32:
        return False
    for it in seq:
        if it is None or it is Ellipsis or isinstance(it, (slice, list, tuple, Tensor, np.ndarray)):
            return True
    return False


def _bad_type(it):
    name = type(it).__name__
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
        f"valid indices (got {name})"
    )


def _bad_tensor_dtype():
    raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


def _classify(it, xp, dev):
    """(kind, value) of one index entry; arrays come back on `xp`."""
    c = it.__class__
    if c is int:
        return _INT, it
    if c is slice:
        return _SLICE, it
    if it is None:
        return _NONE, None
    if it is Ellipsis:
        return _ELL, None
    if c is bool or c is np.bool_:
        return _MASK, xp.asarray(bool(it))
    if isinstance(it, Tensor):
        kind = it._dtype._kind
        name = it._dtype.name
        if name == "bool" or name == "uint8":
            arr = it._data
            if it._device is not dev:
                from .._device import move

                arr = move(arr, dev)
            return _MASK, arr.astype(bool, copy=False)
        if kind != 1 or name not in ("int64", "int32"):
            # torch counts the dims first ("too many indices" wins), then refuses the dtype
            return _BADT, None
        if it._data.ndim == 0:
            return _INT, int(it._data)
        arr = it._data
        if it._device is not dev:
            from .._device import move

            arr = move(arr, dev)
        return _ARR, arr
    if isinstance(it, np.integer):
        return _INT, int(it)
    if isinstance(it, (list, tuple, range, np.ndarray)) or hasattr(it, "__cuda_array_interface__"):
        return _from_sequence(it, xp)
    if isinstance(it, (str, bytes)):
        # torch tries to make an index tensor of it, and its tensor constructor refuses
        raise TypeError(f"new(): invalid data type '{type(it).__name__}'")
    _bad_type(it)


def _from_sequence(it, xp):
    if isinstance(it, (list, tuple, range)):
        arr = np.asarray(_plain(it))
    else:
        arr = it
    k = arr.dtype.kind
    if k == "b":
        return _MASK, xp.asarray(arr)
    if arr.dtype == np.uint8:
        return _MASK, xp.asarray(arr).astype(bool)
    if arr.ndim == 0 and k in _INT_KINDS:
        return _INT, int(arr)
    if k in _INT_KINDS or k == "f" or arr.size == 0:
        # PyTorch turns a list (or array) of numbers into a long tensor, floats truncated
        return _ARR, xp.asarray(arr).astype(np.int64, copy=False)
    _bad_tensor_dtype()


def _plain(seq):
    out = []
    for v in seq:
        if isinstance(v, Tensor):
            v = v.tolist()
        elif isinstance(v, (list, tuple)):
            v = _plain(v)
        out.append(v)
    return out


def _as_int(v):
    if v is None:
        return None
    return operator.index(v)


def _check_slice(s):
    step = _as_int(s.step)
    if step is not None and step <= 0:
        if step == 0:
            raise ValueError("slice step cannot be zero")
        raise ValueError("step must be greater than zero")
    plain = (int, type(None))
    if s.start.__class__ in plain and s.stop.__class__ in plain:
        return s
    return slice(_as_int(s.start), _as_int(s.stop), step)


class Parsed:
    """A parsed index: `pair` as described above, and whether it cuts a view (for the leaf
    error's wording)."""

    __slots__ = ("only_mask", "pair", "viewish")

    def __init__(self, pair, viewish, only_mask):
        self.pair = pair
        self.viewish = viewish
        self.only_mask = only_mask


def parse(index, shape, xp, dev):
    """Turn a PyTorch index into a Parsed (checks bounds and types with PyTorch's errors)."""
    single = False
    if index.__class__ is not tuple:
        if index.__class__ is list and _seq_as_tuple(index):
            index = tuple(index)
        else:
            index = (index,)
            single = True
    fast = _basic_only(index, shape)
    if fast is not None:
        return fast
    entries = []
    consumed = 0
    ell = False
    extra_ell = False
    masks = 0
    py_bool = False
    for it in index:
        kind, val = _classify(it, xp, dev)
        if kind == _ELL:
            extra_ell = ell
            ell = True
        elif kind == _MASK:
            consumed += val.ndim
            # torch makes a Python bool or a 0-d bool tensor an int64 index tensor, which is
            # no mask to fill
            if val.ndim:
                masks += 1
            else:
                py_bool = True
        elif kind != _NONE:
            consumed += 1
        entries.append((kind, val))
    nd = len(shape)
    if extra_ell:
        entries, consumed = _torch_ellipses(entries, consumed, nd)
    if consumed > nd:
        if nd == 0 and single:
            _zero_dim_single(*entries[0])
        raise IndexError(f"too many indices for tensor of dimension {nd}")
    if any(kind == _BADT for kind, _ in entries):
        _bad_tensor_dtype()
    return _build(entries, shape, nd - consumed, masks == 1 and not py_bool)


def _zero_dim_single(kind, val):
    # torch's x[i] and x[a:b] (no tuple) on a 0-d tensor take select() and slice(), which have
    # messages of their own; inside a tuple they are "too many indices"
    if kind == _INT:
        if val == 0:
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            )
        raise IndexError(f"index {val} is out of bounds for dimension 0 with size 0")
    if kind == _SLICE:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")


def _torch_ellipses(entries, consumed, nd):
    """torch accepts several '...': each one skips the dims the other entries leave, and
    skipping past the last dim is harmless (x[..., 0, ...] is x[:, 0]). The entries with every
    '...' written as full slices, the ones past the end dropped."""
    skip = max(nd - consumed, 0)
    out = []
    for kind, val in entries:
        if kind == _ELL:
            out.extend([(_SLICE, _FULL)] * skip)
            consumed += skip
        else:
            out.append((kind, val))
    while consumed > nd and out and out[-1] == (_SLICE, _FULL):
        out.pop()
        consumed -= 1
    return out, consumed


def _basic_only(index, shape):
    """The common case of only ints, slices, None and Ellipsis, parsed in one pass (None when
    the index holds anything else or is malformed: the general path then reports it)."""
    consumed = 0
    ell = False
    for it in index:
        c = it.__class__
        if c is int or c is slice:
            consumed += 1
        elif it is Ellipsis:
            if ell:
                return None
            ell = True
        elif it is not None:
            return None
    nd = len(shape)
    if consumed > nd:
        return None
    dim = 0
    viewish = False
    key = []
    for it in index:
        c = it.__class__
        if c is int:
            n = shape[dim]
            if it >= n or it < -n:
                return None
            viewish = True
            dim += 1
        elif c is slice:
            if it.step is not None or it.start.__class__ not in (int, type(None)) or (
                it.stop.__class__ not in (int, type(None))
            ):
                it = _check_slice(it)
            if not viewish and not _is_full(it, shape[dim]):
                viewish = True
            dim += 1
        elif it is None:
            viewish = True
        else:
            dim += nd - consumed
        key.append(it)
    if not ell:
        key.append(Ellipsis)
    return Parsed((tuple(key), None), viewish, False)


def _build(entries, shape, n_ell, one_mask):
    basic = []
    adv = []
    arrays = []  # (position in adv, array, dim) for the bounds check
    dim = 0
    viewish = False
    n_adv = 0
    for kind, val in entries:
        if kind == _INT:
            n = shape[dim]
            if val >= n or val < -n:
                raise IndexError(f"index {val} is out of bounds for dimension {dim} with size {n}")
            basic.append(val)
            viewish = True
            dim += 1
        elif kind == _SLICE:
            val = _check_slice(val)
            if not viewish and not _is_full(val, shape[dim]):
                viewish = True
            basic.append(val)
            adv.append(_FULL)
            dim += 1
        elif kind == _NONE:
            basic.append(None)
            adv.append(_FULL)
            viewish = True
        elif kind == _ELL:
            basic.extend([_FULL] * n_ell)
            adv.extend([_FULL] * n_ell)
            dim += n_ell
        elif kind == _ARR:
            n_adv += 1
            basic.append(_FULL)
            arrays.append((len(adv), val, shape[dim]))
            adv.append(val)
            dim += 1
        else:
            n_adv += 1
            k = val.ndim
            _check_mask(val, basic, shape, dim)
            basic.extend([_FULL] * k)
            adv.append(val)
            dim += k
    # torch's index_put_ turns one bool mask (the other entries basic) with a one-element value
    # into masked_fill_, which takes any dtype: a[0, mask] = torch.tensor(7.5) on ints works
    only_mask = one_mask and not arrays
    if not n_adv:
        basic.append(Ellipsis)
        return Parsed((tuple(basic), None), viewish, False)
    first = None
    for b in basic:
        if b is not _FULL:
            basic.append(Ellipsis)
            first = tuple(basic)
            break
    _check_arrays(adv, arrays, shape, basic, n_adv)
    return Parsed((first, tuple(adv)), viewish, only_mask)


def _is_full(s, n):
    return (s.start is None or s.start == 0) and (s.stop is None or s.stop >= n) and (
        s.step is None or s.step == 1
    )


def _check_mask(mask, basic, shape, dim):
    k = mask.ndim
    if k == 0:
        return
    want = shape[dim : dim + k]
    if tuple(mask.shape) == tuple(want):
        return
    # PyTorch reports the shape after the integers and Nones before the mask were applied
    reduced = np.broadcast_to(np.empty(()), shape)[tuple(basic) + (Ellipsis,)].shape
    rdim = len(np.broadcast_to(np.empty(()), shape[:dim])[tuple(basic)].shape) if basic else 0
    for j in range(k):
        if mask.shape[j] != want[j]:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {j} does not match the shape "
                f"of the indexed tensor {list(reduced)} at index {rdim + j}"
            )


def _check_arrays(adv, arrays, shape, basic, n_adv):
    """Broadcasting and bounds of the index arrays, in PyTorch's order, with its messages
    (`n_adv`: how many index tensors and masks `adv` holds)."""
    shapes = None
    if n_adv >= 2:
        # (one index tensor or mask alone always broadcasts: a[mask] skips the mask's count)
        shapes = _index_shapes(adv)
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            txt = ", ".join(str(list(s)) for s in shapes)
            raise IndexError(
                "shape mismatch: indexing tensors could not be broadcast together with shapes "
                f"{txt}"
            ) from None
    for _, arr, n in arrays:
        if n == 0 and arr.size:
            raise IndexError("index is out of bounds for dimension with size 0")
    for pos, arr, n in arrays:
        if arr.size and (int(arr.max()) >= n or int(arr.min()) < -n):
            # torch's kernel checks the indices it reads: none when the result is empty
            if shapes is None:
                shapes = _index_shapes(adv)
            if not _empty_result(adv, shape, basic, shapes):
                _raise_out_of_bounds(adv, arrays)
            adv[pos] = arr * 0  # any index in range gives the same empty result


def _empty_result(adv, shape, basic, shapes):
    """Whether x[basic][adv] has no elements (dims that no array indexes, or the index shape)."""
    if 0 in np.broadcast_shapes(*shapes):
        return True
    view = np.broadcast_to(np.empty(()), shape)[tuple(basic)].shape
    k = 0
    for a in adv:
        # an array or mask takes as many dims of the view as it has (a 0-d bool takes none)
        step = 1 if a is _FULL or a.dtype != bool else a.ndim
        if a is _FULL and k < len(view) and view[k] == 0:
            return True
        k += step
    return 0 in view[k:]


def _index_shapes(adv):
    shapes = []
    for a in adv:
        if a is _FULL:
            continue
        if a.dtype == bool:
            # a 0-d bool (a Python bool) is an index tensor of shape [1] (True) or [0] (False)
            shapes.extend([(int(a.sum()),)] * a.ndim if a.ndim else [(int(a),)])
        else:
            shapes.append(tuple(a.shape))
    return shapes


def _raise_out_of_bounds(adv, arrays):
    # PyTorch walks the broadcast index elements in order and, for each, the index tensors in
    # order: report the first bad one it meets, naming the tensor's position among them
    flat = []
    sizes = {}
    for pos, arr, n in arrays:
        sizes[pos] = n
    for pos, a in enumerate(adv):
        if a is _FULL:
            continue
        if a.dtype == bool:
            flat.extend((x, None) for x in a.nonzero())
        else:
            flat.append((a, sizes[pos]))
    try:
        b = np.broadcast_arrays(*[_np(x) for x, _ in flat])
    except ValueError:
        b = [_np(x).ravel() for x, _ in flat]
    best = None
    for k, ((_, n), arr) in enumerate(zip(flat, b)):
        if n is None:
            continue
        bad = np.flatnonzero((arr.ravel() >= n) | (arr.ravel() < -n))
        if bad.size and (best is None or bad[0] < best[0]):
            best = (bad[0], k, int(arr.ravel()[bad[0]]), n)
    _, k, v, n = best
    raise IndexError(f"index {v} is out of bounds for dimension {k} with size {n}")


def _np(a):
    if a.__class__ is np.ndarray:
        return a
    return a.get()


# ---------------------------------------------------------------- raw reads and writes
def take(x, pair):
    """x[first][second] on raw arrays."""
    first, second = pair
    if x.__class__ is not np.ndarray and isinstance(x, np.generic):
        x = np.asarray(x)
    if first is not None:
        x = x[first]
    if second is not None:
        x = x[second]
    return x


def put(out, pair, values, accumulate):
    """Write (or add, accumulating repeated indices) `values` into `out` at `pair`."""
    first, second = pair
    try:
        if second is None:
            if accumulate:
                out[first] += values
            else:
                out[first] = values
            return
        target = out if first is None else out[first]
        if accumulate:
            add_at(target, second, values)
        else:
            target[second] = values
    except ValueError as e:
        if "read-only" in str(e):
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers "
                "to a single memory location. Please clone() the tensor before performing the "
                "operation."
            ) from None
        raise


def add_at(target, idx, values):
    """target[idx] += values with repeated indices adding up (NumPy's `add.at`)."""
    xp = xp_of(target)
    if xp is not np:
        at = getattr(xp.add, "at", None)
        if at is not None:
            at(target, idx, values)
        else:
            import cupyx

            cupyx.scatter_add(target, idx, values)
        return
    if idx.__class__ is not tuple:
        idx = (idx,)
    pos = _int_array_positions(idx)
    if pos is not None and target.dtype != bool:
        if len(pos) == 1 and target.ndim >= 2:
            d = pos[0]
            arr = idx[d]
            if d:
                # the indexed axis first: the values' block of index dims moves with it
                full = target.shape[:d] + arr.shape + target.shape[d + 1 :]
                block = tuple(range(d, d + arr.ndim))
                values = np.moveaxis(np.broadcast_to(values, full), block, range(arr.ndim))
                target = np.moveaxis(target, d, 0)
            _add_rows(target, arr, values)
            return
        if len(pos) == len(idx) == target.ndim and target.flags.c_contiguous:
            _add_flat(target, idx, values)
            return
    np.add.at(target, idx, values)


def _int_array_positions(idx):
    """Positions of the index arrays when idx is only int arrays and full slices, else None."""
    pos = []
    for k, a in enumerate(idx):
        if a.__class__ is np.ndarray:
            if a.dtype.kind not in _INT_KINDS:
                return None
            pos.append(k)
        elif a != _FULL:
            return None
    return pos or None


def _add_flat(target, idx, values):
    # one index array per dim: their linear offsets into the flat target make `add.at` 1-D,
    # NumPy's fast case
    lin = 0
    for a, n, st in zip(idx, target.shape, _c_strides(target.shape)):
        if a.size and int(a.min()) < 0:
            a = np.where(a < 0, a + n, a)
        lin = lin + a * st
    lin = np.asarray(lin)
    vals = np.broadcast_to(np.asarray(values, dtype=target.dtype), lin.shape)
    np.add.at(target.reshape(-1), lin.ravel(), vals.ravel())


def _c_strides(shape):
    out = []
    acc = 1
    for s in reversed(shape):
        out.append(acc)
        acc *= s
    return tuple(reversed(out))


def _add_rows(target, idx, values):
    # rows picked by one index array (an embedding's backward): sum the rows of each repeated
    # index with one sort and `add.reduceat`, much faster than `add.at`
    n = target.shape[0]
    flat = idx.ravel()
    if flat.size == 0:
        return
    flat = np.where(flat < 0, flat + n, flat)
    rows = np.broadcast_to(values, idx.shape + target.shape[1:]).reshape(
        (flat.size,) + target.shape[1:]
    )
    order = np.argsort(flat, kind="stable")
    s = flat[order]
    starts = np.flatnonzero(np.concatenate(([True], s[1:] != s[:-1])))
    if starts.size == s.size:
        target[s] += rows[order]
        return
    sums = np.add.reduceat(rows[order], starts, axis=0)
    target[s[starts]] += sums
