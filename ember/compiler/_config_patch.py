"""`patch` for ember's config modules (`torch._dynamo.config.patch`,
`torch.compiler.config.patch`): set names for the duration of a `with` block or a call."""

import contextlib
import functools
import sys


@contextlib.contextmanager
def _patched(module_name, changes):
    namespace = sys.modules[module_name].__dict__
    missing = object()
    saved = {k: namespace.get(k, missing) for k in changes}
    namespace.update(changes)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is missing:
                namespace.pop(k, None)
            else:
                namespace[k] = v


class _Patch:
    """A context manager (re-entrant) and decorator."""

    def __init__(self, module_name, changes):
        self._module = module_name
        self._changes = changes
        self._active = []

    def __enter__(self):
        cm = _patched(self._module, self._changes)
        cm.__enter__()
        self._active.append(cm)

    def __exit__(self, *exc):
        return self._active.pop().__exit__(*exc)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with _patched(self._module, self._changes):
                return fn(*args, **kwargs)

        return wrapper


def make_patch(module_name):
    def patch(arg1=None, arg2=None, **kwargs):
        """Mirrors torch's config `patch`: `patch(name, value)`, `patch({name: value})` or
        `patch(name=value)`, as a context manager or decorator."""
        changes = {}
        if isinstance(arg1, str):
            changes[arg1] = arg2
        elif isinstance(arg1, dict):
            changes.update(arg1)
        changes.update(kwargs)
        return _Patch(module_name, changes)

    return patch
