"""Fused CUDA kernels for the optimizers' updates (CuPy ElementwiseKernels, compiled on first use).

A small model's training step on a GPU is bound by kernel launches, and each CuPy launch costs
microseconds of Python. Adam written as array operations launches about ten kernels per
parameter; torch's CUDA default (the foreach implementation) launches about ten for all
parameters together. One kernel per parameter here.

The arithmetic follows torch's foreach kernels operation by operation. Where torch ends a kernel
(and so rounds to the parameter's dtype) the code here rounds too (`mul_rn`, `add_rn`, `div_rn`:
CUDA's round-to-nearest intrinsics, which the compiler will not contract into a fused
multiply-add); inside one of torch's kernels (`a + alpha * b`) the compiler may contract as it
may in torch's.

Only float32 and float64 take these paths; half precision (torch computes it in float32) and
CuPy stand-ins without ElementwiseKernel take the array-operation path.
"""

import numpy as np

from .._device import cupy_module

_PREAMBLE = r"""
__device__ __forceinline__ float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double mul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ float add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double add_rn(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ float div_rn(float a, float b) { return __fdiv_rn(a, b); }
__device__ __forceinline__ double div_rn(double a, double b) { return __ddiv_rn(a, b); }
"""

# torch: grads = -grads (maximize); grads + wd * params (weight decay);
# params.add_(grads, alpha=-lr)
_SGD = r"""
T d = maximize ? -g : g;
if (wd != 0) d = d + wd * w;
w = w + nlr * d;
"""

# ... and with momentum: buf = clone(grad) on the first step, else buf.mul_(momentum) then
# buf.add_(grad, alpha=1 - dampening); nesterov: grad.add_(buf, alpha=momentum)
_SGD_MOMENTUM = r"""
T d = maximize ? -g : g;
if (wd != 0) d = d + wd * w;
if (first) {
    buf = d;
} else {
    buf = mul_rn(buf, mom) + alpha * d;
}
T u = nesterov ? d + mom * buf : buf;
w = w + nlr * u;
"""

# torch's _multi_tensor_adam: params.mul_(1 - lr * wd) (decoupled); grads + wd * params;
# exp_avg.lerp_(grad, 1 - beta1); exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
# (max_exp_avg_sq = maximum(...)); denom = sqrt(.) / bc2_sqrt + eps;
# params.addcdiv_(exp_avg, denom, -step_size)
_ADAM_HEAD = r"""
if (decay != 1) w = mul_rn(w, decay);
T d = maximize ? -g : g;
if (wd != 0) d = d + wd * w;
if (wt < (T)0.5) {
    m = m + wt * (d - m);
} else {
    m = d - (d - m) * ((T)1 - wt);
}
v = mul_rn(v, beta2) + beta2c * d * d;
T den = add_rn(div_rn(sqrt(v), bc2_sqrt), eps);
w = w + nstep * (m / den);
"""
_ADAM = _ADAM_HEAD
# amsgrad: the denominator from max_exp_avg_sq = maximum(max_exp_avg_sq, exp_avg_sq)
_ADAM_AMSGRAD = _ADAM_HEAD.replace("sqrt(v)", "sqrt(mx = max(mx, v))")

_kernels = {}


def _kernel(name):
    k = _kernels.get(name)
    if k is None:
        cp = cupy_module()
        if name == "sgd":
            k = cp.ElementwiseKernel(
                "T g, T wd, T nlr, bool maximize", "T w", _SGD, "ember_sgd",
                preamble=_PREAMBLE)
        elif name == "sgd_momentum":
            k = cp.ElementwiseKernel(
                "T g, T wd, T nlr, T mom, T alpha, bool nesterov, bool maximize, bool first",
                "T w, T buf", _SGD_MOMENTUM, "ember_sgd_momentum", preamble=_PREAMBLE)
        elif name == "adam":
            k = cp.ElementwiseKernel(
                "T g, T decay, T wd, T wt, T beta2, T beta2c, T bc2_sqrt, T eps, T nstep, "
                "bool maximize",
                "T w, T m, T v", _ADAM, "ember_adam", preamble=_PREAMBLE)
        else:
            k = cp.ElementwiseKernel(
                "T g, T decay, T wd, T wt, T beta2, T beta2c, T bc2_sqrt, T eps, T nstep, "
                "bool maximize",
                "T w, T m, T v, T mx", _ADAM_AMSGRAD, "ember_adam_amsgrad", preamble=_PREAMBLE)
        _kernels[name] = k
    return k


def usable(w, g):
    """Whether parameter array `w` and gradient `g` can take a fused kernel."""
    cp = cupy_module()
    if cp is None or not hasattr(cp, "ElementwiseKernel"):
        return False
    if w.__class__ is not cp.ndarray or g.__class__ is not cp.ndarray:
        return False
    dt = w.dtype
    return (dt.char in "fd") and g.dtype == dt and g.shape == w.shape


def sgd(w, g, lr, wd, maximize):
    t = w.dtype.type
    _kernel("sgd")(g, t(wd), t(-lr), bool(maximize), w)


def sgd_momentum(w, g, buf, lr, wd, momentum, dampening, nesterov, maximize, first):
    t = w.dtype.type
    _kernel("sgd_momentum")(g, t(wd), t(-lr), t(momentum), t(1 - dampening), bool(nesterov),
                            bool(maximize), bool(first), w, buf)


def adam(w, g, m, v, mx, lr, beta1, beta2, eps, wd, decoupled, step, maximize):
    t = w.dtype.type
    bc1 = 1 - beta1**step
    bc2 = 1 - beta2**step
    decay = 1 - lr * wd if decoupled else 1.0
    wd_in = 0.0 if decoupled else wd
    args = (g, t(decay), t(wd_in), t(1 - beta1), t(beta2), t(1 - beta2), t(bc2**0.5), t(eps),
            t(-(lr / bc1)), bool(maximize), w, m, v)
    if mx is None:
        _kernel("adam")(*args)
    else:
        _kernel("adam_amsgrad")(*args, mx)


# ---------------------------------------------------------------- losses and activations
# Cross entropy with class indices, the common case of a classifier's loss (2-D logits, no class
# weights, no label smoothing, every target a class): one thread per row computes the
# max-shifted log-sum-exp, the row's loss and its softmax (saved for backward), in the same
# order as the array code in _ops/nn_act.py (z = x - max, e = exp(z), s = sum(e),
# loss = log(s) - z[t], softmax = e / s). Rows of up to _CE_MAX_CLASSES classes: beyond that
# one thread per row is the slower way, and the array code takes them.
_CE_MAX_CLASSES = 1024

_CE_FORWARD = r"""
extern "C" __global__ void KERNEL_NAME(const scalar_t* x, const long long* t, scalar_t* soft,
                                   scalar_t* loss, long long m, long long c) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= m) return;
    const scalar_t* r = x + i * c;
    scalar_t* p = soft + i * c;
    scalar_t mx = r[0];
    for (long long j = 1; j < c; j++) mx = r[j] > mx || r[j] != r[j] ? r[j] : mx;
    scalar_t s = 0;
    for (long long j = 0; j < c; j++) {
        scalar_t e = exp(r[j] - mx);
        p[j] = e;
        s += e;
    }
    for (long long j = 0; j < c; j++) p[j] = p[j] / s;
    loss[i] = -((r[t[i]] - mx) - log(s));
}
"""

# d loss / d x = coef * (softmax - onehot(t)), coef = g (per row for reduction='none') / denom
_CE_BACKWARD = r"""
long long row = i / c;
T coef = (per_row ? g[row] : g[0]);
if (den != 1) coef = coef / den;
T v = soft * coef;
if (i - row * c == t[row]) v = v - coef;
grad = v;
"""

# relu's backward as one kernel: g * (y > 0), NaN and infinity as the two-kernel form gives
_RELU_BACKWARD = "gi = g * (T)(y > (T)0);"

# whether any class index is outside [0, c): one reduction instead of three kernels and one
_OUTSIDE = ("T t, int64 c", "bool out", "(t < 0 || t >= c)", "a || b", "out = a", "false")

_raw = {}


def _raw_kernel(name, dtype):
    key = (name, dtype.char)
    k = _raw.get(key)
    if k is None:
        cp = cupy_module()
        ctype = "float" if dtype.char == "f" else "double"
        fn = f"ember_{name}_{ctype}"
        code = _CE_FORWARD.replace("KERNEL_NAME", fn).replace("scalar_t", ctype)
        k = _raw[key] = cp.RawKernel(code, fn)
    return k


def _elementwise(name):
    k = _kernels.get(name)
    if k is None:
        cp = cupy_module()
        if name == "ce_backward":
            k = cp.ElementwiseKernel(
                "T soft, raw I t, raw T g, T den, int64 c, bool per_row", "T grad",
                _CE_BACKWARD, "ember_ce_backward")
        elif name == "relu_backward":
            k = cp.ElementwiseKernel("T g, T y", "T gi", _RELU_BACKWARD, "ember_relu_backward")
        else:
            k = cp.ReductionKernel(*_OUTSIDE, "ember_targets_outside")
        _kernels[name] = k
    return k


def on_device(a):
    """Whether `a` is a CuPy array and custom kernels can be built (not on the CuPy stand-in
    that tests use without a GPU)."""
    cp = cupy_module()
    return cp is not None and a.__class__ is cp.ndarray and hasattr(cp, "RawKernel")


def device_array(a):
    """Whether `a` is a CuPy float32/float64 array and custom kernels can be built."""
    return on_device(a) and a.dtype.char in "fd"


def ce_usable(x2, t, weight, smoothing, nclass):
    return (weight is None and not smoothing and 0 < nclass <= _CE_MAX_CLASSES
            and device_array(x2) and t.dtype == "int64" and x2.shape[0] > 0)


def targets_outside(t, nclass):
    """Whether any class index of the int64 device array `t` is outside [0, nclass)."""
    return bool(_elementwise("outside")(t, nclass))


def ce_forward(x2, t):
    """(per-row losses, softmax) of (M, C) logits and M int64 targets known to be in range."""
    cp = cupy_module()
    x2 = cp.ascontiguousarray(x2)
    t = cp.ascontiguousarray(t)
    m, c = x2.shape
    soft = cp.empty_like(x2)
    loss = cp.empty((m,), dtype=x2.dtype)
    threads = 128
    blocks = (m + threads - 1) // threads
    # (NumPy scalars of the kernel's width: a RawKernel takes Python ints as 64-bit)
    _raw_kernel("ce_forward", x2.dtype)((blocks,), (threads,),
                                        (x2, t, soft, loss, np.int64(m), np.int64(c)))
    return loss, soft


def ce_backward(soft, t, g, den, per_row):
    """The (M, C) gradient of cross entropy from the saved softmax (see _CE_BACKWARD); None
    when the upstream gradient is not a device array of the softmax's dtype."""
    if not on_device(g) or g.dtype != soft.dtype:
        return None
    t = cupy_module().ascontiguousarray(t)
    g = g.reshape(-1)
    return _elementwise("ce_backward")(soft, t, g, soft.dtype.type(den), soft.shape[1],
                                       bool(per_row))


def relu_backward(g, y):
    return _elementwise("relu_backward")(g, y)
