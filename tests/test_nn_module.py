"""nn.Module semantics against torch 2.13.0: registration and attribute routing, iteration
order, state dicts (keys, order, errors), repr, hooks, modes, conversion, containers and the
seed training loop. Each model is built by one function from either library's `nn`."""

import copy
from collections import OrderedDict

import numpy as np
import pytest
import torch

import ember


# ---------------------------------------------------------------- helpers
def to_ember(t):
    return ember.tensor(t.detach().cpu().numpy())


def to_np(t):
    return t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.detach().cpu().numpy())


def copy_weights(tmodel, emodel):
    sd = OrderedDict((k, to_ember(v)) for k, v in tmodel.state_dict().items())
    return emodel.load_state_dict(sd)


def build_block(m):
    nn = m.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 3)
            self.act = nn.GELU(approximate="tanh")
            self.register_buffer("running", m.zeros(3))
            self.register_buffer("scratch", m.ones(2), persistent=False)
            self.scale = nn.Parameter(m.ones(3))

        def forward(self, x):
            return self.act(self.fc(x)) * self.scale + self.running

        def extra_repr(self):
            return "custom=1\nsecond=line"

    return Block()


def build_model(m):
    nn = m.nn
    return nn.Sequential(OrderedDict([
        ("block", build_block(m)),
        ("relu", nn.ReLU(inplace=True)),
        ("heads", nn.ModuleList([nn.Linear(3, 3) for _ in range(3)] + [nn.Tanh()])),
        ("table", nn.ModuleDict({"b": nn.Linear(3, 2, bias=False), "a": nn.LeakyReLU(0.2)})),
        ("plist", nn.ParameterList([nn.Parameter(m.ones(2, 3)), nn.Parameter(m.zeros(4))])),
        ("pdict", nn.ParameterDict({"z": nn.Parameter(m.ones(1)), "y": nn.Parameter(m.ones(2))})),
        ("flat", nn.Flatten(0)),
    ]))


def run_model(model, x):
    h = model.block(x)
    h = model.relu(h)
    for layer in model.heads:
        h = layer(h)
    h = model.table["a"](model.table["b"](h))
    return h.sum() + model.plist[0].sum() + model.pdict["y"].sum()


@pytest.fixture
def pair():
    torch.manual_seed(0)
    t = build_model(torch)
    e = build_model(ember)
    copy_weights(t, e)
    return t, e


# ---------------------------------------------------------------- registration and iteration
def test_state_dict_keys_order_and_values(pair):
    t, e = pair
    tsd = t.state_dict()
    esd = e.state_dict()
    assert isinstance(esd, OrderedDict)
    assert list(esd.keys()) == list(tsd.keys())
    for k in tsd:
        np.testing.assert_array_equal(to_np(esd[k]), to_np(tsd[k]))
        assert not esd[k].requires_grad
    assert "block.scratch" not in esd
    assert list(esd._metadata.keys()) == list(tsd._metadata.keys())


def test_state_dict_keep_vars_and_prefix(pair):
    t, e = pair
    esd = e.state_dict(keep_vars=True, prefix="model.")
    tsd = t.state_dict(keep_vars=True, prefix="model.")
    assert list(esd) == list(tsd)
    assert esd["model.block.fc.weight"] is e.block.fc.weight


def test_named_parameters_buffers_modules_children_order(pair):
    t, e = pair
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in e.named_buffers()] == [n for n, _ in t.named_buffers()]
    assert [n for n, _ in e.named_modules()] == [n for n, _ in t.named_modules()]
    assert [n for n, _ in e.named_children()] == [n for n, _ in t.named_children()]
    assert [n for n, _ in e.named_parameters(prefix="p", recurse=False)] == []
    assert [n for n, _ in e.block.named_parameters(prefix="p", recurse=False)] == [
        n for n, _ in t.block.named_parameters(prefix="p", recurse=False)]
    assert len(list(e.parameters())) == len(list(t.parameters()))
    assert len(list(e.modules())) == len(list(t.modules()))


def test_shared_modules_and_parameters_deduplicated():
    def build(m):
        lin = m.nn.Linear(2, 2)
        seq = m.nn.Sequential(lin, m.nn.ReLU(), lin)
        seq.extra = m.nn.Parameter(m.ones(1))
        seq.alias = seq.extra
        return seq

    t, e = build(torch), build(ember)
    for kw in ({}, {"remove_duplicate": False}):
        assert [n for n, _ in e.named_parameters(**kw)] == [n for n, _ in t.named_parameters(**kw)]
        assert [n for n, _ in e.named_modules(**kw)] == [n for n, _ in t.named_modules(**kw)]
    assert list(e.state_dict()) == list(t.state_dict())


def test_setattr_routing_and_delattr():
    def build(m):
        mod = m.nn.Module()
        mod.w = m.nn.Parameter(m.ones(2))
        mod.sub = m.nn.Linear(1, 1)
        mod.register_buffer("buf", m.zeros(1))
        mod.buf = m.ones(3)  # a tensor assigned to a buffer name stays a buffer
        mod.plain = 3
        return mod

    for m in (torch, ember):
        mod = build(m)
        assert list(mod._parameters) == ["w"]
        assert list(mod._modules) == ["sub"]
        assert list(mod._buffers) == ["buf"] and tuple(mod.buf.shape) == (3,)
        assert mod.plain == 3 and "plain" in mod.__dict__
        mod.w = None
        assert mod._parameters["w"] is None
        del mod.sub
        assert "sub" not in mod._modules
        del mod.buf
        assert "buf" not in mod._buffers
        mod.sub = m.nn.Linear(1, 1)
        mod.sub = None
        assert mod._modules["sub"] is None
    for m in (torch, ember):
        mod = m.nn.Module()
        mod.x = m.nn.Linear(1, 1)
        mod.x = m.nn.Parameter(m.ones(1))  # a parameter replaces a module of the same name
        assert "x" in mod._parameters and "x" not in mod._modules


def test_buffer_class_registers_a_buffer():
    for m in (torch, ember):
        mod = m.nn.Module()
        mod.b = m.nn.Buffer(m.ones(2), persistent=False)
        assert "b" in mod._buffers
        assert list(mod.state_dict()) == []


def _error(fn):
    try:
        fn()
    except Exception as ex:
        return type(ex), str(ex)
    return None, None


@pytest.mark.parametrize("case", [
    lambda m, mod: setattr(mod, "weight", m.zeros(3, 2)),
    lambda m, mod: mod.register_buffer("weight", m.zeros(1)),
    lambda m, mod: mod.register_buffer("a.b", m.zeros(1)),
    lambda m, mod: mod.register_buffer("", m.zeros(1)),
    lambda m, mod: mod.register_buffer("q", 3),
    lambda m, mod: mod.register_parameter("w", m.zeros(1)),
    lambda m, mod: mod.register_parameter("a.b", None),
    lambda m, mod: mod.register_parameter("w", m.nn.Parameter(m.ones(1)) * 2),
    lambda m, mod: mod.add_module("x", 3),
    lambda m, mod: mod.add_module("a.b", m.nn.ReLU()),
    lambda m, mod: mod.add_module("weight", m.nn.ReLU()),
    lambda m, mod: mod.foo,
    lambda m, mod: mod.get_submodule("a.b"),
    lambda m, mod: mod.get_parameter("foo"),
    lambda m, mod: mod.get_parameter("in_features"),
    lambda m, mod: mod.to(m.int64),
    lambda m, mod: mod.train("yes"),
    lambda m, mod: m.nn.Sequential(m.nn.ReLU())[3],
    lambda m, mod: m.nn.ModuleList([m.nn.ReLU()])[-2],
    lambda m, mod: m.nn.ModuleList().extend(3),
    lambda m, mod: m.nn.ParameterList()(1),
    lambda m, mod: m.nn.Module()(1),
])
def test_error_types_and_messages(case):
    et, em = _error(lambda: case(ember, ember.nn.Linear(2, 3)))
    tt, tm = _error(lambda: case(torch, torch.nn.Linear(2, 3)))
    assert tt is not None
    assert et is tt
    assert em == tm


def test_assign_before_init_raises():
    for m in (torch, ember):
        class Bad(m.nn.Module):
            def __init__(self):
                self.w = m.nn.Parameter(m.ones(1))
                super().__init__()

        with pytest.raises(AttributeError, match=r"cannot assign parameters before Module\."):
            Bad()


def test_dir_lists_members_without_digit_keys(pair):
    t, e = pair
    d = dir(e.block)
    assert {"fc", "act", "running", "scratch", "scale", "forward", "training"} <= set(d)
    assert "0" not in dir(ember.nn.Sequential(ember.nn.ReLU()))


def test_get_submodule_parameter_buffer(pair):
    t, e = pair
    assert e.get_submodule("heads.1") is e.heads[1]
    assert e.get_parameter("block.fc.bias") is e.block.fc.bias
    assert e.get_buffer("block.running") is e.block.running
    assert e.get_submodule("") is e


# ---------------------------------------------------------------- load_state_dict
def test_load_state_dict_roundtrip_outputs_match(pair):
    t, e = pair
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    np.testing.assert_allclose(to_np(run_model(e, ember.tensor(x))),
                               to_np(run_model(t, torch.tensor(x))), rtol=1e-5, atol=1e-5)
    assert repr(copy_weights(t, e)) == "<All keys matched successfully>"


@pytest.mark.parametrize("mutate", [
    lambda m, sd: sd.pop("bias"),
    lambda m, sd: sd.__setitem__("extra", m.zeros(1)),
    lambda m, sd: sd.__setitem__("weight", m.zeros(2, 2)),
    lambda m, sd: (sd.pop("bias"), sd.__setitem__("x.y", m.zeros(1)),
                   sd.__setitem__("weight", m.zeros(5))),
    lambda m, sd: sd.__setitem__("bias", 3.0),
])
def test_load_state_dict_strict_errors(mutate):
    results = []
    for m in (torch, ember):
        mod = m.nn.Linear(2, 3)
        sd = OrderedDict((k, v.clone()) for k, v in mod.state_dict().items())
        mutate(m, sd)
        strict = _error(lambda: mod.load_state_dict(sd))
        loose = _error(lambda: mod.load_state_dict(sd, strict=False))
        keys = None
        if loose[0] is None:
            res = mod.load_state_dict(sd, strict=False)
            keys = (res.missing_keys, res.unexpected_keys)
        results.append((strict, loose, keys))
    assert results[1] == results[0]
    assert results[0][0][0] is RuntimeError


def test_load_state_dict_nested_missing_and_unexpected(pair):
    t, e = pair
    tsd = t.state_dict()
    tsd.pop("heads.1.bias")
    tsd["heads.9.weight"] = torch.zeros(1)
    tsd["block.extra"] = torch.zeros(1)
    esd = OrderedDict((k, to_ember(v)) for k, v in tsd.items())
    tres = t.load_state_dict(tsd, strict=False)
    eres = e.load_state_dict(esd, strict=False)
    assert eres.missing_keys == tres.missing_keys
    assert eres.unexpected_keys == tres.unexpected_keys
    with pytest.raises(RuntimeError) as ei:
        e.load_state_dict(esd)
    with pytest.raises(RuntimeError) as ti:
        t.load_state_dict(tsd)
    assert str(ei.value) == str(ti.value)


def test_load_state_dict_copies_in_place_and_casts():
    e = ember.nn.Linear(2, 3)
    w = e.weight
    sd = {"weight": ember.tensor(np.ones((3, 2))), "bias": ember.tensor(np.zeros(3))}
    e.load_state_dict(sd)
    assert e.weight is w and e.weight.dtype == ember.float32
    np.testing.assert_array_equal(e.weight.detach().cpu().numpy(), np.ones((3, 2), np.float32))
    e.load_state_dict({"weight": ember.ones(3, 2) * 2, "bias": ember.zeros(3)}, assign=True)
    assert e.weight is not w and isinstance(e.weight, ember.nn.Parameter)
    assert e.weight.requires_grad


# ---------------------------------------------------------------- repr
def test_repr_matches_torch(pair):
    t, e = pair
    assert repr(e) == repr(t)


@pytest.mark.parametrize("build", [
    lambda m: m.nn.Sequential(),
    lambda m: m.nn.ModuleList(),
    lambda m: m.nn.ModuleList([m.nn.ReLU(), m.nn.ReLU(), m.nn.Sigmoid(), m.nn.ReLU()]),
    lambda m: m.nn.Sequential(m.nn.Linear(2, 2), m.nn.Sequential(m.nn.ReLU6(), m.nn.ELU(0.5))),
    lambda m: m.nn.ParameterList([m.nn.Parameter(m.ones(2, 3)),
                                  m.nn.Parameter(m.ones(3, dtype=m.float64))]),
    lambda m: m.nn.ParameterDict({"b": m.nn.Parameter(m.ones(2)), "a": m.ones(1, 2)}),
    lambda m: m.nn.Bilinear(2, 3, 4, bias=False),
    lambda m: m.nn.Unflatten(1, (2, 3)),
])
def test_repr_of_containers_and_layers(build):
    assert repr(build(ember)) == repr(build(torch))


def test_parameter_repr_and_sharing():
    t = ember.tensor([1.0, 2.0])
    p = ember.nn.Parameter(t)
    assert isinstance(p, ember.Tensor) and isinstance(p, ember.nn.Parameter)
    assert p.requires_grad and p.is_leaf
    assert repr(p).startswith("Parameter containing:\ntensor([1., 2.], requires_grad=True)")
    assert repr(p) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    p.data[0] = 5.0
    assert t[0].item() == 5.0  # shares memory
    assert not ember.nn.Parameter(t, requires_grad=False).requires_grad
    assert type(p * 2) is ember.Tensor
    assert ember.nn.Parameter().shape == (0,)
    q = copy.deepcopy(p)
    assert type(q) is ember.nn.Parameter and q.requires_grad and q is not p
    with pytest.raises(RuntimeError) as ei:
        ember.nn.Parameter(ember.tensor([1, 2]))
    with pytest.raises(RuntimeError) as ti:
        torch.nn.Parameter(torch.tensor([1, 2]))
    assert str(ei.value) == str(ti.value)


# ---------------------------------------------------------------- modes, grads, conversion
def test_train_eval_propagate(pair):
    t, e = pair
    e.eval()
    assert all(not mod.training for mod in e.modules())
    e.train()
    assert all(mod.training for mod in e.modules())
    assert e.heads.train(False) is e.heads and not e.heads[0].training and e.training


def test_zero_grad_and_requires_grad(pair):
    t, e = pair
    run_model(e, ember.ones(2, 4)).backward()
    assert all(p.grad is not None for n, p in e.named_parameters() if not n.startswith("p"))
    g = e.block.fc.weight.grad
    e.zero_grad(set_to_none=False)
    assert e.block.fc.weight.grad is g and not g.cpu().numpy().any()
    e.zero_grad()
    assert all(p.grad is None for p in e.parameters())
    e.requires_grad_(False)
    assert not any(p.requires_grad for p in e.parameters())


def test_to_double_keeps_parameter_identity(pair):
    t, e = pair
    run_model(e, ember.ones(2, 4)).backward()
    w = e.block.fc.weight
    ids = [id(p) for p in e.parameters()]
    assert e.to(ember.float64) is e
    assert [id(p) for p in e.parameters()] == ids
    assert all(p.dtype == ember.float64 for p in e.parameters())
    assert w.grad.dtype == ember.float64
    assert e.block.running.dtype == ember.float64
    t.double()
    x = np.random.default_rng(1).standard_normal((3, 4))
    np.testing.assert_allclose(to_np(run_model(e, ember.tensor(x))),
                               to_np(run_model(t, torch.tensor(x))), rtol=1e-12)
    e.float()
    assert w.dtype == ember.float32
    e.to(dtype=ember.float64, device="cpu")
    assert w.dtype == ember.float64
    e.half()
    assert w.dtype == ember.float16
    e.type(ember.float32)
    assert w.dtype == ember.float32
    assert e.cpu() is e


def test_to_leaves_integer_buffers():
    for m in (torch, ember):
        mod = m.nn.Module()
        mod.register_buffer("count", m.tensor(3))
        mod.register_buffer("f", m.ones(1))
        mod.to(m.float64)
        assert mod.count.dtype == m.int64 and mod.f.dtype == m.float64


def test_apply_visits_children_first(pair):
    t, e = pair
    names = []
    e.apply(lambda mod: names.append(type(mod).__name__))
    tnames = []
    t.apply(lambda mod: tnames.append(type(mod).__name__))
    assert names == tnames


def test_deepcopy_model(pair):
    t, e = pair
    c = copy.deepcopy(e)
    assert c.block.fc.weight is not e.block.fc.weight
    np.testing.assert_array_equal(c.block.fc.weight.detach().cpu().numpy(),
                                  e.block.fc.weight.detach().cpu().numpy())
    assert isinstance(c.block.fc.weight, ember.nn.Parameter)
    assert list(c.state_dict()) == list(e.state_dict())


# ---------------------------------------------------------------- hooks
def test_forward_hooks_match_torch():
    results = []
    for m in (torch, ember):
        lin = m.nn.Linear(3, 2)
        copy_src = results[0][2] if results else None
        if copy_src is not None:
            copy_weights(copy_src, lin)
        log = []
        h1 = lin.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
        h2 = lin.register_forward_hook(lambda mod, args, out: out + 1)
        lin.register_forward_pre_hook(lambda mod, args: log.append("first"), prepend=True)
        lin.register_forward_hook(
            lambda mod, args, kwargs, out: log.append(("kw", sorted(kwargs))), with_kwargs=True)
        x = m.ones(1, 3)
        out1 = lin(x)
        h1.remove()
        h2.remove()
        out2 = lin(x)
        results.append((to_np(out1), to_np(out2), lin, log))
    (e1, e2, _, elog), (t1, t2, _, tlog) = results[1], results[0]
    np.testing.assert_allclose(e1, t1, rtol=1e-6)
    np.testing.assert_allclose(e2, t2, rtol=1e-6)
    assert elog == tlog


def test_forward_pre_hook_with_kwargs_and_always_call():
    for m in (torch, ember):
        class Scale(m.nn.Module):
            def forward(self, x, scale=1.0):
                if scale < 0:
                    raise ValueError("negative")
                return x * scale

        mod = Scale()
        mod.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"scale": 3.0}),
                                      with_kwargs=True)
        assert to_np(mod(m.ones(1))).tolist() == [3.0]
        seen = []
        mod2 = Scale()
        mod2.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
        with pytest.raises(ValueError):
            mod2(m.ones(1), scale=-1.0)
        assert seen == [None]


def test_full_backward_hooks_match_torch():
    records = {}
    for m in (torch, ember):
        torch.manual_seed(0)
        lin = m.nn.Linear(3, 2)
        if m is ember:
            copy_weights(records["tlin"], lin)
        else:
            records["tlin"] = lin
        seen = []

        def hook(mod, gin, gout, seen=seen):
            seen.append(("full", [None if g is None else to_np(g).copy() for g in gin],
                         [to_np(g).copy() for g in gout]))
            return (gin[0] * 3,)

        def pre(mod, gout, seen=seen):
            seen.append(("pre", [to_np(g).copy() for g in gout]))

        lin.register_full_backward_hook(hook)
        lin.register_full_backward_pre_hook(pre)
        x = m.tensor(np.arange(6.0).reshape(2, 3).astype(np.float32), requires_grad=True)
        out = lin(x)
        (out * m.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
        records[m.__name__] = (seen, to_np(x.grad), to_np(lin.weight.grad))
    eseen, exg, ewg = records["ember"]
    tseen, txg, twg = records["torch"]
    assert [s[0] for s in eseen] == [s[0] for s in tseen] == ["pre", "full"]
    for es, ts in zip(eseen, tseen):
        for ea, ta in zip(es[1:], ts[1:]):
            for a, b in zip(ea, ta):
                np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(exg, txg, rtol=1e-6)
    np.testing.assert_allclose(ewg, twg, rtol=1e-6)


def test_full_backward_hook_input_without_grad():
    for m in (torch, ember):
        lin = m.nn.Linear(2, 2)
        seen = []
        lin.register_full_backward_hook(lambda mod, gin, gout: seen.append(gin))
        lin(m.ones(1, 2)).sum().backward()
        assert len(seen) == 1 and seen[0] == (None,)


def test_global_forward_hook():
    from ember.nn.modules.module import register_module_forward_hook

    seen = []
    h = register_module_forward_hook(lambda mod, args, out: seen.append(type(mod).__name__))
    try:
        ember.nn.Sequential(ember.nn.ReLU())(ember.ones(1))
    finally:
        h.remove()
    ember.nn.ReLU()(ember.ones(1))
    assert seen == ["ReLU", "Sequential"]


# ---------------------------------------------------------------- containers
def test_sequential_operations():
    for m in (torch, ember):
        nn = m.nn
        a, b, c = nn.ReLU(), nn.Tanh(), nn.Sigmoid()
        s = nn.Sequential(a, b)
        assert len(s) == 2 and s[0] is a and s[-1] is b
        assert isinstance(s[0:1], nn.Sequential) and list(s[0:1]) == [a]
        s.append(c)
        s.insert(0, nn.Identity())
        assert [type(x).__name__ for x in s] == ["Identity", "ReLU", "Tanh", "Sigmoid"]
        del s[1]
        assert list(s._modules) == ["0", "1", "2"]
        s.extend(nn.Sequential(nn.ReLU()))
        assert len(s) == 4
        s[0] = nn.Softsign()
        assert type(s[0]).__name__ == "Softsign"
        assert len(s + s) == 8 and len(s * 2) == 8
        assert s.pop(0).__class__.__name__ == "Softsign"
        od = nn.Sequential(OrderedDict([("x", nn.ReLU()), ("y", nn.Tanh())]))
        assert list(od._modules) == ["x", "y"] and od.x is od[0]


def test_sequential_forward_matches_torch():
    torch.manual_seed(0)
    t = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    e = ember.nn.Sequential(ember.nn.Linear(4, 8), ember.nn.ReLU(), ember.nn.Linear(8, 2))
    copy_weights(t, e)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    np.testing.assert_allclose(to_np(e(ember.tensor(x))), to_np(t(torch.tensor(x))), rtol=1e-5,
                               atol=1e-6)


def test_module_list_and_dict():
    for m in (torch, ember):
        nn = m.nn
        ml = nn.ModuleList([nn.ReLU(), nn.Tanh()])
        ml.append(nn.Sigmoid())
        ml.insert(1, nn.Identity())
        ml += [nn.ELU()]
        assert [type(x).__name__ for x in ml] == ["ReLU", "Identity", "Tanh", "Sigmoid", "ELU"]
        del ml[0:2]
        assert list(ml._modules) == ["0", "1", "2"]
        assert isinstance(ml[1:], nn.ModuleList) and len(ml[1:]) == 2
        assert len(ml + ml) == 6
        md = nn.ModuleDict({"b": nn.ReLU()})
        md.update([("a", nn.Tanh())])
        md["c"] = nn.Sigmoid()
        assert list(md.keys()) == ["b", "a", "c"] and "a" in md and len(md) == 3
        assert type(md.pop("a")).__name__ == "Tanh"
        assert [k for k, _ in md.items()] == ["b", "c"]
        md.clear()
        assert len(md) == 0


def test_parameter_list_and_dict():
    for m in (torch, ember):
        nn = m.nn
        pl = nn.ParameterList([m.ones(2), nn.Parameter(m.zeros(3))])
        assert all(isinstance(p, nn.Parameter) for p in pl)
        pl.append(m.ones(1))
        assert len(pl) == 3 and [n for n, _ in pl.named_parameters()] == ["0", "1", "2"]
        assert isinstance(pl[0:2], nn.ParameterList)
        pd = nn.ParameterDict({"b": m.ones(1), "a": m.ones(2)})
        assert list(pd.keys()) == ["a", "b"]  # a plain dict is added in sorted order
        pd["c"] = m.ones(3)
        assert isinstance(pd["c"], nn.Parameter) and "c" in pd
        assert [n for n, _ in pd.named_parameters()] == ["a", "b", "c"]
        assert pd.get("zz") is None and pd.pop("a").shape == (2,)
        with pytest.raises(TypeError, match="not a string"):
            pd[1] = m.ones(1)


# ---------------------------------------------------------------- training loop
def test_seed_training_loop_matches_torch():
    """Linear(3, 1), MSELoss, plain SGD written out: losses and weights agree every step."""
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((100, 3)).astype(np.float32)
    ys = (xs @ np.array([[1.5], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)
    torch.manual_seed(0)
    tm = torch.nn.Linear(3, 1)
    em = ember.nn.Linear(3, 1)
    copy_weights(tm, em)
    tc, ec = torch.nn.MSELoss(), ember.nn.MSELoss()
    tx, ty, ex, ey = torch.tensor(xs), torch.tensor(ys), ember.tensor(xs), ember.tensor(ys)
    for step in range(20):
        losses = []
        for m, model, crit, x, y in ((torch, tm, tc, tx, ty), (ember, em, ec, ex, ey)):
            model.zero_grad()
            loss = crit(model(x), y)
            loss.backward()
            with m.no_grad():
                for p in model.parameters():
                    p -= 0.01 * p.grad
            losses.append(loss.item())
        assert losses[1] == pytest.approx(losses[0], rel=1e-5)
    np.testing.assert_allclose(to_np(em.weight), to_np(tm.weight), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_np(em.bias), to_np(tm.bias), rtol=1e-5, atol=1e-6)
