"""OpInfos of the core arithmetic, shape, reduction and matmul ops."""

from hypothesis import strategies as st

from tests.opinfo import OpInfo, broadcast_shapes, fixed_shapes, unary_shapes


def _dims(draw, shapes):
    nd = len(shapes[0])
    if nd == 0:
        return {}
    dim = draw(st.one_of(st.none(), st.integers(-nd, nd - 1),
                         st.lists(st.integers(0, nd - 1), unique=True, min_size=1).map(tuple)))
    return {"dim": dim, "keepdim": draw(st.booleans())} if dim is not None else {}


OPINFOS = [
    OpInfo("add", lambda m, a, b: m.add(a, b), nargs=2),
    OpInfo("add_alpha", lambda m, a, b: m.add(a, b, alpha=2.5), ops=("add",), nargs=2),
    OpInfo("add_scalar", lambda m, a: a + 1.5, ops=("add",)),
    OpInfo("sub", lambda m, a, b: a - b, nargs=2),
    OpInfo("rsub_scalar", lambda m, a: 2 - a, ops=("sub",)),
    OpInfo("mul", lambda m, a, b: a * b, nargs=2),
    OpInfo("div", lambda m, a, b: a / b, nargs=2, domain=(0.5, 3.0)),
    OpInfo("rdiv_scalar", lambda m, a: 2 / a, ops=("div",), domain=(0.5, 3.0)),
    OpInfo("remainder", lambda m, a, b: a % b, nargs=2, domain=(0.5, 3.0), gradgrad=False),
    OpInfo("fmod", lambda m, a, b: m.fmod(a, b), nargs=2, domain=(0.5, 3.0), gradgrad=False),
    OpInfo("pow", lambda m, a, b: a**b, nargs=2, domain=(0.5, 2.0)),
    OpInfo("pow_scalar", lambda m, a: a**3, ops=("pow",)),
    OpInfo("rpow_scalar", lambda m, a: 2.0**a, ops=("pow",)),
    OpInfo("neg", lambda m, a: -a),
    OpInfo("clone", lambda m, a: m.clone(a)),
    OpInfo("view", lambda m, a: a.reshape(-1), shapes=unary_shapes(min_dims=0)),
    OpInfo("reshape_copy", lambda m, a: a.t().reshape(-1),
           shapes=unary_shapes(min_dims=2, max_dims=2)),
    OpInfo("permute", lambda m, a: a.permute(2, 0, 1), shapes=unary_shapes(3, 3)),
    OpInfo("transpose", lambda m, a: a.transpose(0, -1), ops=("permute",),
           shapes=unary_shapes(1, 4)),
    OpInfo("expand", lambda m, a: a.expand(2, *a.shape),),
    OpInfo("copy_", lambda m, a, b: (a * 1).copy_(b), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((2, 3), (3,)), ((2, 3), (1, 1)), ((), ()),
                               ((0, 2), (2,)), ((3, 2), (2,)))),
    OpInfo("sum", lambda m, a, **kw: m.sum(a, **kw), kwargs=_dims),
    OpInfo("mean", lambda m, a, **kw: m.mean(a, **kw), kwargs=_dims,
           shapes=unary_shapes(min_side=1)),
    OpInfo("matmul", lambda m, a, b: m.matmul(a, b), nargs=2,
           shapes=fixed_shapes(((3,), (3,)), ((2, 3), (3, 4)), ((3,), (3, 2)), ((2, 3), (3,)),
                               ((2, 1, 2, 3), (4, 3, 5)), ((0, 3), (3, 2)), ((5, 2, 3), (3,)),
                               ((3,), (4, 3, 2)))),
]
