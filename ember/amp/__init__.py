"""Mirrors `torch.amp`: `autocast`, `custom_fwd`/`custom_bwd` and `GradScaler`.

Inside `autocast(device_type, dtype=...)` the ops on PyTorch's autocast lists, for tensors on
that device type, cast their floating inputs: matmul, linear and convolutions run in the
autocast dtype, losses (and on CUDA softmax, layer_norm and more) in float32, a few ops in the
widest input dtype; everything else runs in its inputs' dtype. `ember/amp/_lists.py` holds the
lists and explains the mechanism. The casts are differentiable, so float32 parameters get
float32 gradients.

CUDA's default autocast dtype is float16, as in PyTorch. The CPU's is bfloat16 (which needs the
optional ml_dtypes package, as every bfloat16 tensor does). The CPU lists differ from CUDA's:
softmax and layer_norm are not on them.
The autocast state is global to the process here, not per thread as in PyTorch.

`GradScaler` scales the loss, unscales the gradients, skips steps whose gradients overflowed
and adapts the scale, exactly as PyTorch's does.
"""

import functools
import warnings

import numpy as np

from . import _lists

# device type -> (enabled, dtype) as the autocast regions set them; absent means the defaults
_STATE = {}
_NESTING = [0]


def _default_dtype(device_type):
    from .. import _dtype as D

    return D.float16 if device_type == "cuda" else D.bfloat16


def _state(device_type):
    return _STATE.get(device_type, (False, _default_dtype(device_type)))


def _sync():
    """Derive the casting tables (and the matmul fast path's switch) from the state."""
    from .. import _dtype as D
    from .._ops import _fast

    _lists.CASTING.clear()
    for dev, (on, dt) in _STATE.items():
        if on and isinstance(dt, D.dtype):
            _lists.CASTING[dev] = dt
    _lists.ACTIVE[0] = bool(_lists.CASTING)
    _fast.autocast_cpu("cpu" in _lists.CASTING)


def is_autocast_available(device_type):
    """Mirrors `torch.amp.is_autocast_available` (an unknown device string raises, as there)."""
    from .._device import device

    return device(device_type).type in ("cpu", "cuda")


class autocast:
    """Mirrors `torch.amp.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)`
    as a context manager or decorator."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        _check_device_type(device_type)
        self.device = device_type
        if not is_autocast_available(device_type):
            raise RuntimeError(
                f"User specified an unsupported autocast device_type '{device_type}'")
        self.fast_dtype = dtype if dtype is not None else get_autocast_dtype(device_type)
        self._cache_enabled = (is_autocast_cache_enabled() if cache_enabled is None
                               else cache_enabled)
        if enabled:
            enabled = self._check_supported()
        self._enabled = enabled

    def _check_supported(self):
        from .. import _dtype as D
        from .. import cuda

        if self.device == "cuda":
            if not cuda.is_available():
                warnings.warn("CUDA is not available or torch_xla is imported. Disabling "
                              "autocast.", stacklevel=3)
                return False
            return True
        if self.fast_dtype is not D.float16 and self.fast_dtype is not D.bfloat16:
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling "
                          "autocast.\nCPU Autocast only supports dtypes of torch.bfloat16, "
                          "torch.float16 currently.", stacklevel=3)
            return False
        return True

    def __enter__(self):
        self._prev = _STATE.get(self.device)
        self._prev_cache = _lists.CACHE_ENABLED[0]
        _STATE[self.device] = (self._enabled, self.fast_dtype)
        _lists.CACHE_ENABLED[0] = self._cache_enabled
        _NESTING[0] += 1
        _sync()
        return self

    def __exit__(self, *exc):
        _NESTING[0] -= 1
        if _NESTING[0] == 0:
            _lists.clear_cache()
        if self._prev is None:
            _STATE.pop(self.device, None)
        else:
            _STATE[self.device] = self._prev
        _lists.CACHE_ENABLED[0] = self._prev_cache
        _sync()
        return False

    def __call__(self, func):
        if not callable(func):
            raise TypeError(
                f"autocast()(func) requires a callable, but got {type(func).__name__}. "
                "Did you mean to use autocast as a context manager? For example:\n"
                "    with torch.autocast(device_type=...):\n"
                "        output = model(input)")

        @functools.wraps(func)
        def decorate_autocast(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return decorate_autocast


def is_autocast_enabled(device_type=None):
    """Mirrors `torch.is_autocast_enabled` (no argument: CUDA's state)."""
    return _state(device_type or "cuda")[0]


def set_autocast_enabled(device_type, enabled):
    """Mirrors `torch.set_autocast_enabled(device_type, enabled)`."""
    _STATE[device_type] = (bool(enabled), _state(device_type)[1])
    _sync()


def get_autocast_dtype(device_type):
    """Mirrors `torch.get_autocast_dtype`."""
    return _state(device_type)[1]


def set_autocast_dtype(device_type, dtype):
    """Mirrors `torch.set_autocast_dtype`."""
    _STATE[device_type] = (_state(device_type)[0], dtype)
    _sync()


def is_autocast_cpu_enabled():
    """Mirrors the deprecated `torch.is_autocast_cpu_enabled`."""
    return is_autocast_enabled("cpu")


def get_autocast_cpu_dtype():
    """Mirrors the deprecated `torch.get_autocast_cpu_dtype`."""
    return get_autocast_dtype("cpu")


def get_autocast_gpu_dtype():
    """Mirrors the deprecated `torch.get_autocast_gpu_dtype`."""
    return get_autocast_dtype("cuda")


def is_autocast_cache_enabled():
    """Mirrors `torch.is_autocast_cache_enabled`."""
    return _lists.CACHE_ENABLED[0]


def set_autocast_cache_enabled(enabled):
    """Mirrors `torch.set_autocast_cache_enabled`."""
    _lists.CACHE_ENABLED[0] = bool(enabled)


def clear_autocast_cache():
    """Mirrors `torch.clear_autocast_cache`."""
    _lists.clear_cache()


def _cast_inputs(value, device_type, dtype):
    """PyTorch's custom_fwd casting: floating tensors on the device type (float64 kept), also
    inside lists, tuples and dicts."""
    from .. import _dtype as D
    from .._tensor import Tensor

    if isinstance(value, Tensor):
        eligible = (value._dtype._kind == 2 and value._dtype is not D.float64
                    and value._device.type == device_type)
        return value.to(dtype) if eligible else value
    if isinstance(value, dict):
        return {k: _cast_inputs(v, device_type, dtype) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_inputs(v, device_type, dtype) for v in value)
    return value


def _float32():
    from .. import _dtype as D

    return D.float32


def _float16():
    from .. import _dtype as D

    return D.float16


def _check_device_type(device_type):
    if not isinstance(device_type, str):
        # PyTorch raises ValueError here
        raise ValueError(  # noqa: TRY004
            f"Expected `device_type` of type `str`, got: `{type(device_type)}`")


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    """Mirrors `torch.amp.custom_fwd`: in an autocast region with `cast_inputs`, forward gets
    its floating inputs cast to `cast_inputs` and runs with autocast off; without it, forward
    runs in the current autocast state (which backward under `custom_bwd` then reuses)."""
    _check_device_type(device_type)
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        ctx = args[0]
        ctx._dtype = get_autocast_dtype(device_type)
        if cast_inputs is None:
            ctx._fwd_used_autocast = is_autocast_enabled(device_type)
            return fwd(*args, **kwargs)
        ctx._fwd_used_autocast = False
        if not is_autocast_enabled(device_type):
            return fwd(*args, **kwargs)
        with autocast(device_type=device_type, enabled=False):
            return fwd(*_cast_inputs(args, device_type, cast_inputs),
                       **_cast_inputs(kwargs, device_type, cast_inputs))

    return decorate_fwd


def custom_bwd(bwd=None, *, device_type):
    """Mirrors `torch.amp.custom_bwd`: backward runs in the autocast state forward ran in."""
    _check_device_type(device_type)
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        ctx = args[0]
        with autocast(device_type=device_type, enabled=ctx._fwd_used_autocast,
                      dtype=ctx._dtype):
            return bwd(*args, **kwargs)

    return decorate_bwd


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
            # PyTorch multiplies by a 0-d float32 tensor: a 0-d float16 loss comes back float32
            from .._creation import tensor

            scale = tensor(self._scale, dtype=_float32(), device=outputs.device)
            return outputs * scale
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
        grads = [p.grad for group in optimizer.param_groups for p in group["params"]
                 if p.grad is not None]
        if any(g._dtype is _float16() for g in grads):
            raise ValueError("Attempting to unscale FP16 gradients.")
        found = False
        for grad in grads:
            g = grad._data
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
