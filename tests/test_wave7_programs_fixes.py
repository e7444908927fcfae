"""Regressions found by the wave-7 programs (tests/programs/p440-p459): torch vs ember."""

import copy
import io
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import ember

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.parametrize("m", [torch, ember], ids=["torch", "ember"])
def test_parameter_deepcopy_has_no_grad(m):
    # Parameter.__deepcopy__ copies data and requires_grad only; a plain tensor keeps its grad
    lin = m.nn.Linear(2, 2)
    lin(m.ones(1, 2)).sum().backward()
    frozen = m.nn.Parameter(m.ones(2), requires_grad=False)
    t = m.ones(2, requires_grad=True)
    (t * 2).sum().backward()
    clone = copy.deepcopy(lin)
    assert clone.weight.grad is None and clone.bias.grad is None
    assert type(clone.weight) is type(lin.weight)
    assert copy.deepcopy(frozen).requires_grad is False
    assert copy.deepcopy(t).grad.tolist() == [2.0, 2.0]


def _refusal(m, obj):
    buf = io.BytesIO()
    m.save(obj, buf)
    buf.seek(0)
    with pytest.raises(Exception) as info:
        m.load(buf)
    return type(info.value).__name__, str(info.value)


class Box:
    pass


@pytest.mark.parametrize("obj", [
    lambda m: Box(),
    lambda m: {"f": print},
    lambda m: {"g": io.BytesIO},
    lambda m: m.nn.Linear(1, 1),
], ids=["user_class", "builtin", "io_class", "torch_module"])
def test_weights_only_refusal_message(obj):
    assert _refusal(ember, obj(ember)) == _refusal(torch, obj(torch))


@pytest.mark.parametrize("expr", [
    "w * 2", "2 * w", "w / 2", "w.mul(2.5)", "w.sum() * 1", "2 / w", "w ** 2",
    "w + 2", "w - 2", "2 - w", "-w",
])
def test_second_backward_through_scalar_ops(expr):
    # torch's MulBackward0 / DivBackward0 save the constant, so a second backward without
    # retain_graph fails; add / sub / neg save nothing and succeed
    def run(m):
        w = m.ones(3, requires_grad=True)
        h = eval(expr, {"w": w})
        h.sum().backward()
        try:
            (w * h).sum().backward()
        except RuntimeError as e:
            return str(e)
        return w.grad.tolist()

    assert run(ember) == run(torch)


def test_second_backward_through_scalar_mul_with_retain_graph():
    for m in (torch, ember):
        w = m.ones(2, requires_grad=True)
        h = w * 3
        h.sum().backward(retain_graph=True)
        h.sum().backward()
        assert w.grad.tolist() == [6.0, 6.0]


_WARN_SCRIPT = """
import warnings, sys
warnings.simplefilter("always")
import {m} as torch
w = torch.ones(1, requires_grad=True)
v = torch.ones(3, requires_grad=True)
with torch.no_grad():
    float(w)
int(w); w.item()
print("before", flush=True)
try:
    float(v)
except ValueError as e:
    print(e, flush=True)
float(w); complex(w * 2)
"""


def test_float_of_tensor_requiring_grad_warns_once():
    def run(m):
        env = dict(os.environ, PYTHONPATH=ROOT)
        r = subprocess.run([sys.executable, "-c", _WARN_SCRIPT.format(m=m)], env=env,
                           capture_output=True, text=True, check=True)
        return r.stdout, r.stderr.replace("<string>:12:", "<string>:N:")

    out_t, err_t = run("torch")
    out_e, err_e = run("ember")
    assert out_e == out_t
    assert err_e == err_t
    assert err_t.count("Converting a tensor with requires_grad=True") == 1


@pytest.mark.parametrize("shapes,mode", [
    (((30, 3), (30, 3)), "use_mm_for_euclid_dist_if_necessary"),
    (((5, 2), (40, 2)), "use_mm_for_euclid_dist_if_necessary"),
    (((4, 3), (6, 3)), "use_mm_for_euclid_dist"),
    (((2, 30, 3), (1, 27, 3)), "use_mm_for_euclid_dist_if_necessary"),
    (((30, 3), (30, 3)), "donot_use_mm_for_euclid_dist"),
])
def test_cdist_matmul_form_past_25_rows(shapes, mode):
    # torch computes p=2 distances as sqrt(|a|^2 + |b|^2 - 2ab) past 25 rows (or when asked):
    # its round-off (4 digits in float32 for near points) is what programs print
    g = np.random.default_rng(0)
    a = g.standard_normal(shapes[0]).astype(np.float32)
    b = g.standard_normal(shapes[1]).astype(np.float32)
    b[..., :2, :] = a[:1, :2, :] if a.ndim == 3 else a[:2]  # coincident points

    def run(m):
        x = m.tensor(a, requires_grad=True)
        y = m.tensor(b, requires_grad=True)
        d = m.cdist(x, y, compute_mode=mode)
        d.sum().backward()
        return d.detach().numpy(), x.grad.numpy(), y.grad.numpy()

    for e, t in zip(run(ember), run(torch)):
        # (float32 sums in another order: near-zero distances may differ in the 4th digit)
        np.testing.assert_allclose(e, t, rtol=1e-4, atol=2e-3)


def test_cdist_coincident_points_and_bad_mode():
    x = np.random.default_rng(1).standard_normal((30, 3)).astype(np.float32)
    for m in (torch, ember):
        t = m.tensor(x, requires_grad=True)
        d = m.cdist(t, t)
        d.sum().backward()
        assert not t.grad.isnan().any()
        with pytest.raises(ValueError, match="bad is not a valid value for compute_mode"):
            m.cdist(t, t, compute_mode="bad")
    de = ember.cdist(ember.tensor(x), ember.tensor(x)).numpy()
    dt = torch.cdist(torch.tensor(x), torch.tensor(x)).numpy()
    # torch's diagonal is not 0 here (0.00049): ember's matmul form gives the same
    assert np.diag(dt).max() > 1e-4
    np.testing.assert_allclose(np.diag(de), np.diag(dt), atol=1e-6)


@pytest.mark.parametrize("case", [
    lambda m: m.arange(12.0).view(12)[2:6].resize_(2, 3),  # grows into the storage after it
    lambda m: m.arange(12.0).view(3, 4)[:, ::2].resize_(2, 2),  # strided: contiguous from offset
    lambda m: m.arange(6.0)[::2].resize_(2),
    lambda m: m.arange(6.0).resize_(2, 2),
    lambda m: m.arange(12.0).view(12)[:6].view(2, 3).resize_(2, 2),
])
def test_resize_keeps_storage_and_offset(case):
    assert case(ember).tolist() == case(torch).tolist()


def test_resized_view_still_shares_memory():
    for m in (torch, ember):
        a = m.arange(6.0)
        b = a[1:3]
        b.resize_(4)
        b.fill_(-1.0)
        assert a.tolist() == [0.0, -1.0, -1.0, -1.0, -1.0, 5.0]
