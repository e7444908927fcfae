"""Grad mode: `no_grad`, `enable_grad`, `set_grad_enabled`, `inference_mode`.

One global flag read on every op; when it is off no op builds a graph node.
"""

import functools


class _GradState:
    __slots__ = ("enabled",)

    def __init__(self):
        self.enabled = True


GRAD = _GradState()


def is_grad_enabled():
    """Mirrors `torch.is_grad_enabled`."""
    return GRAD.enabled


class _Mode:
    """Base: a context manager that also decorates functions (and generator functions)."""

    _target = True

    def __enter__(self):
        self._prev = GRAD.enabled
        GRAD.enabled = self._target
        return self

    def __exit__(self, *exc):
        GRAD.enabled = self._prev
        return False

    def __call__(self, func):
        # used as @no_grad() or @no_grad on a function
        mode = self.__class__

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mode():
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_Mode):
    """Mirrors `torch.no_grad` (context manager and decorator)."""

    _target = False

    def __new__(cls, func=None):
        self = super().__new__(cls)
        if callable(func):
            # bare @no_grad on a function
            self.__init__()
            return self(func)
        return self

    def __init__(self, func=None):
        pass


class enable_grad(_Mode):
    """Mirrors `torch.enable_grad`."""

    _target = True

    def __new__(cls, func=None):
        self = super().__new__(cls)
        if callable(func):
            self.__init__()
            return self(func)
        return self

    def __init__(self, func=None):
        pass


class set_grad_enabled(_Mode):
    """Mirrors `torch.set_grad_enabled`: sets the mode at once, and restores it on exit."""

    def __init__(self, mode):
        self._prev = GRAD.enabled
        self._target = bool(mode)
        GRAD.enabled = self._target

    def __enter__(self):
        return self

    def __call__(self, func):
        GRAD.enabled = self._prev
        target = self._target

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(target):
                return func(*args, **kwargs)

        return wrapper

    def clone(self):
        return set_grad_enabled(self._target)


class inference_mode(_Mode):
    """Mirrors `torch.inference_mode`: here the same as `no_grad` when enabled."""

    def __new__(cls, mode=True):
        self = super().__new__(cls)
        if callable(mode):
            self.__init__()
            return self(mode)
        return self

    def __init__(self, mode=True):
        self._target = not bool(mode) and GRAD.enabled

    def __call__(self, func):
        target = self._target

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            prev = GRAD.enabled
            GRAD.enabled = target
            try:
                return func(*args, **kwargs)
            finally:
                GRAD.enabled = prev

        return wrapper


def is_inference_mode_enabled():
    return not GRAD.enabled
