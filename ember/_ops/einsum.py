"""einsum: PyTorch's equation rules (ellipses, implicit output, sublist form, broadcasting of
size-1 labels), a forward that runs two-operand contractions as one batched matmul, and a
backward that is einsum again: the gradient of an operand contracts the output gradient with
every other operand (see `_einsum_grad`).
"""

import numpy as np

from .. import _dtype as D
from ._bind import public
from ._inplace import _TORCH_NAMES
from ._namespace import register_ns
from ._registry import apply, defop


def _tn(t):
    return _TORCH_NAMES[t._dtype.name]


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _einsum_error(msg):
    raise RuntimeError("einsum(): " + msg)


def _split_terms(equation):
    """Split 'ab,b...->a' into input terms and output term (None when implicit) with checks."""
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    pos = 0
    for k, term in enumerate(terms):
        _check_term(term, k, pos, equation)
        pos += len(term) + 1
    if arrow:
        _check_term(rhs, None, len(lhs) + 2, equation)
    return [t.replace(" ", "") for t in terms], (rhs.replace(" ", "") if arrow else None)


def _check_term(term, k, pos, equation):
    i = 0
    found = False
    while i < len(term):
        c = term[i]
        if c == ".":
            who = f"for operand {k}" if k is not None else "for the output"
            if term[i:i + 3] != "...":
                _einsum_error(f"found '.' {who} that is not part of any ellipsis")
            if found:
                _einsum_error(f"found '.' {who} for which an ellipsis was already found")
            found = True
            i += 3
            continue
        if c != " " and c not in _LETTERS:
            _einsum_error(
                f"invalid subscript given at index {pos + i} in the equation string, subscripts "
                "must be in [a-zA-Z]"
            )
        i += 1


def _canonical_einsum(equation, shapes):
    """The equation with ellipses spelled out as letters and the output made explicit."""
    terms, rhs = _split_terms(equation)
    if len(terms) > len(shapes):
        _einsum_error("fewer operands were provided than specified in the equation")
    if len(terms) < len(shapes):
        _einsum_error("more operands were provided than specified in the equation")
    used = set(equation)
    free = [c for c in _LETTERS if c not in used]
    ell_n = 0
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        n = len(term.replace("...", ""))
        if "..." in term:
            if n > len(shape):
                _einsum_error(
                    f"the number of subscripts in the equation ({n}) is more than the number of "
                    f"dimensions ({len(shape)}) for operand {k}"
                )
            ell_n = max(ell_n, len(shape) - n)
        elif n != len(shape):
            _einsum_error(
                f"the number of subscripts in the equation ({n}) does not match the number of "
                f"dimensions ({len(shape)}) for operand {k} and no ellipsis was given"
            )
    ell = "".join(free[:ell_n])
    ins = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            k = len(shape) - len(term.replace("...", ""))
            term = term.replace("...", ell[ell_n - k:])
        ins.append(term)
    _check_sizes(ins, shapes)
    if rhs is None:
        counts = {}
        for term in ins:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ell))
    else:
        out = rhs.replace("...", ell)
        seen = set()
        every = set("".join(ins))
        for c in out:
            if c in seen:
                _einsum_error(f"output subscript {c} appears more than once in the output")
            if c not in every:
                _einsum_error(
                    f"output subscript {c} does not appear in the equation for any input operand"
                )
            seen.add(c)
    return ",".join(ins) + "->" + out


def _check_sizes(ins, shapes):
    sizes = {}
    for k, (term, shape) in enumerate(zip(ins, shapes)):
        mine = {}
        for c, s in zip(term, shape):
            if c in mine and mine[c] != s:
                _einsum_error(
                    f"subscript {c} is repeated for operand {k} but the sizes don't match, "
                    f"{s} != {mine[c]}"
                )
            mine[c] = s
        for c, s in mine.items():
            old = sizes.get(c)
            if old is None or old == 1:
                sizes[c] = s
            elif s != 1 and s != old:
                _einsum_error(
                    f"subscript {c} has size {s} for operand {k} which does not broadcast with "
                    f"previously seen size {old}"
                )


def _einsum_arrays(eq, *arrays, xp=np):
    """einsum on raw arrays: two operands through one batched matmul (as PyTorch does), more
    through NumPy's optimized contraction order, one operand through plain einsum."""
    n = len(arrays)
    if n == 2:
        key = (eq, arrays[0].shape, arrays[1].shape)
        plan = _PLANS.get(key)
        if plan is None:
            plan = _pair_plan(eq, arrays[0].shape, arrays[1].shape)
            if len(_PLANS) > 512:
                _PLANS.clear()
            _PLANS[key] = plan
        if plan is not False:
            return _run_pair(plan, arrays[0], arrays[1], xp)
    if xp is not np:
        return xp.einsum(eq, *arrays)
    if n >= 2:
        return np.einsum(eq, *arrays, optimize=True)
    out = np.einsum(eq, arrays[0])
    # a pure permutation or diagonal comes back as a view: give the result its own memory
    return out.copy() if out.base is not None else out


_PLANS = {}


def _pair_plan(eq, sa, sb):
    """How to compute a two-operand einsum as reduce, permute, reshape, matmul, permute."""
    lhs, out = eq.split("->")
    a, b = lhs.split(",")
    size = {}
    for sub, shape in ((a, sa), (b, sb)):
        for c, s in zip(sub, shape):
            if size.get(c, s) != s:
                return False  # size-1 broadcasting of a label: leave it to NumPy
            size[c] = s
    # first sum the labels an operand holds alone, and take its diagonals
    a_keep = "".join(dict.fromkeys(c for c in a if c in out or c in b))
    b_keep = "".join(dict.fromkeys(c for c in b if c in out or c in a))
    batch = [c for c in out if c in a_keep and c in b_keep]
    con = [c for c in a_keep if c in b_keep and c not in out]
    a_only = [c for c in a_keep if c not in b_keep]
    b_only = [c for c in b_keep if c not in a_keep]
    a_order = batch + a_only + con
    b_order = batch + con + b_only
    a_perm = tuple(a_keep.index(c) for c in a_order)
    b_perm = tuple(b_keep.index(c) for c in b_order)

    def prod(cs):
        n = 1
        for c in cs:
            n *= size[c]
        return n

    bsz = prod(batch)
    a_shape = (bsz, prod(a_only), prod(con))
    b_shape = (bsz, prod(con), prod(b_only))
    mid = batch + a_only + b_only
    mid_shape = tuple(size[c] for c in mid)
    out_perm = tuple(mid.index(c) for c in out)
    a_pre = a + "->" + a_keep if a != a_keep else None
    b_pre = b + "->" + b_keep if b != b_keep else None
    return a_pre, b_pre, a_perm, a_shape, b_perm, b_shape, mid_shape, out_perm


def _run_pair(plan, a, b, xp):
    a_pre, b_pre, a_perm, a_shape, b_perm, b_shape, mid_shape, out_perm = plan
    if a_pre is not None:
        a = xp.einsum(a_pre, a)
    if b_pre is not None:
        b = xp.einsum(b_pre, b)
    a = a.transpose(a_perm).reshape(a_shape)
    b = b.transpose(b_perm).reshape(b_shape)
    res = (a @ b).reshape(mid_shape)
    if out_perm != tuple(range(len(out_perm))):
        res = xp.ascontiguousarray(res.transpose(out_perm))
    return res


@defop("einsum", promote=False, save_inputs=True)
def _einsum(xp, *arrays, eq):
    return _einsum_arrays(eq, *arrays, xp=xp)


@_einsum.defgrad
def _(F, g, out, *ops, need, extra, eq):
    lhs, res = eq.split("->")
    ins = lhs.split(",")
    grads = []
    for i, sub in enumerate(ins):
        if not need[i]:
            grads.append(None)
            continue
        others = [F.conj(ops[j]) for j in range(len(ins)) if j != i]
        other_subs = [ins[j] for j in range(len(ins)) if j != i]
        grads.append(_einsum_grad(F, g, res, sub, ops[i].shape, others, other_subs, eq))
    return tuple(grads)


def _einsum_grad(F, g, res, sub, shape, others, other_subs, eq):
    """Gradient of one einsum operand with subscripts `sub` and shape `shape`.

    Contract g (subscripts `res`) with the other operands onto the operand's distinct labels.
    Labels summed inside the operand alone (in no other term) come back by broadcasting; a label
    repeated in the operand (a diagonal, as in 'ii->') comes back by multiplying with identity
    matrices; labels of size 1 that broadcast are summed at the end.
    """
    uniq = "".join(dict.fromkeys(sub))
    avail = set(res).union(*other_subs)
    tgt = "".join(c for c in uniq if c in avail)
    size = {}
    for c, s in zip(sub, shape):
        size[c] = s
    spec = ",".join([res] + other_subs) + "->" + tgt
    gi = F.linalg_einsum(spec, g, *others)
    if len(tgt) < len(uniq):
        gi = F.reshape(gi, tuple(size[c] if c in avail else 1 for c in uniq))
        gi = F.broadcast_to(gi, tuple(size[c] for c in uniq))
    if len(uniq) < len(sub):
        used = set(eq)
        free = iter(c for c in _LETTERS if c not in used)
        spelled = ""
        eyes = []
        eye_subs = []
        for c in sub:
            if c in spelled:
                f = next(free)
                eyes.append(F.linalg_eye(size[c], size[c], gi))
                eye_subs.append(c + f)
                spelled += f
            else:
                spelled += c
        gi = F.linalg_einsum(",".join([uniq] + eye_subs) + "->" + spelled, gi, *eyes)
    return F.sum_to(gi, tuple(shape))


def _sublist_to_eq(args):
    """einsum(op1, sub1, op2, sub2, ..., [sub_out]) -> ('ab,bc->ac', operands)."""
    ops = list(args[0::2])
    subs = list(args[1::2])
    out = None
    if len(ops) > len(subs):
        out = ops.pop()
        out = out if not hasattr(out, "_data") else None

    def term(sublist):
        s = ""
        for v in sublist:
            if v is Ellipsis:
                s += "..."
            elif 0 <= v < 52:
                s += _LETTERS[v]
            else:
                raise ValueError(
                    "einsum(): subscript in subscript list is not within the valid range [0, 52)"
                )
        return s

    eq = ",".join(term(s) for s in subs)
    if out is not None:
        eq += "->" + term(out)
    return eq, ops


@public("einsum", method=False)
def einsum(*args):
    """Mirrors `torch.einsum` (string or sublist form; operands may come as one list)."""
    if not isinstance(args[0], str):
        equation, operands = _sublist_to_eq(args)
    else:
        equation = args[0]
        operands = list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = list(operands[0])
    eq = _canonical_einsum(equation, [t._data.shape for t in operands])
    first = operands[0]
    for t in operands[1:]:
        if t._dtype is not first._dtype:
            raise RuntimeError(f"expected scalar type {_tn(first)} but found {_tn(t)}")
    if first._dtype._kind < 2:
        return _einsum_int(eq, operands)
    return apply(_einsum, tuple(operands), {"eq": eq})


def _einsum_int(eq, operands):
    # integer and bool einsum: a lone operand that sums promotes like torch.sum (to int64)
    from .._tensor import _new_tensor

    first = operands[0]
    lhs, res = eq.split("->")
    arrays = [t._data for t in operands]
    if len(operands) == 1:
        dt = D.int64 if set(lhs) - set(res) else first._dtype
        out = np.einsum(eq, arrays[0].astype(dt.np)) if first._device.type == "cpu" else (
            first._device.xp.einsum(eq, arrays[0].astype(dt.np))
        )
    else:
        if first._dtype is D.bool_ and set(lhs.replace(",", "")) - set(res):
            raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
        dt = first._dtype
        xp = first._device.xp
        out = _einsum_arrays(eq, *arrays, xp=xp)
    out = first._device.xp.asarray(out).astype(dt.np, copy=False)
    return _new_tensor(out, dt, first._device)


def _new_tensor_of(arr):
    from .._tensor import wrap_array

    return wrap_array(arr)


def _eye_array(n, m, like):
    from .._device import device_of_array

    return device_of_array(like).xp.eye(n, m, dtype=like.dtype)


def _eye_tensor(n, m, like):
    from .._creation import eye

    return eye(n, m, dtype=like.dtype, device=like.device)


def _einsum_tensor(eq, *ops):
    return einsum(eq, *ops)


def _einsum_any(eq, *arrays):
    from .._device import device_of_array

    return _einsum_arrays(eq, *arrays, xp=device_of_array(arrays[0]).xp)


register_ns("linalg_einsum", _einsum_any, _einsum_tensor)
register_ns("linalg_eye", _eye_array, _eye_tensor)
