"""CUDA kernels for 2-d max pooling and for the col2im step of a convolution's input gradient.

The array code (ember/_ops/nn_pool.py, nn_conv.py) builds these from one slice operation per
kernel position: on a CPU each is a fast strided NumPy call, on a GPU each is a kernel launch
with microseconds of Python around it (a 5x5 convolution's col2im is 25 of them). Here each is
one kernel, with the same results:

- max pooling: the first maximum of each window (strictly greater replaces; a NaN replaces, as
  in torch's CUDA kernel), its position in the window (row-major, the array code's `am`);
- its backward: each input element gathers the gradients of the windows whose maximum it is,
  in window-position order (the order the array code adds them in), so no atomics;
- col2im: each element of the padded input planes sums the matmul's columns that land on it,
  in kernel-position order, as the array code's slice-adds do.

Only float32/float64 and 2-d pooling take these; everything else keeps the array code.
"""

from .._device import cupy_module

_POOL_FORWARD = r"""
extern "C" __global__ void KERNEL_NAME(
        const scalar_t* x, scalar_t* y, index_t* am, long long total, int H, int W, int OH,
        int OW, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= total) return;
    int ow = e % OW;
    int oh = (e / OW) % OH;
    long long nc = e / ((long long)OW * OH);
    const scalar_t* plane = x + nc * H * W;
    scalar_t best = NEG_INF;
    int bj = 0;
    for (int i = 0; i < kh; i++) {
        int h = oh * sh - ph + i * dh;
        for (int j = 0; j < kw; j++) {
            int w = ow * sw - pw + j * dw;
            scalar_t v = (h >= 0 && h < H && w >= 0 && w < W) ? plane[h * W + w] : NEG_INF;
            if (v > best || isnan(v)) {
                best = v;
                bj = i * kw + j;
            }
        }
    }
    y[e] = best;
    am[e] = (index_t)bj;
}
"""

_POOL_BACKWARD = r"""
extern "C" __global__ void KERNEL_NAME(
        const scalar_t* g, const index_t* am, scalar_t* gx, long long total, int H, int W,
        int OH, int OW, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
    long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= total) return;
    int w = e % W;
    int h = (e / W) % H;
    long long nc = e / ((long long)W * H);
    const scalar_t* gp = g + nc * OH * OW;
    const index_t* ap = am + nc * OH * OW;
    scalar_t acc = 0;
    for (int i = 0; i < kh; i++) {
        int th = h + ph - i * dh;
        if (th < 0 || th % sh) continue;
        int oh = th / sh;
        if (oh >= OH) continue;
        for (int j = 0; j < kw; j++) {
            int tw = w + pw - j * dw;
            if (tw < 0 || tw % sw) continue;
            int ow = tw / sw;
            if (ow >= OW) continue;
            long long o = (long long)oh * OW + ow;
            if ((int)ap[o] == i * kw + j) acc += gp[o];
        }
    }
    gx[e] = acc;
}
"""

_COL2IM = r"""
extern "C" __global__ void KERNEL_NAME(
        const scalar_t* gc, const long long* offs, scalar_t* out, long long total,
        long long block, int K) {
    long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= total) return;
    long long q0 = e % block;
    long long ng = e / block;
    const scalar_t* src = gc + ng * K * block;
    scalar_t acc = 0;
    for (int j = 0; j < K; j++) {
        long long q = q0 - offs[j];
        if (q >= 0) acc += src[j * block + q];
    }
    out[e] = acc;
}
"""

_CTYPES = {"f": "float", "d": "double"}
# -infinity by its bits (NVRTC compiles without math.h, so there is no INFINITY)
_NEG_INF = {"f": "__int_as_float(0xff800000)", "d": "__longlong_as_double(0xfff0000000000000LL)"}
_ITYPES = {"B": "unsigned char", "h": "short", "i": "int"}
_kernels = {}
_offsets = {}
_THREADS = 256


def _kernel(name, code, dtype, index_dtype=None):
    key = (name, dtype.char, None if index_dtype is None else index_dtype.char)
    k = _kernels.get(key)
    if k is None:
        fn = f"ember_{name}_{dtype.char}{'' if index_dtype is None else index_dtype.char}"
        src = code.replace("KERNEL_NAME", fn).replace("scalar_t", _CTYPES[dtype.char])
        src = src.replace("NEG_INF", _NEG_INF[dtype.char])
        if index_dtype is not None:
            src = src.replace("index_t", _ITYPES[index_dtype.char])
        k = _kernels[key] = cupy_module().RawKernel(src, fn)
    return k


def _launch(kernel, total, arrays, longs, ints):
    """Run `kernel` on `total` threads: arrays, then `long long` and `int` scalars (NumPy
    scalars of the exact width: a RawKernel takes Python ints as 64-bit)."""
    import numpy as np

    blocks = (total + _THREADS - 1) // _THREADS
    args = tuple(arrays) + tuple(np.int64(v) for v in longs) + tuple(np.int32(v) for v in ints)
    kernel((blocks,), (_THREADS,), args)


def usable(x, k):
    """Whether pooling or col2im on `x` (a 4-d array for pooling) can take a kernel here."""
    cp = cupy_module()
    return (cp is not None and x.__class__ is cp.ndarray and hasattr(cp, "RawKernel")
            and x.dtype.char in _CTYPES)


def max_pool2d(x, k, stride, dil, pads, out, index_dtype):
    """(values, window positions) of 2-d max pooling of a (N, C, H, W) array."""
    cp = cupy_module()
    x = cp.ascontiguousarray(x)
    N, C, H, W = x.shape
    OH, OW = out
    y = cp.empty((N, C, OH, OW), dtype=x.dtype)
    am = cp.empty((N, C, OH, OW), dtype=index_dtype)
    total = y.size
    if total:
        kern = _kernel("max_pool2d", _POOL_FORWARD, x.dtype, am.dtype)
        _launch(kern, total, (x, y, am), (total,), (H, W, OH, OW, k[0], k[1], stride[0],
                                                    stride[1], pads[0][0], pads[1][0], dil[0],
                                                    dil[1]))
    return y, am


def max_pool2d_backward(g, am, in_shape, k, stride, dil, pads, out):
    """d input of 2-d max pooling: each input element's share of the window gradients."""
    cp = cupy_module()
    g = cp.ascontiguousarray(g)
    am = cp.ascontiguousarray(am)
    N, C, H, W = in_shape
    OH, OW = out
    gx = cp.empty((N, C, H, W), dtype=g.dtype)
    total = gx.size
    if total:
        kern = _kernel("max_pool2d_backward", _POOL_BACKWARD, g.dtype, am.dtype)
        _launch(kern, total, (g, am, gx), (total,), (H, W, OH, OW, k[0], k[1], stride[0],
                                                      stride[1], pads[0][0], pads[1][0],
                                                      dil[0], dil[1]))
    return gx


def col2im(gc, offs, n_groups_total, K, block):
    """The padded input planes, (N * G * block,) flat, from the (N, G, K, block) columns: each
    element sums gc[n, g, j, q - offs[j]] over the kernel positions j."""
    cp = cupy_module()
    gc = cp.ascontiguousarray(gc)
    key = tuple(offs)
    d_offs = _offsets.get(key)
    if d_offs is None:
        if len(_offsets) > 256:
            _offsets.clear()
        import numpy as np

        d_offs = _offsets[key] = cp.asarray(np.asarray(offs, dtype=np.int64))
    out = cp.empty((n_groups_total * block,), dtype=gc.dtype)
    total = out.size
    if total:
        _launch(_kernel("col2im", _COL2IM, gc.dtype), total, (gc, d_offs, out), (total, block),
                (K,))
    return out
