"""Mirrors `torch.autograd.gradcheck` and `gradgradcheck` (finite differences, float64).

By default (PyTorch's slow mode) every Jacobian is built in full, one row per input element
from central differences and one column per output element from backward, and compared
element by element; a mismatch reports both matrices, as PyTorch does. With `fast_mode=True`
the check is directional: for random directions u (inputs) and v (outputs), v . J u from
central differences must equal u . (J^T v) from backward.
"""

import numpy as np


def _as_tuple(x):
    from .._tensor import Tensor

    return (x,) if isinstance(x, Tensor) else tuple(x)


def _host(a):
    # a NumPy copy of a NumPy or CuPy array
    return a.get() if hasattr(a, "get") else np.asarray(a)


def _outputs(fn, inputs):
    from .._tensor import Tensor

    out = fn(*inputs)
    out = _as_tuple(out)
    return [o for o in out if isinstance(o, Tensor) and o._dtype.is_floating_point]


def gradcheck(
    func,
    inputs,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    fast_mode=False,
    masked=None,
    check_grad_dtypes=False,
    check_batched_grad=False,
    check_forward_ad=False,
    check_backward_ad=True,
):
    """True when backward agrees with central finite differences; raises otherwise."""
    from . import grad as autograd_grad
    from .._creation import tensor

    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if getattr(t, "requires_grad", False)]
    if not diff:
        raise ValueError("gradcheck expects at least one input tensor to require gradient")
    for i in diff:
        if inputs[i].dtype.name != "float64":
            import warnings

            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. "
            )
    if not fast_mode:
        return _slow_check(func, inputs, diff, eps, atol, rtol, raise_exception)
    rng = np.random.default_rng(12345)
    outs = _outputs(func, inputs)
    for k, out in enumerate(outs):
        if not out.requires_grad:
            continue
        v = rng.standard_normal(out.shape)
        us = [rng.standard_normal(inputs[i].shape) for i in diff]
        if out._data.size == 0 or all(u.size == 0 for u in us):
            # an empty Jacobian: nothing to compare (and a mean over nothing is nan)
            continue
        # analytical: u . J^T v
        gs = autograd_grad(
            out,
            [inputs[i] for i in diff],
            tensor(v, dtype=out.dtype, device=out.device),
            retain_graph=True,
            allow_unused=True,
        )
        analytic = 0.0
        for g, u in zip(gs, us):
            if g is not None:
                analytic += float(np.sum(_host(g._data) * u))
        # numerical: v . (f(x + eps u) - f(x - eps u)) / (2 eps); grad mode stays on, as
        # func may itself differentiate (gradgradcheck)
        saved = [inputs[i]._data.copy() for i in diff]
        steps = [inputs[i]._device.xp.asarray(eps * u) for i, u in zip(diff, us)]
        try:
            for i, d, s in zip(diff, steps, saved):
                inputs[i]._data[...] = s + d
            plus = _host(_outputs(func, inputs)[k]._data).astype(np.float64)
            for i, d, s in zip(diff, steps, saved):
                inputs[i]._data[...] = s - d
            minus = _host(_outputs(func, inputs)[k]._data).astype(np.float64)
        finally:
            for i, s in zip(diff, saved):
                inputs[i]._data[...] = s
        numeric = float(np.sum((plus - minus) / (2 * eps) * v))
        if not abs(analytic - numeric) <= atol + rtol * abs(numeric):
            if raise_exception:
                raise GradcheckError(
                    f"Jacobian mismatch for output {k}: backward gives {analytic!r}, finite "
                    f"differences give {numeric!r} (v^T J u along random directions)"
                )
            return False
    return True


def _slow_check(func, inputs, diff, eps, atol, rtol, raise_exception):
    """Full Jacobians, PyTorch's layout: J[input element, output element]."""
    from . import grad as autograd_grad
    from .._creation import tensor

    outs = _outputs(func, inputs)
    for k, out in enumerate(outs):
        if not out.requires_grad:
            continue
        n_out = int(out._data.size)
        xp = out._device.xp
        # analytical: one backward pass per output element, with a one-hot grad_output
        analytical = [np.zeros((int(inputs[i]._data.size), n_out)) for i in diff]
        for c in range(n_out):
            onehot = xp.zeros(out._data.size, dtype=out._data.dtype)
            onehot[c] = 1
            gs = autograd_grad(out, [inputs[i] for i in diff],
                               tensor(onehot.reshape(out._data.shape), dtype=out.dtype,
                                      device=out.device),
                               retain_graph=True, allow_unused=True)
            for j, g in enumerate(gs):
                if g is not None:
                    analytical[j][:, c] = _host(g._data).reshape(-1)
        for j, i in enumerate(diff):
            # numerical: perturb one input element at a time
            data = inputs[i]._data
            numerical = np.zeros((int(data.size), n_out))
            for r in range(int(data.size)):
                # an index into the array itself, so that non-contiguous inputs are written too
                at = tuple(int(v) for v in np.unravel_index(r, data.shape))
                orig = data[at].copy()
                try:
                    data[at] = orig + eps
                    plus = _host(_outputs(func, inputs)[k]._data).astype(np.float64)
                    data[at] = orig - eps
                    minus = _host(_outputs(func, inputs)[k]._data).astype(np.float64)
                finally:
                    data[at] = orig
                numerical[r] = ((plus - minus) / (2 * eps)).reshape(-1)
            # the difference is taken in the output's precision, as PyTorch's is
            numerical = numerical.astype(out._data.dtype).astype(np.float64)
            if not np.allclose(analytical[j], numerical, rtol=rtol, atol=atol):
                if not raise_exception:
                    return False
                num_t = tensor(numerical, dtype=out.dtype)
                ana_t = tensor(analytical[j], dtype=out.dtype)
                raise GradcheckError(
                    f"Jacobian mismatch for output {k} with respect to input {j},\n"
                    f"numerical:{num_t}\nanalytical:{ana_t}\n"
                )
    return True


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    gen_non_contig_grad_outputs=False,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    check_grad_dtypes=False,
    check_batched_grad=False,
    check_fwd_over_rev=False,
    check_rev_over_rev=True,
    fast_mode=True,
    masked=False,
):
    """Gradcheck of the first derivative: checks second derivatives through create_graph."""
    from . import grad as autograd_grad
    from .._creation import tensor

    inputs = _as_tuple(inputs)
    rng = np.random.default_rng(54321)
    outs = _outputs(func, inputs)
    if grad_outputs is None:
        grad_outputs = [
            tensor(rng.standard_normal(o.shape), dtype=o.dtype, device=o.device, requires_grad=True)
            for o in outs
        ]
    grad_outputs = list(_as_tuple(grad_outputs))

    def first_grads(*args):
        xs = args[: len(inputs)]
        gos = args[len(inputs) :]
        os_ = _outputs(func, xs)
        gs = autograd_grad(
            os_, [x for x in xs if x.requires_grad], gos, create_graph=True, allow_unused=True
        )
        return tuple(g for g in gs if g is not None)

    return gradcheck(
        first_grads,
        tuple(inputs) + tuple(grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )


class GradcheckError(RuntimeError):
    """Raised by gradcheck when gradients disagree."""
