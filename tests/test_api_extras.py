"""Smaller pieces of PyTorch's API that programs reach for: torch.jit as a pass-through,
window functions, nn.DataParallel on one device, torch.multiprocessing."""

import numpy as np
import pytest
import torch

import ember


@pytest.mark.parametrize("expr", [
    "m.hann_window(5)", "m.hann_window(6, periodic=False)", "m.hann_window(1)",
    "m.hann_window(0)", "m.hamming_window(4, dtype=m.float64)",
    "m.hamming_window(7, periodic=False, alpha=0.5, beta=0.4)", "m.blackman_window(5)",
    "m.blackman_window(6, periodic=False)", "m.bartlett_window(6)",
    "m.bartlett_window(5, periodic=False)", "m.kaiser_window(6)",
    "m.kaiser_window(5, periodic=False, beta=5.0, dtype=m.float64)",
])
def test_windows_match_torch(expr):
    e = eval(expr, {"m": ember})
    t = eval(expr, {"m": torch})
    assert str(e.dtype) == str(t.dtype) and tuple(e.shape) == tuple(t.shape)
    np.testing.assert_allclose(e.cpu().numpy(), t.cpu().numpy(), rtol=1e-6, atol=1e-7)
    assert repr(e) == repr(t)


def test_jit_is_a_pass_through():
    @ember.jit.script
    def f(x):
        return x * 2

    assert f(ember.tensor([1.0])).tolist() == [2.0]
    lin = ember.nn.Linear(2, 1)
    assert ember.jit.trace(lin, ember.ones(1, 2)) is lin
    assert ember.jit.script(lin) is lin
    assert not ember.jit.is_scripting() and not ember.jit.is_tracing()

    class M(ember.nn.Module):
        @ember.jit.ignore
        def helper(self):
            return 3

        @ember.jit.unused
        def other(self):
            return 4

    assert M().helper() == 3 and M().other() == 4
    # (jit.save/load of a module round-trips: tests/test_wave8_programs_fixes.py)
    with pytest.raises(AttributeError, match="has no attribute 'save'"):
        ember.jit.save(lambda x: x, "x.pt")


def test_data_parallel_wraps_the_module():
    def run(m):
        m.manual_seed(0)
        lin = m.nn.Linear(2, 1)
        with m.no_grad():
            lin.weight.fill_(0.5)
            lin.bias.fill_(-1.0)
        dp = m.nn.DataParallel(lin)
        return repr(dp), list(dp.state_dict()), dp(m.ones(3, 2)).tolist(), dp.module is lin

    assert run(ember) == run(torch)


def test_multiprocessing_module():
    import torch.multiprocessing as tmp

    import ember.multiprocessing as emp

    assert emp.get_start_method(allow_none=True) == tmp.get_start_method(allow_none=True)
    assert emp.Queue is not None and emp.get_context("spawn") is not None


def test_channel_shuffle_matches_torch():
    for m_e, m_t in ((ember, torch),):
        xe = m_e.arange(24.0).reshape(2, 6, 1, 2).requires_grad_()
        xt = m_t.arange(24.0).reshape(2, 6, 1, 2).requires_grad_()
        ye = m_e.nn.ChannelShuffle(3)(xe)
        yt = m_t.nn.ChannelShuffle(3)(xt)
        np.testing.assert_array_equal(ye.detach().cpu().numpy(), yt.detach().cpu().numpy())
        (ye * m_e.arange(24.0).reshape(2, 6, 1, 2)).sum().backward()
        (yt * m_t.arange(24.0).reshape(2, 6, 1, 2)).sum().backward()
        np.testing.assert_array_equal(xe.grad.cpu().numpy(), xt.grad.cpu().numpy())
        assert repr(m_e.nn.ChannelShuffle(3)) == repr(m_t.nn.ChannelShuffle(3))
        assert (m_e.nn.functional.channel_shuffle(xe, 2).grad_fn.name()
                == m_t.nn.functional.channel_shuffle(xt, 2).grad_fn.name())


def test_version_compares_like_torchs():
    # programs pick code paths by comparing torch.__version__; ember reports the API level it
    # mirrors, so the comparisons that hold for torch 2.13 hold for ember
    import torch

    from packaging import version

    for other in ("1.8", "2.0", "2.0.1", "2.13", "2.14", "3.0"):
        assert (ember.__version__ >= other) == (torch.__version__ >= other), other
        assert (ember.__version__ < other) == (torch.__version__ < other), other
    for other in ((1, 12), (2, 0), (2, 13), (2, 14)):
        assert (ember.__version__ > other) == (torch.__version__ > other), other
    assert version.parse(ember.__version__).release == version.parse(torch.__version__).release
    assert ember.__version__.split("+")[0] == torch.__version__.split("+")[0]
    assert ember.version.ember == "0.1.0"


META_EXPRS = [
    "m.ones(2, 3, device='meta')",
    "m.ones(3, device='meta', dtype=m.int64)",
    "m.zeros((), device='meta')",
    "m.empty(0, device='meta')",
    "m.nn.Linear(3, 2, device='meta').weight",
    "m.nn.Linear(3, 2).to('meta').bias",
    "m.nn.Linear(3, 2, device='meta')(m.ones(4, 3, device='meta'))",
    "(m.ones(2, 3, device='meta') * 2).sum()",
]


@pytest.mark.parametrize("expr", META_EXPRS)
def test_meta_tensors_print_as_torch_does(expr):
    # meta tensors carry a shape and dtype only; PyTorch prints `...` for their data
    e = eval(expr, {"m": ember})
    t = eval(expr, {"m": torch})
    assert repr(e) == repr(t)
    assert e.is_meta and str(e.device) == "meta"


def test_meta_init_does_not_advance_the_cpu_stream():
    for m in (torch, ember):
        m.manual_seed(0)
        before = m.rand(3)
        m.manual_seed(0)
        m.nn.Linear(64, 64, device="meta")
        assert m.equal(m.rand(3), before)


def test_device_as_a_context_manager():
    for m in (torch, ember):
        with m.device("meta"):
            lin = m.nn.Linear(5, 5)
            inner = m.zeros(2)
        after = m.zeros(2)
        assert str(lin.weight.device) == "meta" and str(inner.device) == "meta"
        assert str(after.device) == "cpu"
        # to_empty materialises the meta module on a real device
        assert str(lin.to_empty(device="cpu").weight.device) == "cpu"
        assert not m.ones(1).is_meta


@pytest.mark.parametrize("expr", [
    "m.histogramdd(m.tensor([[0., 1.], [1., 0.], [2., 2.], [2., 0.5]]), bins=[2, 3])",
    "m.histogramdd(m.tensor([[0., 1.], [1., 0.], [2., 2.]]), bins=2, range=[0., 1., 0., 4.],"
    " weight=m.tensor([1., 2., 3.]), density=True)",
    "m.histogramdd(m.tensor([[0., 1.], [1., 0.], [2., 2.]]),"
    " bins=[m.tensor([0., 1., 3.]), m.tensor([0., 2.])])",
    "m.histogramdd(m.tensor([[[0., 1.], [1., 0.]]]), bins=2)",
    "m.histogramdd(m.tensor([[1., 1.], [1., 1.]]), bins=2)",
    "m.histogramdd(m.tensor([[1., 1., 2.], [1., 3., 0.]], dtype=m.float64), bins=(1, 2, 3))",
])
def test_histogramdd_matches_torch(expr):
    e = eval(expr, {"m": ember})
    t = eval(expr, {"m": torch})
    assert repr(e) == repr(t)
    assert isinstance(e.bin_edges, tuple)


def test_types_print_as_torch_types():
    # `print(type(x))` in programs: the class text is torch's (ember/_typenames.py)
    def types(m):
        x = m.ones(2)
        return [str(type(v)) for v in (x, x.shape, m.float32, m.device("cpu"),
                                        m.nn.Parameter(m.ones(1)))]

    assert types(ember) == types(torch)

    class Mine(ember.Tensor):
        pass

    # user subclasses print as usual
    assert str(Mine).startswith("<class 'tests.") and str(Mine).endswith(".Mine'>")
