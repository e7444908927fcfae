"""Regression tests for fixes found by the wave-9 programs (p480-p499): torch vs ember."""
import warnings

import torch

import ember


def test_tensor_hook_handle_is_a_removable_handle():
    for lib in (torch, ember):
        t = lib.ones(2, requires_grad=True)
        h = t.register_hook(lambda g: g)
        assert type(h).__name__ == "RemovableHandle"
        h.remove()
        leaf_grad = t.grad_fn  # a leaf: no node; hook on a non-leaf too
        u = t * 2
        assert type(u.register_hook(lambda g: g)).__name__ == "RemovableHandle"
        assert leaf_grad is None


def _full_hook_warning(lib):
    net = lib.nn.Linear(2, 1)
    net.register_full_backward_hook(lambda m, gi, go: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net(lib.ones(1, 2)).sum().backward(); line = _line()  # noqa: E702
    (w,) = [w for w in caught if "Full backward hook" in str(w.message)]
    return w.filename, w.lineno, line


def _line():
    import inspect
    return inspect.currentframe().f_back.f_lineno


def test_full_backward_hook_warning_points_at_backward_call():
    # no input requires grad: the warning names the user's `.backward()` line, as in torch
    for lib in (torch, ember):
        filename, lineno, line = _full_hook_warning(lib)
        assert filename == __file__ and lineno == line, lib.__name__
