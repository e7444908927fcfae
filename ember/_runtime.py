"""Runtime switches PyTorch programs set at startup: thread counts, determinism, matmul
precision and `torch.compile`. ember keeps the values; NumPy's own BLAS threads are left as
the process started them (threadpoolctl, when installed, is used to change them)."""

import os

_STATE = {
    "threads": None,
    "interop_threads": None,
    "deterministic": False,
    "warn_only": False,
    "matmul_precision": "highest",
}


def set_num_threads(n):
    """Mirrors `torch.set_num_threads`: also limits NumPy's BLAS when threadpoolctl is here."""
    if not isinstance(n, int) or n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _STATE["threads"] = n
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(n, user_api="blas")


def get_num_threads():
    """Mirrors `torch.get_num_threads`."""
    n = _STATE["threads"]
    if n is not None:
        return n
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def set_num_interop_threads(n):
    """Mirrors `torch.set_num_interop_threads`."""
    _STATE["interop_threads"] = n


def get_num_interop_threads():
    """Mirrors `torch.get_num_interop_threads`."""
    return _STATE["interop_threads"] or get_num_threads()


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Mirrors `torch.use_deterministic_algorithms` (ember's algorithms are deterministic)."""
    _STATE["deterministic"] = bool(mode)
    _STATE["warn_only"] = bool(warn_only)


def are_deterministic_algorithms_enabled():
    return _STATE["deterministic"]


def is_deterministic_algorithms_warn_only_enabled():
    return _STATE["warn_only"]


def set_float32_matmul_precision(precision):
    """Mirrors `torch.set_float32_matmul_precision` ("highest", "high" or "medium")."""
    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"Invalid precision {precision}")
    _STATE["matmul_precision"] = precision


def get_float32_matmul_precision():
    return _STATE["matmul_precision"]


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False):
    """Mirrors `torch.compile`: ember runs eagerly; a Module comes back wrapped in an
    OptimizedModule (as `_orig_mod`, which torch's state_dict keys show), a function as it
    is; without a model, a decorator that does the same."""
    if model is None:
        return lambda fn: compile(fn)
    from .nn.modules.module import Module

    if isinstance(model, Module):
        # like torch: a wrapper whose state_dict keys start with `_orig_mod.`
        from ._dynamo.eval_frame import OptimizedModule

        return OptimizedModule(model)
    return model
