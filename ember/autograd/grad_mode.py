"""Grad mode: `no_grad`, `enable_grad`, `set_grad_enabled`, `inference_mode`.

One global flag read on every op; when it is off no op builds a graph node. Under
`inference_mode` a second flag marks the tensors made as inference tensors. Each mode is a
context manager and a decorator (also of generator functions, whose every step then runs in
the mode, as in PyTorch).
"""

import functools
import inspect
import sys


class _GradState:
    __slots__ = ("enabled", "inference", "anomaly")

    def __init__(self):
        self.enabled = True
        self.inference = False
        self.anomaly = False


GRAD = _GradState()


INPLACE_INFERENCE_ERROR = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details."
)
SAVED_INFERENCE_ERROR = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)


class InferenceVersion(list):
    """The version counter (`Tensor._vc`) of an inference tensor: a tensor made under
    `inference_mode`, and every view of one, which shares it. Its class is what marks the
    tensor, so marking costs nothing on tensors that are not inference tensors. As in torch,
    an in-place write to it outside inference mode raises once the write is done (the bump
    of the counter is where torch checks too)."""

    __slots__ = ()

    def __init__(self):
        list.__init__(self, (0,))

    def __setitem__(self, i, value):
        if not GRAD.inference:
            raise RuntimeError(INPLACE_INFERENCE_ERROR)
        list.__setitem__(self, i, value)


def check_saved_inference(saved):
    """Raise torch's error if a tensor among `saved` (what a node keeps for backward) is an
    inference tensor. Called only when recording met an inference version counter."""
    for t in saved:
        if getattr(t, "_vc", None).__class__ is InferenceVersion:
            raise RuntimeError(SAVED_INFERENCE_ERROR)


def is_grad_enabled():
    """Mirrors `torch.is_grad_enabled`."""
    return GRAD.enabled


def is_inference_mode_enabled():
    """Mirrors `torch.is_inference_mode_enabled`."""
    return GRAD.inference


def _wrap_generator(make_mode, gen_fn):
    # run each step of the generator inside the mode, not the caller's code between steps
    @functools.wraps(gen_fn)
    def wrapper(*args, **kwargs):
        gen = gen_fn(*args, **kwargs)
        try:
            with make_mode():
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with make_mode():
                        gen.close()
                    raise
                except BaseException:
                    with make_mode():
                        response = gen.throw(*sys.exc_info())
                else:
                    with make_mode():
                        response = gen.send(request)
        except StopIteration as e:
            return e.value

    return wrapper


def _decorate(make_mode, func):
    if inspect.isgeneratorfunction(func):
        return _wrap_generator(make_mode, func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with make_mode():
            return func(*args, **kwargs)

    return wrapper


class _Mode:
    """Base: a context manager that also decorates functions (and generator functions)."""

    _target = True

    def __enter__(self):
        self._prev = GRAD.enabled
        GRAD.enabled = self._target
        return None

    def __exit__(self, *exc):
        GRAD.enabled = self._prev
        return False

    def __call__(self, func):
        # used as @no_grad() on a function
        return _decorate(self.clone, func)

    def clone(self):
        return self.__class__()


class _NoParamMode(_Mode):
    """A mode that is also usable bare: `@no_grad` as well as `@no_grad()`."""

    def __new__(cls, orig_func=None):
        self = super().__new__(cls)
        if orig_func is None:
            return self
        return self(orig_func)

    def __init__(self, orig_func=None):
        pass


class no_grad(_NoParamMode):
    """Mirrors `torch.no_grad` (context manager and decorator)."""

    _target = False


class enable_grad(_NoParamMode):
    """Mirrors `torch.enable_grad`."""

    _target = True


class set_grad_enabled(_Mode):
    """Mirrors `torch.set_grad_enabled`: sets the mode at once, and restores it on exit."""

    def __init__(self, mode):
        self._prev = GRAD.enabled
        self._target = bool(mode)
        GRAD.enabled = self._target

    def __enter__(self):
        return None

    def __call__(self, func):
        # as a decorator the mode applies only inside the function
        GRAD.enabled = self._prev
        return _decorate(self.clone, func)

    def clone(self):
        return _ScopedGrad(self._target)

    def __repr__(self):
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self._target})"


class _ScopedGrad(_Mode):
    def __init__(self, target):
        self._target = target


class inference_mode(_Mode):
    """Mirrors `torch.inference_mode`: no graph (as `no_grad`) and `is_inference_mode_enabled`;
    tensors made inside are inference tensors (see InferenceVersion), which autograd may not
    save and which may not be written in place or made to require grad outside the mode.

    `inference_mode(False)` turns grad mode back on, as in PyTorch.
    """

    def __new__(cls, mode=True):
        self = super().__new__(cls)
        if mode is None or isinstance(mode, bool):
            return self
        # bare @inference_mode on a function
        self.__init__()
        return self(mode)

    def __init__(self, mode=True):
        self.mode = bool(mode)

    def __enter__(self):
        self._prev = (GRAD.enabled, GRAD.inference)
        GRAD.enabled = not self.mode
        GRAD.inference = self.mode
        return None

    def __exit__(self, *exc):
        GRAD.enabled, GRAD.inference = self._prev
        return False

    def clone(self):
        return inference_mode(self.mode)


# ---------------------------------------------------------------- anomaly mode
def is_anomaly_enabled():
    """Mirrors `torch.is_anomaly_enabled`."""
    return GRAD.anomaly


def _set_anomaly(mode, check_nan):
    # the check_nan flag lives beside torch.set_anomaly_enabled's (ember/_api_gaps2.py), so
    # that torch.is_anomaly_check_nan_enabled sees what these context managers set
    from .._api_gaps2 import set_anomaly_enabled

    set_anomaly_enabled(mode, check_nan)


def _anomaly_state():
    from .._api_gaps2 import is_anomaly_check_nan_enabled

    return GRAD.anomaly, is_anomaly_check_nan_enabled()


class set_detect_anomaly:
    """Mirrors `torch.autograd.set_detect_anomaly`: with `check_nan`, backward raises when a
    node returns NaN. Deviation: ember records no forward tracebacks for the error."""

    def __init__(self, mode, check_nan=True):
        self._prev = _anomaly_state()
        _set_anomaly(mode, check_nan)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _set_anomaly(*self._prev)
        return False


class detect_anomaly:
    """Mirrors `torch.autograd.detect_anomaly` (a context manager; see set_detect_anomaly)."""

    def __init__(self, check_nan=True):
        import warnings

        self._prev = None
        self.check_nan = check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and should "
            "only be enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self):
        self._prev = _anomaly_state()
        _set_anomaly(True, self.check_nan)
        return None

    def __exit__(self, *exc):
        _set_anomaly(*self._prev)
        return False

    def __call__(self, func):
        return _decorate(detect_anomaly, func)
