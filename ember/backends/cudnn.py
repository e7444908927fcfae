"""Mirrors `torch.backends.cudnn`. ember uses no cuDNN: the flags are stored and unused."""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True
benchmark_limit = 10


def is_available():
    """False: ember does not use cuDNN."""
    return False


def version():
    """None: no cuDNN library is loaded."""
    return None


class flags:
    """Mirrors `torch.backends.cudnn.flags(...)`: set the flags inside a `with` block."""

    def __init__(self, enabled=False, benchmark=False, deterministic=False, allow_tf32=True):
        self._new = dict(enabled=enabled, benchmark=benchmark, deterministic=deterministic,
                         allow_tf32=allow_tf32)

    def __enter__(self):
        glob = globals()
        self._old = {k: glob[k] for k in self._new}
        glob.update(self._new)

    def __exit__(self, *exc):
        globals().update(self._old)
        return False
