"""Spatial sampling: `affine_grid` and `grid_sample` (4-D and 5-D inputs).

Both are written with ember's differentiable ops (matmul, gather, floor-free arithmetic on the
coordinates), so gradients w.r.t. theta, input and grid, of every order, come from those ops'
rules. The integer corner positions are plain arrays: they carry no gradient.
"""

import itertools
import warnings

import numpy as np

from .._creation import torch_linspace
from ._naming import named

_ALIGN_WARNING = (
    "Default grid_sample and affine_grid behavior has changed to align_corners=False since "
    "1.3.0. Please specify align_corners=True if the old behavior is desired. See the "
    "documentation of grid_sample for details."
)


def _ember():
    import ember

    return ember


def _wrap(arr):
    from .._tensor import wrap_array

    return wrap_array(arr)


def _torch_linspace(n, dtype):
    """torch.linspace(-1, 1, n) as torch's CPU kernel computes it in `dtype` (float16 and
    bfloat16 as their float32 steps rounded)."""
    return torch_linspace(-1.0, 1.0, n, dtype)


def _base_coords(n, align_corners, dtype):
    """The normalised centre of each of n pixels along one axis, in [-1, 1], rounded as torch's
    `linspace_from_neg_one` rounds it (linspace, then `* (n - 1)` and `/ n` in `dtype`)."""
    if n <= 1:
        return np.zeros(max(n, 0), dtype=dtype)
    steps = _torch_linspace(n, dtype)
    if not align_corners:
        t = np.dtype(dtype).type
        steps = (steps * t(n - 1)).astype(dtype) / t(n)
    return steps.astype(dtype)


def affine_grid(theta, size, align_corners=None):
    """Mirrors `torch.nn.functional.affine_grid`."""
    E = _ember()
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(
            f"Expected theta to have floating point type, but got {theta.dtype}")
    size = list(size)
    if len(size) == 4:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError(
                "Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                f"{tuple(size)}. Got {tuple(theta.shape)}.")
        spatial = size[2:]
    elif len(size) == 5:
        if theta.dim() != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError(
                "Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                f"{tuple(size)}. Got {tuple(theta.shape)}.")
        spatial = size[2:]
    else:
        raise NotImplementedError(
            f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
            f"respectively. Got size {tuple(size)}.")
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {tuple(size)}")
    N = size[0]
    dt = theta._data.dtype
    # coordinate k of the grid's last axis walks spatial dim -(k+1): x is width, y height
    axes = [_base_coords(n, align_corners, dt) for n in spatial]
    mesh = np.meshgrid(*axes, indexing="ij")
    cols = [m.reshape(-1) for m in reversed(mesh)]
    cols.append(np.ones_like(cols[0]))
    base = np.stack(cols, axis=1)
    if theta._data.__class__ is not np.ndarray:
        import cupy

        base = cupy.asarray(base)
    grid = E.matmul(_wrap(base), theta.transpose(1, 2))
    grid = grid.reshape([N] + list(spatial) + [len(spatial)])
    return named(grid, "AffineGridGeneratorBackward0")


def _unnormalize(coord, n, align_corners):
    if align_corners:
        return (coord + 1) * ((n - 1) / 2)
    return ((coord + 1) * n - 1) / 2


def _reflect(coord, twice_low, twice_high):
    """Reflect coord into [twice_low/2, twice_high/2]; the fold count carries no gradient."""
    E = _ember()
    if twice_low == twice_high:
        return coord * 0
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    coord = E.abs(coord - low)
    flips = E.floor(coord.detach() / span)
    extra = coord - flips * span
    even = E.remainder(flips, 2) == 0
    return E.where(even, extra + low, span - extra + low)


def _source_coord(coord, n, padding_mode, align_corners):
    E = _ember()
    coord = _unnormalize(coord, n, align_corners)
    if padding_mode == "border":
        return _clip(E, coord, n)
    if padding_mode == "reflection":
        if align_corners:
            coord = _reflect(coord, 0, 2 * (n - 1))
        else:
            coord = _reflect(coord, -1, 2 * n - 1)
        return _clip(E, coord, n)
    return coord


def _clip(E, coord, n):
    """coord clamped to [0, n - 1], with torch's gradient: 1 strictly inside, 0 on the edges and
    beyond (clamp's own gradient also passes on the edges, which moves a spatial transformer
    whose grid points sit exactly on the border)."""
    inside = (coord > 0) & (coord < n - 1)
    return E.where(inside, coord, E.clamp(coord.detach(), 0, n - 1))


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Mirrors `torch.nn.functional.grid_sample`."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or "
            f"'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(
            "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
            f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING)
        align_corners = False
    k = input.dim() - 2
    if k not in (2, 3) or grid.dim() != input.dim():
        raise RuntimeError(
            "grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, "
            f"but got input with sizes {list(input.shape)} and grid with sizes "
            f"{list(grid.shape)}")
    if grid.shape[0] != input.shape[0]:
        raise RuntimeError(
            "grid_sampler(): expected grid and input to have same batch size, but got input "
            f"with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}")
    if grid.shape[-1] != k:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {k} in last dimension, but got grid "
            f"with sizes {list(grid.shape)}")
    if input.dtype != grid.dtype:
        raise RuntimeError(
            "grid_sampler(): expected input and grid to have same dtype, but input has "
            f"{input.dtype} and grid has {grid.dtype}")
    if mode == "bicubic" and k != 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    out = _sample(input, grid, k, mode, padding_mode, align_corners)
    return named(out, f"GridSampler{k}DBackward0")


def _cubic_coeffs(t):
    """PyTorch's cubic convolution weights (A = -0.75) of the taps at floor-1 .. floor+2."""
    A = -0.75

    def near(x):
        return ((A + 2) * x - (A + 3)) * x * x + 1

    def far(x):
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A

    return far(t + 1), near(t), near(1 - t), far(2 - t)


def _pad_taps(xp, pos, n, padding_mode, align_corners):
    """Bicubic applies the padding mode to each integer tap, not to the sampling point."""
    if padding_mode == "zeros":
        return pos
    if padding_mode == "reflection":
        low, high = (0, 2 * (n - 1)) if align_corners else (-1, 2 * n - 1)
        if low == high:
            pos = xp.zeros_like(pos)
        else:
            lo, span = low / 2, (high - low) / 2
            c = xp.abs(pos - lo)
            flips = xp.floor(c / span)
            extra = xp.fmod(c, span)
            pos = xp.where(flips % 2 == 0, extra + lo, span - extra + lo)
    return xp.clip(pos, 0, n - 1)


def _sample(input, grid, k, mode, padding_mode, align_corners):
    N, C = input.shape[:2]
    sizes = list(input.shape[2:])
    out_spatial = list(grid.shape[1:-1])
    P = int(np.prod(out_spatial))
    flat = input.reshape(N, C, -1)
    # coords[d] is the source position along spatial dim d (grid's last axis is reversed)
    strides = [int(np.prod(sizes[d + 1:])) for d in range(k)]
    xp = input._device.xp
    if mode == "bicubic":
        corners = []
        for d in range(k):
            c = _unnormalize(grid[..., k - 1 - d].reshape(N, P), sizes[d], align_corners)
            lo = xp.floor(c._data)
            weights = _cubic_coeffs(c - _wrap(lo))
            corners.append([(_pad_taps(xp, lo + j, sizes[d], padding_mode, align_corners), w)
                            for j, w in zip(range(-1, 3), weights)])
        out = None
        for combo in itertools.product(*corners):
            term = _corner(xp, flat, combo, sizes, strides, N, C, P)
            out = term if out is None else out + term
        return out.reshape([N, C] + out_spatial)
    coords = [_source_coord(grid[..., k - 1 - d].reshape(N, P), sizes[d], padding_mode,
                            align_corners) for d in range(k)]
    if mode == "nearest":
        corners = [[(xp.rint(c._data), None)] for c in coords]
    else:
        corners = []
        for c in coords:
            lo = xp.floor(c._data)
            frac = c - _wrap(lo)
            corners.append([(lo, 1 - frac), (lo + 1, frac)])
    out = None
    for combo in itertools.product(*corners):
        term = _corner(xp, flat, combo, sizes, strides, N, C, P)
        out = term if out is None else out + term
    out = out.reshape([N, C] + out_spatial)
    if mode == "nearest" and grid.requires_grad:
        # torch's kernel gives the grid a zero gradient (not None) in nearest mode
        out = _zero_grid_grad_class().apply(out, grid)
    return out


_ZERO_GRID_GRAD = []


def _zero_grid_grad_class():
    """An identity on the output that links the grid into the graph with a zero gradient."""
    if not _ZERO_GRID_GRAD:
        from ..autograd.function import Function

        class ZeroGridGrad(Function):
            @staticmethod
            def forward(ctx, out, grid):
                ctx.grid_shape = tuple(grid.shape)
                ctx.grid_dtype = grid.dtype
                return out.view_as(out)

            @staticmethod
            def backward(ctx, g):
                return g, _ember().zeros(ctx.grid_shape, dtype=ctx.grid_dtype, device=g.device)

        _ZERO_GRID_GRAD.append(ZeroGridGrad)
    return _ZERO_GRID_GRAD[0]


def _corner(xp, flat, combo, sizes, strides, N, C, P):
    """The input values at one corner, times its weight; out-of-range corners are zero."""
    E = _ember()
    valid = xp.ones((N, P), dtype=bool)
    lin = xp.zeros((N, P), dtype=np.int64)
    weight = None
    for (pos, w), n, stride in zip(combo, sizes, strides):
        inside = (pos >= 0) & (pos <= n - 1)
        valid &= inside
        lin += xp.where(inside, pos, 0).astype(np.int64) * stride
        if w is not None:
            weight = w if weight is None else weight * w
    index = _wrap(xp.ascontiguousarray(xp.broadcast_to(lin[:, None, :], (N, C, P))))
    vals = E.gather(flat, 2, index)
    mask = _wrap(valid.astype(flat._data.dtype))
    weight = mask if weight is None else weight * mask
    return vals * weight.unsqueeze(1)
