"""Mirrors `torch.amp`: `autocast` and `GradScaler`.

ember computes every op in its inputs' dtype, so `autocast` only records that it is on (it
changes no dtype); `GradScaler` scales the loss, unscales the gradients, skips steps whose
gradients overflowed and adapts the scale, exactly as PyTorch's does.
"""

import functools
import warnings

import numpy as np

_STATE = {}


def _enabled(device_type):
    return _STATE.get(device_type, (False, None))


def is_autocast_available(device_type):
    return device_type in ("cpu", "cuda")


class autocast:
    """Mirrors `torch.amp.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)`
    as a context manager or decorator. Ops keep their inputs' dtypes in ember."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        from .. import _dtype as D

        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device = device_type
        self.fast_dtype = dtype if dtype is not None else (
            D.float16 if device_type == "cuda" else _BFLOAT16_STANDIN)
        self._enabled = enabled

    def __enter__(self):
        self._prev = _enabled(self.device)
        _STATE[self.device] = (self._enabled, self.fast_dtype)
        return self

    def __exit__(self, *exc):
        _STATE[self.device] = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return wrapper


class _BFloat16Standin:
    """PyTorch's CPU autocast dtype; ember has no bfloat16 on NumPy."""

    def __repr__(self):
        return "torch.bfloat16"


_BFLOAT16_STANDIN = _BFloat16Standin()


def is_autocast_enabled(device_type=None):
    """Mirrors `torch.is_autocast_enabled`."""
    return _enabled(device_type or "cuda")[0]


def get_autocast_dtype(device_type):
    from .. import _dtype as D

    dt = _enabled(device_type)[1]
    if dt is not None:
        return dt
    return D.float16 if device_type == "cuda" else _BFLOAT16_STANDIN


def custom_fwd(fwd=None, *, device_type="cuda", cast_inputs=None):
    """Mirrors `torch.amp.custom_fwd`: the function itself (no casting in ember)."""
    if fwd is None:
        return lambda f: f
    return fwd


def custom_bwd(bwd=None, *, device_type="cuda"):
    """Mirrors `torch.amp.custom_bwd`."""
    if bwd is None:
        return lambda f: f
    return bwd


class GradScaler:
    """Mirrors `torch.amp.GradScaler`: dynamic loss scaling for mixed-precision training."""

    def __init__(self, device="cuda", init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        self._device = device
        self._enabled = enabled
        if enabled and device == "cuda":
            from .. import cuda

            if not cuda.is_available():
                warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not "
                              "available.  Disabling.")
                self._enabled = False
        self._scale = float(init_scale)
        self._growth_factor = growth_factor
        self._backoff_factor = backoff_factor
        self._growth_interval = growth_interval
        self._growth_tracker = 0
        # per optimizer: {"unscaled": bool, "stepped": bool, "found_inf": bool}
        self._per_optimizer = {}

    def is_enabled(self):
        return self._enabled

    def get_scale(self):
        return self._scale if self._enabled else 1.0

    def get_growth_factor(self):
        return self._growth_factor

    def get_backoff_factor(self):
        return self._backoff_factor

    def get_growth_interval(self):
        return self._growth_interval

    def scale(self, outputs):
        """The outputs (a tensor or nested sequence of tensors) times the current scale."""
        if not self._enabled:
            return outputs
        from .._tensor import Tensor

        if isinstance(outputs, Tensor):
            return outputs * self._scale
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _state(self, optimizer):
        return self._per_optimizer.setdefault(
            id(optimizer), {"unscaled": False, "stepped": False, "found_inf": False})

    def unscale_(self, optimizer):
        """Divide the optimizer's gradients by the scale (once per step) and note infs."""
        if not self._enabled:
            return
        st = self._state(optimizer)
        if st["unscaled"]:
            raise RuntimeError("unscale_() has already been called on this optimizer since the "
                               "last update().")
        if st["stepped"]:
            raise RuntimeError("unscale_() is being called after step().")
        inv = np.float32(1.0 / self._scale)
        found = False
        for group in optimizer.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad._data
                g *= inv.astype(g.dtype)
                if not bool(np.isfinite(g).all()):
                    found = True
        st["found_inf"] = found
        st["unscaled"] = True

    def step(self, optimizer, *args, **kwargs):
        """Unscale (if not done yet), then `optimizer.step()` unless a gradient overflowed."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is "
                               "enabled.")
        st = self._state(optimizer)
        if st["stepped"]:
            raise RuntimeError("step() has already been called since the last update().")
        if not st["unscaled"]:
            self.unscale_(optimizer)
        ret = None
        if not st["found_inf"]:
            ret = optimizer.step(*args, **kwargs)
        st["stepped"] = True
        return ret

    def update(self, new_scale=None):
        """Shrink the scale after an overflow, grow it after growth_interval clean steps."""
        if not self._enabled:
            return
        if new_scale is not None:
            self._scale = float(new_scale)
        else:
            found = any(st["found_inf"] for st in self._per_optimizer.values())
            if found:
                self._scale *= self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    self._scale *= self._growth_factor
                    self._growth_tracker = 0
        self._per_optimizer = {}

    def state_dict(self):
        if not self._enabled:
            return {}
        return {"scale": self._scale, "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor,
                "growth_interval": self._growth_interval,
                "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._scale = float(state_dict["scale"])
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._growth_tracker = int(state_dict["_growth_tracker"])
