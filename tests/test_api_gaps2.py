"""Public names filled in by ember/_api_gaps2.py, ember/optim/_adafactor.py, _muon.py,
_sparse_adam.py, ember/compiler, ember/_dynamo, ember/hub.py, ember/overrides.py,
ember/nn/grad.py, ember/nn/_pool_gaps.py and ember/nn/modules/extra_layers.py: each against
torch 2.13 run in the same test."""

import os
import warnings

import numpy as np
import pytest
import torch

import ember


def _np(t):
    return t.detach().cpu().numpy()


def _close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(_np(a), _np(b), rtol=rtol, atol=atol)


def _pair(arr, requires_grad=False):
    return (ember.tensor(arr, requires_grad=requires_grad),
            torch.tensor(arr, requires_grad=requires_grad))


# ------------------------------------------------------------------ optimizers
OPT_CONFIGS = [
    ("Adafactor", {}, [(3, 4), (4,), (), (2, 3, 5)]),
    ("Adafactor", dict(lr=0.1, weight_decay=0.1, maximize=True, d=1.5, beta2_decay=-0.5,
                       eps=(1e-30, 1e-3)), [(3, 4), (4,), (), (2, 3, 5)]),
    ("Muon", {}, [(3, 4), (8, 5)]),
    ("Muon", dict(lr=0.02, nesterov=False, weight_decay=0.01), [(3, 4), (8, 5)]),
    ("Muon", dict(lr=0.02, adjust_lr_fn="match_rms_adamw", ns_steps=3,
                  ns_coefficients=(3.0, -3.2, 1.2)), [(5, 3), (4, 6)]),
]


def _run_both(name, kwargs, shapes, dtype, steps=20, groups=False):
    rng = np.random.default_rng(0)
    init = [rng.standard_normal(s).astype(dtype) for s in shapes]
    ep = [ember.tensor(a, requires_grad=True) for a in init]
    tp = [torch.tensor(a, requires_grad=True) for a in init]
    if groups:
        ep = [{"params": ep[:1], "lr": 0.05}, {"params": ep[1:]}]
        tp = [{"params": tp[:1], "lr": 0.05}, {"params": tp[1:]}]
    eo = getattr(ember.optim, name)(ep, **kwargs)
    to = getattr(torch.optim, name)(tp, **kwargs)
    eps_ = [p for g in eo.param_groups for p in g["params"]]
    tps_ = [p for g in to.param_groups for p in g["params"]]
    return rng, init, eps_, tps_, eo, to


def _feed(rng, init, eps_, tps_, dtype):
    grads = [rng.standard_normal(a.shape).astype(dtype) for a in init]
    for p, g in zip(eps_, grads):
        p.grad = ember.tensor(g)
    for p, g in zip(tps_, grads):
        p.grad = torch.tensor(g)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,kwargs,shapes", OPT_CONFIGS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(OPT_CONFIGS)])
def test_new_optimizers_match_torch_every_step(name, kwargs, shapes, dtype):
    rng, init, ep, tp, eo, to = _run_both(name, kwargs, shapes, dtype)
    tol = dict(rtol=2e-5, atol=2e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-12)
    for step in range(20):
        _feed(rng, init, ep, tp, dtype)
        eo.step()
        to.step()
        for a, b in zip(ep, tp):
            np.testing.assert_allclose(_np(a), _np(b), **tol, err_msg=f"{name} step {step}")
    es, ts = eo.state_dict(), to.state_dict()
    assert es["param_groups"] == ts["param_groups"]
    assert es["state"].keys() == ts["state"].keys()
    for i in ts["state"]:
        assert es["state"][i].keys() == ts["state"][i].keys()
        for k, v in ts["state"][i].items():
            assert es["state"][i][k].dtype.itemsize == v.dtype.itemsize
            np.testing.assert_allclose(_np(es["state"][i][k]), _np(v), **tol)


def test_muon_larger_matrix_within_one_bfloat16_rounding():
    # torch's float32 sums run in another order than NumPy's, so one of the bfloat16 roundings
    # inside Newton-Schulz may flip by one unit (2**-8 relative) in larger matrices
    rng, init, ep, tp, eo, to = _run_both("Muon", dict(lr=0.02), [(16, 16), (32, 12)],
                                          "float32")
    for _ in range(10):
        _feed(rng, init, ep, tp, "float32")
        eo.step()
        to.step()
    for a, b in zip(ep, tp):
        np.testing.assert_allclose(_np(a), _np(b), atol=1e-3)


@pytest.mark.parametrize("name,kwargs", [("Adafactor", dict(lr=0.02)), ("Muon", dict(lr=0.02))])
def test_param_groups_and_state_dict_round_trip(name, kwargs):
    shapes = [(3, 4), (5, 2)]
    rng, init, ep, tp, eo, to = _run_both(name, kwargs, shapes, "float32", groups=True)
    for _ in range(5):
        _feed(rng, init, ep, tp, "float32")
        eo.step()
        to.step()
    # torch's state into a fresh ember optimizer over ember's current values, and back
    ep2 = [ember.tensor(_np(p), requires_grad=True) for p in tp]
    tp2 = [torch.tensor(_np(p), requires_grad=True) for p in tp]
    eo2 = getattr(ember.optim, name)([{"params": ep2[:1], "lr": 0.05},
                                      {"params": ep2[1:]}], **kwargs)
    to2 = getattr(torch.optim, name)([{"params": tp2[:1], "lr": 0.05},
                                      {"params": tp2[1:]}], **kwargs)
    tsd = to.state_dict()
    eo2.load_state_dict({"state": {k: {n: ember.tensor(_np(v)) for n, v in s.items()}
                                   for k, s in tsd["state"].items()},
                         "param_groups": tsd["param_groups"]})
    esd = eo.state_dict()
    to2.load_state_dict({"state": {k: {n: torch.tensor(_np(v)) for n, v in s.items()}
                                   for k, s in esd["state"].items()},
                         "param_groups": esd["param_groups"]})
    assert eo2.param_groups[0]["lr"] == 0.05 and eo2.param_groups[1]["lr"] == 0.02
    for _ in range(5):
        _feed(rng, init, ep2, tp2, "float32")
        eo2.step()
        to2.step()
        for a, b in zip(ep2, tp2):
            np.testing.assert_allclose(_np(a), _np(b), rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("name,kwargs", [
    ("Adafactor", dict(lr=-1.0)), ("Adafactor", dict(beta2_decay=0.5)),
    ("Adafactor", dict(eps=(-1.0, 1e-3))), ("Adafactor", dict(eps=(None, -1.0))),
    ("Adafactor", dict(d=0.5)), ("Adafactor", dict(weight_decay=-0.1)),
    ("Muon", dict(lr=-1.0)), ("Muon", dict(momentum=-0.5)), ("Muon", dict(weight_decay=-1)),
    ("Muon", dict(adjust_lr_fn="bogus")),
    ("SparseAdam", dict(lr=0.0)), ("SparseAdam", dict(eps=0.0)),
    ("SparseAdam", dict(betas=(1.0, 0.9))), ("SparseAdam", dict(betas=(0.9, -0.1))),
])
def test_optimizer_argument_errors(name, kwargs):
    with pytest.raises(ValueError) as te:
        getattr(torch.optim, name)([torch.zeros(2, 2, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError) as ee:
        getattr(ember.optim, name)([ember.zeros(2, 2, requires_grad=True)], **kwargs)
    assert str(ee.value) == str(te.value)


def test_muon_refuses_non_matrix_and_sparse_adam_dense_grads():
    msgs = []
    for mod in (torch, ember):
        with pytest.raises(ValueError) as e:
            mod.optim.Muon([mod.zeros(3, requires_grad=True)])
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]
    msgs = []
    for mod in (torch, ember):
        p = mod.zeros(3, requires_grad=True)
        opt = mod.optim.SparseAdam([p])
        p.grad = mod.ones(3)
        with pytest.raises(RuntimeError) as e:
            opt.step()
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]


def test_adafactor_tensor_lr_and_complex_error():
    for mod in (torch, ember):
        with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
            mod.optim.Adafactor([mod.zeros(2, requires_grad=True)], lr=mod.tensor([0.1, 0.2]))
    rng, init, ep, tp, _, _ = _run_both("Adafactor", {}, [(3, 4)], "float32")
    eo = ember.optim.Adafactor(ep, lr=ember.tensor(0.05))
    to = torch.optim.Adafactor(tp, lr=torch.tensor(0.05))
    for _ in range(3):
        _feed(rng, init, ep, tp, "float32")
        eo.step()
        to.step()
    _close(ep[0], tp[0], 2e-5, 2e-6)


# ------------------------------------------------------------------ compiler / dynamo
def test_compiler_eager_api():
    def f(x):
        return x * 2

    for mod in (torch, ember):
        c = mod.compiler
        assert c.is_compiling() is False and c.is_dynamo_compiling() is False
        assert c.is_exporting() is False
        assert c.reset() is None and c.cudagraph_mark_step_begin() is None
        assert c.allow_in_graph(f) is f and c.assume_constant_result(f) is f
        assert c.disable(f)(mod.ones(2)).tolist() == [2.0, 2.0]
        assert c.disable(recursive=False)(f)(mod.ones(1)).tolist() == [2.0]
        assert c.list_backends() == torch.compiler.list_backends()
        with c.set_stance("force_eager"):
            assert f(mod.ones(1)).tolist() == [2.0]
    with pytest.raises(RuntimeError):
        ember.compiler.set_stance("no-such-stance")
    assert ember.compiler.config.recompile_limit == torch.compiler.config.recompile_limit
    wrapped = ember.compiler.wrap_numpy(lambda a: np.sin(a))
    out = wrapped(ember.tensor([0.5]))
    assert isinstance(out, ember.Tensor)
    np.testing.assert_allclose(out.cpu().numpy(), np.sin([0.5]), rtol=1e-6)


def test_compile_decorator_forms_return_the_callable():
    def f(x):
        return x + 1

    assert ember.compile(f) is f
    assert ember.compile(mode="max-autotune", fullgraph=True)(f) is f
    model = ember.nn.Linear(2, 2)
    assert ember.compile(model)._orig_mod is model

    @ember.compile
    def g(x):
        return x - 1

    @ember.compile(backend="eager")
    def h(x):
        return x * 3

    assert g(ember.ones(1)).item() == 0.0 and h(ember.ones(1)).item() == 3.0


def test_dynamo_config_and_helpers():
    import ember._dynamo as ed

    cfg = ember._dynamo.config
    for name in ("suppress_errors", "verbose", "cache_size_limit", "recompile_limit",
                 "automatic_dynamic_shapes", "capture_scalar_outputs", "optimize_ddp"):
        assert getattr(cfg, name) == getattr(torch._dynamo.config, name), name
    old = cfg.suppress_errors
    cfg.suppress_errors = True
    assert cfg.suppress_errors is True
    cfg.suppress_errors = old
    with cfg.patch(verbose=True):
        assert cfg.verbose is True
    assert cfg.verbose is False

    @cfg.patch("cache_size_limit", 64)
    def read():
        return cfg.cache_size_limit

    assert read() == 64 and cfg.cache_size_limit == 8
    with pytest.raises(AttributeError, match="torch._dynamo.config.no_such_option"):
        cfg.no_such_option
    assert ed.is_compiling() is False and ed.reset() is None
    f = ed.disable(len)
    assert f([1, 2]) == 2 and ed.optimize("inductor")(len) is len
    x, tx = ember.zeros(3, 4), torch.zeros(3, 4)
    ed.mark_dynamic(x, 0)
    torch._dynamo.mark_dynamic(tx, 0)
    assert x._dynamo_dynamic_indices == tx._dynamo_dynamic_indices
    assert ed.graph_break() is None


# ------------------------------------------------------------------ hub / overrides / flags
def test_hub_never_downloads_and_dirs(tmp_path, monkeypatch):
    from ember import hub

    for fn, args in ((hub.load, ("pytorch/vision", "resnet18")),
                     (hub.load_state_dict_from_url, ("https://example.com/w.pth",)),
                     (hub.download_url_to_file, ("https://example.com/w", str(tmp_path / "w"))),
                     (hub.list, ("pytorch/vision",))):
        with pytest.raises(RuntimeError, match="never downloads"):
            fn(*args)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    assert hub.get_dir() == torch.hub.get_dir() == os.path.join(str(tmp_path), "hub")
    hub.set_dir(str(tmp_path / "h"))
    try:
        assert ember.hub.get_dir() == str(tmp_path / "h")
    finally:
        hub._HUB_DIR[0] = None


def test_overrides_protocol():
    import torch.overrides as to

    import ember.overrides as eo

    class Duck:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return ("handled", func.__name__, types)

    class Sub(Duck):
        pass

    def api(a, b=None):
        if eo.has_torch_function((a, b)):
            return eo.handle_torch_function(api, (a, b), a, b)
        return "plain"

    x = ember.zeros(2)
    assert eo.has_torch_function((x,)) is to.has_torch_function((torch.zeros(2),)) is False
    assert eo.has_torch_function_unary(Duck()) and eo.has_torch_function_variadic(1, Duck())
    assert eo.is_tensor_like(x) and eo.is_tensor_like(Duck()) and not eo.is_tensor_like(1.0)
    assert api(x) == "plain"
    assert api(Duck(), Sub()) == ("handled", "api", (Sub, Duck))

    class Never:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    def tapi(a):
        return to.handle_torch_function(tapi, (a,), a)

    def eapi(a):
        return eo.handle_torch_function(eapi, (a,), a)

    with pytest.raises(TypeError) as te:
        tapi(Never())
    with pytest.raises(TypeError) as ee:
        eapi(Never())
    assert str(ee.value).split("__torch_function__")[0] == str(te.value).split(
        "__torch_function__")[0].replace("tapi", "eapi")
    assert ember.zeros in eo.get_ignored_functions()
    assert torch.zeros in to.get_ignored_functions()


def test_exceptions_and_switches():
    assert issubclass(ember.OutOfMemoryError, RuntimeError)
    assert issubclass(ember.AcceleratorError, RuntimeError)
    assert ember.cuda.OutOfMemoryError is ember.OutOfMemoryError
    assert repr(ember.OutOfMemoryError) == repr(torch.OutOfMemoryError)
    for mod in (torch, ember):
        before = (mod.is_anomaly_enabled(), mod.is_anomaly_check_nan_enabled())
        try:
            mod.set_anomaly_enabled(True, False)
            assert (mod.is_anomaly_enabled(), mod.is_anomaly_check_nan_enabled()) == (True,
                                                                                      False)
            mod.set_anomaly_enabled(False)
            assert (mod.is_anomaly_enabled(), mod.is_anomaly_check_nan_enabled()) == (False,
                                                                                      True)
        finally:
            mod.set_anomaly_enabled(*before)
        assert mod.is_warn_always_enabled() is False
        mod.set_warn_always(True)
        assert mod.is_warn_always_enabled() is True
        mod.set_warn_always(False)
        assert mod.set_flush_denormal(False) is True
        assert mod.is_distributed(mod.zeros(2)) is False
    with ember.autograd.detect_anomaly():
        assert ember.is_anomaly_enabled()


@pytest.mark.parametrize("name", ["lstsq", "solve", "symeig", "eig", "matrix_rank"])
def test_removed_linalg_functions_raise_torchs_message(name):
    args = {"lstsq": 2, "solve": 2}.get(name, 1)
    with pytest.raises(RuntimeError) as te:
        getattr(torch, name)(*[torch.eye(2)] * args)
    with pytest.raises(RuntimeError) as ee:
        getattr(ember, name)(*[ember.eye(2)] * args)
    assert str(ee.value) == str(te.value)
    if name != "matrix_rank":
        with pytest.raises(RuntimeError) as ee:
            getattr(ember.eye(2), name)(*[ember.eye(2)] * (args - 1))
        assert str(ee.value) == str(te.value)


# ------------------------------------------------------------------ *_copy functions
COPY_CASES = [
    ("expand_copy", ((2, 3, 4),), {}), ("permute_copy", ((1, 0),), {}), ("t_copy", (), {}),
    ("transpose_copy", (0, 1), {}), ("squeeze_copy", (), {}), ("unsqueeze_copy", (1,), {}),
    ("diagonal_copy", (), dict(offset=1)), ("narrow_copy", (1, 1, 2), {}),
    ("select_copy", (0, 2), {}), ("slice_copy", (1, 0, 3, 2), {}), ("alias_copy", (), {}),
    ("unfold_copy", (1, 2, 1), {}), ("as_strided_copy", ((2, 2), (1, 2), 1), {}),
    ("view_copy", ((4, 3),), {}), ("split_copy", (2,), {}),
    ("split_with_sizes_copy", ([1, 3], 1), {}), ("unbind_copy", (1,), {}),
    ("unsafe_split", (2,), {}), ("unsafe_chunk", (2, 1), {}),
    ("unsafe_split_with_sizes", ([2, 1],), {}),
]


@pytest.mark.parametrize("name,args,kwargs", COPY_CASES, ids=[c[0] for c in COPY_CASES])
def test_copy_functions_values_grads_and_fresh_memory(name, args, kwargs):
    arr = np.random.default_rng(0).standard_normal((3, 4))
    ex, tx = _pair(arr, requires_grad=True)
    eo = getattr(ember, name)(ex, *args, **kwargs)
    to = getattr(torch, name)(tx, *args, **kwargs)
    eo = eo if isinstance(eo, tuple) else (eo,)
    to = to if isinstance(to, tuple) else (to,)
    assert len(eo) == len(to)
    rng = np.random.default_rng(1)
    for a, b in zip(eo, to):
        assert tuple(a.shape) == tuple(b.shape) and a.dtype == ember.float64
        _close(a, b)
        if name.endswith("_copy"):
            assert a.is_contiguous()
    gs = [rng.standard_normal(tuple(b.shape)) for b in to]
    ember.autograd.backward(list(eo), [ember.tensor(g) for g in gs])
    torch.autograd.backward(list(to), [torch.tensor(g) for g in gs])
    _close(ex.grad, tx.grad)
    if name.endswith("_copy") and name != "alias_copy":
        with ember.no_grad():
            eo[0].zero_()
        assert np.array_equal(_np(ex), arr)


def test_detach_and_squeeze_copy_forms():
    x = ember.zeros(1, 2, 1, requires_grad=True)
    t = torch.zeros(1, 2, 1)
    assert not ember.detach_copy(x).requires_grad
    for dim in (None, 0, (0, 2)):
        e = ember.squeeze_copy(x) if dim is None else ember.squeeze_copy(x, dim)
        r = torch.squeeze_copy(t) if dim is None else torch.squeeze_copy(t, dim)
        assert tuple(e.shape) == tuple(r.shape)


def test_tensor_method_gaps():
    arr = np.arange(12.0).reshape(3, 4)
    ex, tx = _pair(arr)
    _close(ex.narrow_copy(1, 1, 2), tx.narrow_copy(1, 1, 2))
    for a, b in zip(ex.unsafe_split(2), tx.unsafe_split(2)):
        _close(a, b)
    assert isinstance(ex.unsafe_chunk(2), tuple)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: TypedStorage is deprecated
        assert ex.storage_type().__name__ == tx.storage_type().__name__ == "DoubleStorage"
    assert ember.zeros(2, dtype=ember.int32).storage_type() is ember.IntStorage
    assert not ex.is_distributed()
    # resize: deprecated, same elements in a new shape
    with pytest.warns(UserWarning, match="non-inplace resize is deprecated"):
        r = ex.resize(4, 3)
    _close(r, tx.reshape(4, 3))
    with pytest.raises(RuntimeError) as te, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tx.resize(5)
    with pytest.raises(RuntimeError) as ee, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ex.resize(5)
    assert str(ee.value) == str(te.value)


def test_set_shares_memory():
    for mod in (torch, ember):
        a = mod.zeros(2)
        b = mod.arange(4.0).reshape(2, 2)[:, 1]
        assert a.set_(b) is a
        assert a.tolist() == [1.0, 3.0] and a.is_set_to(b)
        a[0] = 100.0
        assert b.tolist() == [100.0, 3.0]
        e = mod.ones(3)
        e.set_()
        assert tuple(e.shape) == (0,)
    msgs = []
    for mod in (torch, ember):
        with pytest.raises(RuntimeError) as err:
            mod.zeros(2).set_(mod.ones(3, dtype=mod.float64))
        msgs.append(str(err.value))
        p = mod.zeros(2, requires_grad=True)
        with pytest.raises(RuntimeError) as err:
            p.set_(mod.ones(3))
        msgs.append(str(err.value))
        with mod.no_grad():
            p.set_(mod.ones(3))
        assert p.tolist() == [1.0, 1.0, 1.0] and p.requires_grad
    assert msgs[:2] == msgs[2:]


# ------------------------------------------------------------------ ATen-order nn functions
def test_pool_functions_with_indices():
    arr = np.random.default_rng(0).standard_normal((2, 3, 9)).astype("float32")
    ex, tx = _pair(arr, requires_grad=True)
    for ef, tf in ((ember.adaptive_max_pool1d(ex, 4), torch.adaptive_max_pool1d(tx, 4)),
                   (ember.max_pool1d_with_indices(ex, 3), torch.max_pool1d_with_indices(tx, 3)),
                   (ember.max_pool1d_with_indices(ex, 3, 2, 1, 1, True),
                    torch.max_pool1d_with_indices(tx, 3, 2, 1, 1, True))):
        _close(ef[0], tf[0])
        assert ef[1].dtype == ember.int64 and _np(ef[1]).tolist() == _np(tf[1]).tolist()


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn_tanh", "rnn_relu"])
@pytest.mark.parametrize("bias", [True, False])
def test_top_level_rnn_cells(kind, bias):
    rng = np.random.default_rng(0)
    gates = {"lstm": 4, "gru": 3}.get(kind, 1)
    shapes = [(3, 5), (3, 4), (gates * 4, 5), (gates * 4, 4), (gates * 4,), (gates * 4,)]
    arrs = [rng.standard_normal(s) for s in shapes]
    if kind == "lstm":
        arrs.insert(2, rng.standard_normal((3, 4)))
    es = [ember.tensor(a, requires_grad=True) for a in arrs]
    ts = [torch.tensor(a, requires_grad=True) for a in arrs]

    def call(mod, t):
        if kind == "lstm":
            args = [t[0], (t[1], t[2])] + t[3:5] + (t[5:] if bias else [])
            return mod.lstm_cell(*args)
        args = t[:4] + (t[4:] if bias else [])
        return (getattr(mod, kind + "_cell")(*args),)

    eo, to = call(ember, es), call(torch, ts)
    for a, b in zip(eo, to):
        _close(a, b, 1e-10, 1e-12)
    sum(o.sum() * (i + 1) for i, o in enumerate(eo)).backward()
    sum(o.sum() * (i + 1) for i, o in enumerate(to)).backward()
    for a, b in zip(es, ts):
        if b.grad is not None:
            _close(a.grad, b.grad, 1e-10, 1e-12)


def test_native_norm_functions():
    rng = np.random.default_rng(0)
    arr = rng.standard_normal((4, 3, 5)).astype("float32")
    w, b = rng.standard_normal(5).astype("float32"), rng.standard_normal(5).astype("float32")
    eo = ember.native_layer_norm(ember.tensor(arr), [5], ember.tensor(w), ember.tensor(b), 1e-5)
    to = torch.native_layer_norm(torch.tensor(arr), [5], torch.tensor(w), torch.tensor(b), 1e-5)
    for a, c in zip(eo, to):
        assert tuple(a.shape) == tuple(c.shape)
        _close(a, c, 1e-4, 1e-5)
    for training in (True, False):
        erm, trm = ember.zeros(3), torch.zeros(3)
        erv, trv = ember.ones(3), torch.ones(3)
        eo = ember.native_batch_norm(ember.tensor(arr), None, None, erm, erv, training, 0.1,
                                     1e-5)
        to = torch.native_batch_norm(torch.tensor(arr), None, None, trm, trv, training, 0.1,
                                     1e-5)
        for a, c in zip(eo, to):
            assert tuple(a.shape) == tuple(c.shape)
            _close(a, c, 1e-4, 1e-5)
        _close(erm, trm)
        _close(erv, trv)


def test_native_dropout():
    x = ember.ones(2000, requires_grad=True)
    out, mask = ember.native_dropout(x, 0.25, True)
    assert mask.dtype == ember.bool and 0.65 < mask.float().mean().item() < 0.85
    np.testing.assert_allclose(_np(out), _np(mask) / 0.75, rtol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(_np(x.grad), _np(mask) / 0.75, rtol=1e-6)
    for mod in (torch, ember):
        o, m = mod.native_dropout(mod.ones(3), 0.5, False)
        assert o.tolist() == [1.0] * 3 and m.dtype == mod.bool and bool(m.all())
        o, m = mod.native_dropout(mod.ones(3), 1.0, True)
        assert o.tolist() == [0.0] * 3 and not bool(m.any())


def test_deprecated_norms():
    arr = np.random.default_rng(0).standard_normal((2, 3, 4))
    ex, tx = _pair(arr, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pairs = [(ember.frobenius_norm(ex, [1]), torch.frobenius_norm(tx, [1])),
                 (ember.frobenius_norm(ex, [1, 2], True), torch.frobenius_norm(tx, [1, 2], True)),
                 (ember.nuclear_norm(ex[0]), torch.nuclear_norm(tx[0])),
                 (ember.nuclear_norm(ex, [1, 2]), torch.nuclear_norm(tx, [1, 2])),
                 (ember.nuclear_norm(ex[1], True), torch.nuclear_norm(tx[1], True))]
    for d in (0, 1, 2, -1):
        pairs.append((ember.norm_except_dim(ex, 2, d), torch.norm_except_dim(tx, 2, d)))
    pairs.append((ember.norm_except_dim(ex, 3, 1), torch.norm_except_dim(tx, 3, 1)))
    for a, b in pairs:
        assert tuple(a.shape) == tuple(b.shape)
        _close(a, b, 1e-10, 1e-12)
    sum(a.sum() for a, _ in pairs).backward()
    sum(b.sum() for _, b in pairs).backward()
    _close(ex.grad, tx.grad, 1e-9, 1e-11)
    with pytest.warns(UserWarning, match="frobenius_norm is deprecated"):
        ember.frobenius_norm(ex, [1])
    for mod, x in ((torch, tx), (ember, ex)):
        with pytest.raises(RuntimeError, match="Expected at most 2 dimensions"), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mod.frobenius_norm(x, [0, 1, 2])


@pytest.mark.parametrize("mode", [0, 1, 2])
@pytest.mark.parametrize("padding_idx", [None, 4])
def test_embedding_bag_top_level(mode, padding_idx):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((10, 3)).astype("float32")
    idx = np.array([1, 2, 4, 5, 4, 3])
    offs = np.array([0, 3, 3])
    ew, tw = _pair(w, requires_grad=True)
    args = (ember.tensor(idx), ember.tensor(offs), False, mode, False, None, False, padding_idx)
    eo = ember.embedding_bag(ew, *args)
    to = torch.embedding_bag(tw, torch.tensor(idx), torch.tensor(offs), False, mode, False,
                             None, False, padding_idx)
    _close(eo[0], to[0])
    for a, b in zip(eo[1:], to[1:]):
        assert a.dtype == ember.int64 and _np(a).tolist() == _np(b).tolist()
    eo[0].sum().backward()
    to[0].sum().backward()
    _close(ew.grad, tw.grad)


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "min", "prod"])
@pytest.mark.parametrize("initial", [None, 0.5])
def test_segment_reduce(reduce, initial):
    rng = np.random.default_rng(0)
    arr = rng.standard_normal((7, 3))
    lengths = np.array([2, 0, 4, 1])
    ex, tx = _pair(arr, requires_grad=True)
    eo = ember.segment_reduce(ex, reduce, lengths=ember.tensor(lengths), initial=initial)
    to = torch.segment_reduce(tx, reduce, lengths=torch.tensor(lengths), initial=initial)
    _close(eo, to, 1e-10, 1e-12)
    mask = np.isfinite(_np(to))
    g = np.where(mask, rng.standard_normal(mask.shape), 0.0)
    eo.backward(ember.tensor(g))
    to.backward(torch.tensor(g))
    _close(ex.grad, tx.grad, 1e-10, 1e-12)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    eo2 = ember.segment_reduce(ex.detach(), reduce, offsets=ember.tensor(offsets),
                               initial=initial)
    _close(eo2, to, 1e-10, 1e-12)
    for mod, x, lens in ((torch, tx, torch.tensor(lengths)), (ember, ex, ember.tensor(lengths))):
        with pytest.raises(RuntimeError, match="Expected axis to be the last dimension"):
            mod.segment_reduce(x.detach().t(), reduce, lengths=lens, axis=1)


def test_rrelu_inplace():
    arr = np.array([-1.0, 2.0, -3.0])
    for fe, ft in ((ember.rrelu_, torch.rrelu_),
                   (ember.nn.functional.rrelu_, torch.nn.functional.rrelu_)):
        e, t = _pair(arr.copy())
        assert fe(e) is e and ft(t) is t
        _close(e, t)


# ------------------------------------------------------------------ nn modules
def _copy_module(tm, em):
    em.load_state_dict({k: ember.tensor(v.detach().cpu().numpy()) for k, v in tm.state_dict().items()})


@pytest.mark.parametrize("head_bias", [False, True])
def test_adaptive_log_softmax_with_loss(head_bias):
    torch.manual_seed(0)
    tm = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10], div_value=2.0, head_bias=head_bias)
    em = ember.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [4, 10], div_value=2.0, head_bias=head_bias)
    assert list(em.state_dict()) == list(tm.state_dict())
    assert [tuple(v.shape) for v in em.state_dict().values()] == [
        tuple(v.shape) for v in tm.state_dict().values()]
    _copy_module(tm, em)
    x = np.random.default_rng(0).standard_normal((6, 8)).astype("float32")
    target = np.array([0, 5, 12, 19, 3, 11])
    ex, tx = _pair(x, requires_grad=True)
    eo = em(ex, ember.tensor(target))
    to = tm(tx, torch.tensor(target))
    assert type(eo).__name__ == "_ASMoutput" and eo._fields == ("output", "loss")
    _close(eo.output, to.output)
    _close(eo.loss, to.loss)
    eo.loss.backward()
    to.loss.backward()
    _close(ex.grad, tx.grad)
    for p, q in zip(em.parameters(), tm.parameters()):
        _close(p.grad, q.grad)
    _close(em.log_prob(ex), tm.log_prob(tx))
    assert _np(em.predict(ex)).tolist() == _np(tm.predict(tx)).tolist()
    single = em(ex[0], ember.tensor(target[0]))
    assert tuple(single.output.shape) == tuple(tm(tx[0], torch.tensor(target[0])).output.shape)
    for mod, m, xx in ((torch, tm, tx), (ember, em, ex)):
        with pytest.raises(RuntimeError, match="Target values should be in"):
            m(xx, mod.tensor([0, 1, 2, 3, 4, 25]))
        with pytest.raises(ValueError, match="cutoffs should be a sequence"):
            mod.nn.AdaptiveLogSoftmaxWithLoss(8, 20, [10, 4])


def test_cross_map_lrn2d_forward_backward():
    arr = np.random.default_rng(0).standard_normal((2, 7, 3, 3)).astype("float32")
    g = np.random.default_rng(1).standard_normal(arr.shape).astype("float32")
    for size in (2, 3, 4, 5):
        ex, tx = _pair(arr, requires_grad=True)
        em, tm = ember.nn.CrossMapLRN2d(size, 1e-2, 0.75, 2), torch.nn.CrossMapLRN2d(size, 1e-2,
                                                                                     0.75, 2)
        eo, to = em(ex), tm(tx)
        _close(eo, to, 1e-5, 1e-6)
        eo.backward(ember.tensor(g))
        to.backward(torch.tensor(g))
        _close(ex.grad, tx.grad, 1e-5, 1e-6)
        assert repr(em) == repr(tm)
    for mod in (torch, ember):
        with pytest.raises(ValueError, match="Expected input to be 4D"):
            mod.nn.CrossMapLRN2d(3)(mod.zeros(2, 3, 4))


def test_lp_pool3d():
    arr = np.abs(np.random.default_rng(0).standard_normal((2, 2, 5, 6, 7))).astype("float32")
    for norm, k, s, ceil in ((2, 2, None, False), (3.0, (2, 3, 2), (1, 2, 2), True),
                             (1, 3, 2, False)):
        ex, tx = _pair(arr, requires_grad=True)
        eo = ember.nn.LPPool3d(norm, k, s, ceil)(ex)
        to = torch.nn.LPPool3d(norm, k, s, ceil)(tx)
        _close(eo, to, 1e-5, 1e-5)
        eo.sum().backward()
        to.sum().backward()
        _close(ex.grad, tx.grad, 1e-4, 1e-5)
    assert repr(ember.nn.LPPool3d(2, 3)) == repr(torch.nn.LPPool3d(2, 3))


@pytest.mark.parametrize("kernel,out", [(2, (4, 5, 3)), ((1, 2, 3), (6, 3, 2)), (3, (1, 1, 1))])
def test_fractional_max_pool3d_with_fixed_samples(kernel, out):
    rng = np.random.default_rng(0)
    arr = rng.standard_normal((2, 3, 7, 8, 9)).astype("float32")
    samples = rng.random((2, 3, 3)).astype("float32")
    ex, tx = _pair(arr, requires_grad=True)
    em = ember.nn.FractionalMaxPool3d(kernel, output_size=out, return_indices=True,
                                      _random_samples=ember.tensor(samples))
    tm = torch.nn.FractionalMaxPool3d(kernel, output_size=out, return_indices=True,
                                      _random_samples=torch.tensor(samples))
    (eo, ei), (to, ti) = em(ex), tm(tx)
    _close(eo, to)
    assert _np(ei).tolist() == _np(ti).tolist()
    g = rng.standard_normal(tuple(to.shape)).astype("float32")
    eo.backward(ember.tensor(g))
    to.backward(torch.tensor(g))
    _close(ex.grad, tx.grad)
    # unbatched input and output_ratio
    eo = ember.nn.functional.fractional_max_pool3d(ex[0], kernel, output_ratio=0.5,
                                                   _random_samples=ember.tensor(samples[:1]))
    to = torch.nn.functional.fractional_max_pool3d(tx[0], kernel, output_ratio=0.5,
                                                   _random_samples=torch.tensor(samples[:1]))
    _close(eo, to)
    # random samples: shape and values are maxima of the input
    r = ember.nn.FractionalMaxPool3d(2, output_ratio=(0.5, 0.5, 0.5))(ex)
    assert tuple(r.shape) == (2, 3, 3, 4, 4)


def test_fractional_max_pool3d_errors():
    for mod in (torch, ember):
        with pytest.raises(ValueError, match="requires specifying either"):
            mod.nn.FractionalMaxPool3d(2)
        with pytest.raises(ValueError, match="only one of output_size and output_ratio"):
            mod.nn.FractionalMaxPool3d(2, output_size=2, output_ratio=0.5)
        with pytest.raises(ValueError, match="output_ratio must be between 0 and 1"):
            mod.nn.FractionalMaxPool3d(2, output_ratio=1.5)
        with pytest.raises(RuntimeError, match="pool time 1 too large relative to input time 7"):
            mod.nn.functional.fractional_max_pool3d(mod.zeros(1, 1, 7, 8, 9), (1, 2, 3),
                                                    output_size=(7, 3, 2))


def test_nllloss2d_and_container():
    rng = np.random.default_rng(0)
    logp = np.log(rng.dirichlet(np.ones(4), size=(2, 3, 3)).transpose(0, 3, 1, 2))
    target = rng.integers(0, 4, (2, 3, 3))
    w = np.array([1.0, 2.0, 0.5, 1.0])
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
        em = ember.nn.NLLLoss2d(weight=ember.tensor(w), ignore_index=2)
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
        tm = torch.nn.NLLLoss2d(weight=torch.tensor(w), ignore_index=2)
    eo = em(ember.tensor(logp), ember.tensor(target))
    to = tm(torch.tensor(logp), torch.tensor(target))
    _close(eo, to, 1e-10, 1e-12)
    assert isinstance(em, ember.nn.NLLLoss)
    with pytest.warns(FutureWarning, match="`nn.Container` is deprecated"):
        ec = ember.nn.Container(a=ember.nn.Linear(2, 3), b=ember.nn.ReLU())
    with pytest.warns(FutureWarning, match="`nn.Container` is deprecated"):
        tc = torch.nn.Container(a=torch.nn.Linear(2, 3), b=torch.nn.ReLU())
    assert list(ec.state_dict()) == list(tc.state_dict())
    assert repr(ec) == repr(tc)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_nn_grad_conv_input_and_weight(n):
    rng = np.random.default_rng(n)
    spatial = (7, 6, 5)[:n]
    x = rng.standard_normal((2, 4) + spatial)
    w = rng.standard_normal((6, 2) + (3,) * n)
    kw = dict(stride=2, padding=1, dilation=1, groups=2)
    tconv = (torch.nn.functional.conv1d, torch.nn.functional.conv2d,
             torch.nn.functional.conv3d)[n - 1]
    out_shape = tconv(torch.tensor(x), torch.tensor(w), **kw).shape
    go = rng.standard_normal(tuple(out_shape))
    t_in = getattr(torch.nn.grad, f"conv{n}d_input")(x.shape, torch.tensor(w),
                                                     torch.tensor(go), **kw)
    e_in = getattr(ember.nn.grad, f"conv{n}d_input")(x.shape, ember.tensor(w),
                                                     ember.tensor(go), **kw)
    _close(e_in, t_in, 1e-10, 1e-12)
    t_w = getattr(torch.nn.grad, f"conv{n}d_weight")(torch.tensor(x), w.shape,
                                                     torch.tensor(go), **kw)
    e_w = getattr(ember.nn.grad, f"conv{n}d_weight")(ember.tensor(x), w.shape,
                                                     ember.tensor(go), **kw)
    _close(e_w, t_w, 1e-10, 1e-12)
    assert ember.nn.functional.grad is ember.nn.grad
