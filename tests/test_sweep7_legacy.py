"""Old-PyTorch idioms (0.3-1.x code) that torch 2.13 still runs: ember must match it.

Each test runs the same call on torch and ember. Tests marked `_PENDING` fail until the fix
described in the sweep-7 report is applied to the core file named in the reason (strict xfail:
the fix makes them pass, then the mark goes).
"""

import warnings
from collections import OrderedDict

import numpy as np
import pytest
import torch

import ember


def _both(fn):
    """fn(lib) on torch and on ember, warnings silenced (they go to stderr in old code too)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(torch), fn(ember)


def _same(t, e):
    np.testing.assert_array_equal(np.asarray(e.detach().cpu().numpy()), t.detach().cpu().numpy())
    assert str(e.dtype) == str(t.dtype)


@pytest.mark.parametrize("name", ["add", "sub"])
def test_deprecated_number_tensor_overload(name):
    def run(lib):
        a = lib.tensor([1.0, 2.0, 3.0])
        b = lib.tensor([10.0, 20.0, 30.0])
        c = a.clone()
        getattr(c, name + "_")(-0.5, b)  # p.data.add_(-lr, p.grad.data)
        return getattr(lib, name)(a, 2, b), getattr(a, name)(0.5, b), c

    for t, e in zip(*_both(run)):
        _same(t, e)


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_deprecated_value_first_overload(name):
    def run(lib):
        a = lib.tensor([1.0, 2.0, 3.0])
        b = lib.tensor([2.0, 4.0, 8.0])
        c = a.clone()
        getattr(c, name + "_")(-0.25, a, b)  # exp_avg_sq.addcmul_(1 - beta2, grad, grad)
        return getattr(lib, name)(a, 3, b, b), c

    for t, e in zip(*_both(run)):
        _same(t, e)


def test_old_overload_with_wrong_types_still_refused():
    # a tensor in the alpha slot is not the deprecated overload
    for lib in (torch, ember):
        with pytest.raises(TypeError):
            lib.ones(2).add(lib.ones(2), lib.ones(2))


def test_consume_prefix_in_state_dict_if_present():
    def run(lib):
        net = lib.nn.DataParallel(lib.nn.Linear(2, 2))
        sd = net.state_dict()
        lib.nn.modules.utils.consume_prefix_in_state_dict_if_present(sd, "module.")
        return list(sd.keys())

    t, e = _both(run)
    assert e == t
    sd = OrderedDict([("module.w", 1), ("other", 2)])
    ember.nn.modules.utils.consume_prefix_in_state_dict_if_present(sd, "module.")
    assert list(sd) == ["other", "w"]


def test_legacy_function_instance_call_is_refused():
    msgs = []
    for lib in (torch, ember):
        class Old(lib.autograd.Function):
            def forward(self, x):
                return x * 2

        with pytest.warns(DeprecationWarning):
            fn = Old()
        with pytest.raises(RuntimeError) as info:
            fn(lib.ones(2))
        msgs.append(str(info.value))
    assert msgs[1] == msgs[0]


@pytest.mark.parametrize("default", ["float32", "float64"])
def test_type_torch_tensor_is_the_default_type(default):
    def run(lib):
        old = lib.get_default_dtype()
        lib.set_default_dtype(getattr(lib, default))
        try:
            x = lib.tensor([1, 2])
            return x.type(lib.Tensor).type(), x.type("torch.Tensor").type()
        finally:
            lib.set_default_dtype(old)

    t, e = _both(run)
    assert e == t


def test_deprecated_eye_and_dirac():
    def run(lib):
        return lib.nn.init.eye(lib.empty(2, 3)), lib.nn.init.dirac(lib.empty(2, 2, 3))

    for t, e in zip(*_both(run)):
        _same(t, e)
    with pytest.warns(FutureWarning, match="nn.init.eye_"):
        ember.nn.init.eye(ember.empty(2, 2))


def test_variable_of_integers_requiring_grad_message():
    msgs = []
    for lib in (torch, ember):
        with pytest.raises(RuntimeError) as info:
            lib.autograd.Variable(lib.LongTensor([1, 2]), requires_grad=True)
        msgs.append(str(info.value))
    assert msgs[1] == msgs[0]
