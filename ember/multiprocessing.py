"""Mirrors `torch.multiprocessing`: Python's multiprocessing (ember tensors are NumPy arrays,
which pickle by value; there is no shared-memory CUDA IPC)."""

from multiprocessing import *
from multiprocessing import (  # noqa: F401
    get_all_start_methods,
    get_context,
    get_start_method,
    set_start_method,
)


def get_sharing_strategy():
    return "file_descriptor"


def set_sharing_strategy(new_strategy):
    if new_strategy not in ("file_descriptor", "file_system"):
        raise RuntimeError(f"unsupported sharing strategy: {new_strategy}")


def get_all_sharing_strategies():
    return {"file_descriptor", "file_system"}


def spawn(fn, args=(), nprocs=1, join=True, daemon=False, start_method="spawn"):
    """Mirrors `torch.multiprocessing.spawn`: fn(i, *args) in `nprocs` processes."""
    ctx = get_context(start_method)
    procs = [ctx.Process(target=fn, args=(i,) + tuple(args), daemon=daemon)
             for i in range(nprocs)]
    for p in procs:
        p.start()
    if not join:
        return procs
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise RuntimeError(f"process {procs.index(p)} terminated with exit code "
                               f"{p.exitcode}")
    return None
