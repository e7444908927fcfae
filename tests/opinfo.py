"""The op table that drives tests/test_ops.py.

Each OpInfo names the registered ops it covers and one function `fn(m, *inputs, **kwargs)`
written against a module `m`, which is `ember` on one side and real `torch` on the other, so the
same line of code is the specification and the test. Expected values always come from torch
2.13.0 (or finite differences in float64), never from ember itself.

Areas add their entries in tests/opinfos/<area>.py as a list named OPINFOS.
"""

import dataclasses
import importlib
import pkgutil
from typing import Callable, Optional

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


@dataclasses.dataclass
class OpInfo:
    name: str  # test id
    fn: Callable  # fn(m, *tensors, **kwargs) -> Tensor (or tuple: first is differentiated)
    ops: tuple = ()  # registered op names this entry covers (defaults to (name,))
    nargs: int = 1  # number of tensor inputs
    shapes: Optional[Callable] = None  # strategy of a tuple of nargs shapes
    kwargs: Optional[Callable] = None  # fn(draw, shapes) -> dict of keyword arguments
    domain: tuple = (-3.0, 3.0)  # input values are drawn uniformly from this range
    dtypes: tuple = ("float32", "float64")
    grad: bool = True  # compare gradients with torch and gradcheck
    gradgrad: bool = True  # compare second derivatives with torch
    grad_args: Optional[tuple] = None  # indices of inputs that require grad (default: all)
    int_args: tuple = ()  # indices of inputs that are integer (index) tensors
    int_high: Optional[Callable] = None  # fn(shapes, i) -> exclusive upper bound for int args
    make_inputs: Optional[Callable] = None  # fn(draw, rng, dtype) -> list of numpy arrays
    atol: float = 1e-5
    rtol: float = 1.3e-6
    nondeterministic_grad: bool = False  # e.g. max with ties: compare sums only
    skip_noncontig: bool = False
    avoid_ties: bool = False  # draw distinct values (for sort/max-like ops)

    def __post_init__(self):
        if not self.ops:
            self.ops = (self.name,)


def unary_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5):
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda s: (s,))


def broadcast_shapes(n=2, min_dims=0, max_dims=4, min_side=0, max_side=4):
    return hnp.mutually_broadcastable_shapes(
        num_shapes=n, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    ).map(lambda r: tuple(r.input_shapes))


def fixed_shapes(*cases):
    """Pick one of the listed tuples of shapes."""
    return st.sampled_from(cases)


def all_opinfos():
    from tests import opinfos

    out = []
    for mod in pkgutil.iter_modules(opinfos.__path__):
        m = importlib.import_module(f"tests.opinfos.{mod.name}")
        out.extend(getattr(m, "OPINFOS", []))
    return out


def make_array(rng, shape, dtype, lo, hi, noncontig, distinct=False):
    """A float64 array (made non-contiguous when asked) cast to `dtype`."""
    n = int(np.prod(shape)) if shape else 1
    if distinct and n:
        vals = rng.permutation(n).astype(np.float64)
        vals = lo + (hi - lo) * (vals + 0.5) / n
        base = vals.reshape(shape)
    else:
        base = rng.uniform(lo, hi, size=shape)
    if noncontig and len(shape) >= 1:
        # the same values laid out with a stride of 2 in the last dimension
        wide = np.zeros(shape[:-1] + (shape[-1] * 2,), dtype=np.float64)
        wide[..., ::2] = base
        base = wide[..., ::2]
    if noncontig and len(shape) >= 1:
        return _as_dtype_view(base, dtype)
    return base.astype(dtype, copy=False)


def _as_dtype_view(base, dtype):
    if base.dtype == np.dtype(dtype):
        return base
    shape = base.shape
    wide = np.zeros(shape[:-1] + (shape[-1] * 2,), dtype=dtype)
    wide[..., ::2] = base
    return wide[..., ::2]
