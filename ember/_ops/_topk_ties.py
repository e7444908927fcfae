"""The order in which `torch.topk` on the CPU returns tied values.

PyTorch's CPU topk (aten/src/ATen/native/TopKImpl.h) fills a vector of (value, index) pairs
and then, with a comparator that looks at the values only (NaN the largest):
  - when k * 64 <= n: std::partial_sort of the first k (a heap select, then sort_heap);
  - otherwise: std::nth_element at k - 1, then (sorted=True) std::sort of the first k - 1.
Neither is stable, so the indices of equal values come out in the order that libstdc++'s
algorithms leave them in (`topk([3, 3, 3, 3, 3], 2)` gives indices [2, 4]). Programs print
those indices (argmax-like picks over counts, tied scores), so for the rows that have ties
the algorithms are replayed here exactly as libstdc++ writes them. Rows without ties have a
single answer, which the fast NumPy path gives already.
"""

import math

import numpy as np


def _comparator(largest):
    # torch's TopKComparator: NaN counts as the largest value
    isnan = math.isnan
    if largest:
        return lambda x, y: (isnan(x) and not isnan(y)) or x > y
    return lambda x, y: (not isnan(x) and isnan(y)) or x < y


# ---------------------------------------------------------------- libstdc++ (bits/stl_heap.h)
# The helpers work on two parallel lists, values `v` and indices `i`, from position `f`.
def _push_heap(v, i, f, hole, top, val, idx, comp):
    parent = (hole - 1) // 2
    while hole > top and comp(v[f + parent], val):
        v[f + hole], i[f + hole] = v[f + parent], i[f + parent]
        hole = parent
        parent = (hole - 1) // 2
    v[f + hole], i[f + hole] = val, idx


def _adjust_heap(v, i, f, hole, length, val, idx, comp):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if comp(v[f + child], v[f + child - 1]):
            child -= 1
        v[f + hole], i[f + hole] = v[f + child], i[f + child]
        hole = child
    if (length & 1) == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        v[f + hole], i[f + hole] = v[f + child - 1], i[f + child - 1]
        hole = child - 1
    _push_heap(v, i, f, hole, top, val, idx, comp)


def _make_heap(v, i, f, last, comp):
    length = last - f
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(v, i, f, parent, length, v[f + parent], i[f + parent], comp)
        if parent == 0:
            return
        parent -= 1


def _pop_heap_to(v, i, f, last, result, comp):
    # __pop_heap(first, last, result): the front goes to `result`, result's value sinks in
    val, idx = v[result], i[result]
    v[result], i[result] = v[f], i[f]
    _adjust_heap(v, i, f, 0, last - f, val, idx, comp)


def _sort_heap(v, i, f, last, comp):
    while last - f > 1:
        last -= 1
        _pop_heap_to(v, i, f, last, last, comp)


def _heap_select(v, i, f, middle, last, comp):
    _make_heap(v, i, f, middle, comp)
    for j in range(middle, last):
        if comp(v[j], v[f]):
            _pop_heap_to(v, i, f, middle, j, comp)


# ---------------------------------------------------------------- libstdc++ (bits/stl_algo.h)
def _swap(v, i, a, b):
    v[a], v[b] = v[b], v[a]
    i[a], i[b] = i[b], i[a]


def _move_median_to_first(v, i, result, a, b, c, comp):
    if comp(v[a], v[b]):
        if comp(v[b], v[c]):
            _swap(v, i, result, b)
        elif comp(v[a], v[c]):
            _swap(v, i, result, c)
        else:
            _swap(v, i, result, a)
    elif comp(v[a], v[c]):
        _swap(v, i, result, a)
    elif comp(v[b], v[c]):
        _swap(v, i, result, c)
    else:
        _swap(v, i, result, b)


def _unguarded_partition_pivot(v, i, first, last, comp):
    mid = first + (last - first) // 2
    _move_median_to_first(v, i, first, first + 1, mid, last - 1, comp)
    lo, hi, pivot = first + 1, last, v[first]
    while True:
        while comp(v[lo], pivot):
            lo += 1
        hi -= 1
        while comp(pivot, v[hi]):
            hi -= 1
        if not lo < hi:
            return lo
        _swap(v, i, lo, hi)
        lo += 1


def _unguarded_linear_insert(v, i, last, comp):
    val, idx = v[last], i[last]
    nxt = last - 1
    while comp(val, v[nxt]):
        v[last], i[last] = v[nxt], i[nxt]
        last = nxt
        nxt -= 1
    v[last], i[last] = val, idx


def _insertion_sort(v, i, first, last, comp):
    if first == last:
        return
    for j in range(first + 1, last):
        if comp(v[j], v[first]):
            val, idx = v[j], i[j]
            v[first + 1:j + 1], i[first + 1:j + 1] = v[first:j], i[first:j]
            v[first], i[first] = val, idx
        else:
            _unguarded_linear_insert(v, i, j, comp)


def _introsort_loop(v, i, first, last, depth, comp):
    while last - first > 16:
        if depth == 0:
            # __partial_sort(first, last, last): a heap sort
            _heap_select(v, i, first, last, last, comp)
            _sort_heap(v, i, first, last, comp)
            return
        depth -= 1
        cut = _unguarded_partition_pivot(v, i, first, last, comp)
        _introsort_loop(v, i, cut, last, depth, comp)
        last = cut


def _sort(v, i, first, last, comp):
    if first == last:
        return
    _introsort_loop(v, i, first, last, ((last - first).bit_length() - 1) * 2, comp)
    if last - first > 16:
        _insertion_sort(v, i, first, first + 16, comp)
        for j in range(first + 16, last):
            _unguarded_linear_insert(v, i, j, comp)
    else:
        _insertion_sort(v, i, first, last, comp)


def _nth_element(v, i, first, nth, last, comp):
    if first == last or nth == last:
        return
    depth = ((last - first).bit_length() - 1) * 2
    while last - first > 3:
        if depth == 0:
            _heap_select(v, i, first, nth + 1, last, comp)
            _swap(v, i, first, nth)
            return
        depth -= 1
        cut = _unguarded_partition_pivot(v, i, first, last, comp)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(v, i, first, last, comp)


def topk_row(values, k, largest, sorted=True):
    """The indices torch.topk returns for one row (a list of Python numbers)."""
    comp = _comparator(largest)
    n = len(values)
    if k == 0:
        return []
    v, i = list(values), list(range(n))
    if k * 64 <= n:
        # std::partial_sort(begin, begin + k, end): __heap_select, then __sort_heap (sorted
        # or not: partial_sort always sorts)
        _heap_select(v, i, 0, k, n, comp)
        _sort_heap(v, i, 0, k, comp)
        return i[:k]
    _nth_element(v, i, 0, k - 1, n, comp)
    if sorted:
        _sort(v, i, 0, k - 1, comp)
    return i[:k]


def unsorted_topk(a, k, axis, largest):
    """The indices of torch.topk(sorted=False): the order its selection leaves them in
    (nth_element's), replayed row by row; None past the replay budget."""
    n = a.shape[axis]
    if k * 64 <= n or a.dtype.kind not in "fiu" or a.size > _MAX_REPLAY:
        # (k * 64 <= n: torch's partial_sort sorts anyway, as the sorted path does; this also
        # keeps top-k sampling over a large vocabulary off the Python replay)
        return None
    a2 = np.moveaxis(a, axis, -1).reshape(-1, n)
    out = np.array([topk_row(row, k, largest, False) for row in a2.tolist()],
                   dtype=np.int64).reshape(a2.shape[0], k)
    shape = np.moveaxis(a, axis, -1).shape[:-1] + (k,)
    return np.moveaxis(out.reshape(shape), -1, axis)


# rows with ties are replayed in Python: past this many elements in such rows, keep NumPy's
# (valid, but differently ordered) answer rather than stall
_MAX_REPLAY = 1 << 18


def fix_tie_order(a, idx, vals, k, axis, largest):
    """`idx` (NumPy, sorted topk indices along `axis`) with the rows that hold ties re-ordered
    as torch orders them; `vals` are a's values at `idx`. Returns None when nothing changes."""
    if k == 0 or a.dtype.kind not in "fiu":
        return None
    # a row's answer is unique unless two selected values are equal or the k-th value occurs
    # again in the row. First a cheap whole-tensor test (topk runs once per batch in
    # training loops): every row holds its k-th value once, so more (or, for a NaN, fewer)
    # matches than rows, or selected values not strictly monotone (equal neighbours; NaNs
    # compare false), may mean a tie
    pre = (slice(None),) * axis
    kth = vals[pre + (slice(k - 1, k),)]
    if np.count_nonzero(a == kth) == kth.size:
        if k == 1:
            return None
        head, tail = vals[pre + (slice(1, None),)], vals[pre + (slice(None, -1),)]
        if np.count_nonzero(head < tail if largest else head > tail) == head.size:
            return None
    n = a.shape[axis]
    a2 = np.moveaxis(a, axis, -1).reshape(-1, n)
    v2 = np.moveaxis(vals, axis, -1).reshape(-1, k)
    kth = v2[:, -1:]
    if a.dtype.kind == "f":
        count = np.where(np.isnan(kth), np.isnan(a2), a2 == kth).sum(1)
        adj = (v2[:, 1:] == v2[:, :-1]) | (np.isnan(v2[:, 1:]) & np.isnan(v2[:, :-1]))
    else:
        count = (a2 == kth).sum(1)
        adj = v2[:, 1:] == v2[:, :-1]
    rows = np.flatnonzero((count > 1) | adj.any(1))
    if rows.size == 0 or rows.size * n > _MAX_REPLAY:
        return None
    out = np.moveaxis(idx, axis, -1).reshape(-1, k).copy()
    for r in rows.tolist():
        out[r] = topk_row(a2[r].tolist(), k, largest)
    return np.moveaxis(out.reshape(np.moveaxis(idx, axis, -1).shape), -1, axis)
