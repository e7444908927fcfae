"""Mirrors `torch.nn.attention`: the SDPBackend names and the `sdpa_kernel` context manager.
ember has one attention kernel (the math one), so choosing backends only sets the flags that
`torch.backends.cuda.*_sdp_enabled()` report; results do not change."""

import contextlib
import enum

from ...backends import cuda as _cuda

__all__ = ["SDPBackend", "sdpa_kernel", "WARN_FOR_UNFUSED_KERNELS"]

WARN_FOR_UNFUSED_KERNELS = False


class SDPBackend(enum.Enum):
    """Mirrors `torch.nn.attention.SDPBackend` (repr `<SDPBackend.MATH: 0>`, int() works)."""

    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4

    def __int__(self):
        return self.value

    __index__ = __int__


# the flag each backend switches in torch.backends.cuda
_FLAGS = {
    SDPBackend.MATH: "math",
    SDPBackend.FLASH_ATTENTION: "flash",
    SDPBackend.EFFICIENT_ATTENTION: "mem_efficient",
    SDPBackend.CUDNN_ATTENTION: "cudnn",
    SDPBackend.OVERRIDEABLE: "overrideable",
}


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority=False):
    """Mirrors `torch.nn.attention.sdpa_kernel`: only the listed backends are enabled inside
    the block; the previous flags come back after it."""
    if not isinstance(backends, (list, SDPBackend)):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of "
                             f"SDPBackend instances, got {type(backends).__name__}")
    chosen = {backends} if isinstance(backends, SDPBackend) else set(backends)
    saved = dict(_cuda._SDP)
    try:
        for backend, flag in _FLAGS.items():
            _cuda._SDP[flag] = backend in chosen
        yield {}
    finally:
        _cuda._SDP.update(saved)
