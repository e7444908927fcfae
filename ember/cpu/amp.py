"""Mirrors the deprecated `torch.cpu.amp`: `autocast` and `GradScaler` for the CPU."""

import warnings

from .. import amp as _amp
from .. import _dtype as _D


class autocast(_amp.autocast):
    """Mirrors `torch.cpu.amp.autocast` (= `torch.amp.autocast("cpu", ...)`)."""

    def __init__(self, enabled=True, dtype=_D.bfloat16, cache_enabled=True):
        warnings.warn("`torch.cpu.amp.autocast(args...)` is deprecated. Please use "
                      "`torch.amp.autocast('cpu', args...)` instead.", FutureWarning,
                      stacklevel=2)
        super().__init__("cpu", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_amp.GradScaler):
    """Mirrors `torch.cpu.amp.GradScaler` (= `torch.amp.GradScaler("cpu", ...)`)."""

    def __init__(self, init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        warnings.warn("`torch.cpu.amp.GradScaler(args...)` is deprecated. Please use "
                      "`torch.amp.GradScaler('cpu', args...)` instead.", FutureWarning,
                      stacklevel=2)
        super().__init__("cpu", init_scale, growth_factor, backoff_factor, growth_interval,
                         enabled)
