"""scaled_dot_product_attention, MultiheadAttention and the Transformer modules vs torch 2.13.0.

Modules get torch's weights through state_dict; outputs, attention weights and the gradients
of inputs and of every parameter are compared (random upstream gradients). Dropout is 0 or
the module is in eval() mode so that both sides are deterministic.
"""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import ember
import ember.nn as nn
import ember.nn.functional as EF

TOL = {torch.float32: dict(rtol=1e-5, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-10)}


def to_ember(t, requires_grad=False):
    if t is None:
        return None
    e = ember.tensor(t.detach().cpu().numpy())
    return e.requires_grad_() if requires_grad else e


def close(e, t, dtype=torch.float32):
    assert tuple(e.shape) == tuple(t.shape)
    np.testing.assert_allclose(e.detach().cpu().numpy(), t.detach().cpu().numpy(), equal_nan=True,
                               **TOL[dtype])


def randn(*shape, dtype=torch.float32, grad=True, seed=0):
    g = torch.Generator().manual_seed(seed * 1000 + sum(shape))
    return torch.randn(*shape, generator=g, dtype=dtype, device="cpu").to(torch.get_default_device()).requires_grad_(grad)


def twin(cls_name, *args, dtype=torch.float32, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = getattr(torch.nn, cls_name)(*args, **kwargs).to(dtype)
        em = getattr(nn, cls_name)(*args, **kwargs)
    em = em.double() if dtype == torch.float64 else em
    assert list(em.state_dict()) == list(tm.state_dict())
    em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    return tm, em


def backward_both(t_outs, e_outs, dtype):
    gen = torch.Generator().manual_seed(7)
    pairs = [(t, e) for t, e in zip(t_outs, e_outs) if t is not None]
    gs = [torch.randn(t.shape, generator=gen, dtype=dtype, device="cpu").to(torch.get_default_device()) for t, _ in pairs]
    # NaN rows (fully masked attention weights) get a zero upstream gradient on both sides
    gs = [torch.where(torch.isnan(t), 0.0, g) for (t, _), g in zip(pairs, gs)]
    sum((torch.nan_to_num(t) * g).sum() for (t, _), g in zip(pairs, gs)).backward()
    total = None
    for (_, e), g in zip(pairs, gs):
        term = (ember.nan_to_num(e) * to_ember(g)).sum()
        total = term if total is None else total + term
    total.backward()


def check_params(tm, em, dtype):
    for (name, ep), (_, tp) in zip(em.named_parameters(), tm.named_parameters()):
        if tp.grad is None:
            assert ep.grad is None or not np.any(ep.grad.cpu().numpy()), name
            continue
        assert ep.grad is not None, name
        close(ep.grad, tp.grad, dtype)


# ---------------------------------------------------------------- scaled_dot_product_attention
def _mask_cases():
    bool_mask = torch.rand(4, 5, generator=torch.Generator().manual_seed(3), device="cpu").to(torch.get_default_device()) > 0.4
    bool_mask[:, 0] = True
    dead_row = bool_mask.clone()
    dead_row[2] = False
    float_mask = torch.randn(4, 5)
    float_dead = float_mask.clone()
    float_dead[1] = float("-inf")
    return [
        dict(),
        dict(attn_mask=bool_mask),
        dict(attn_mask=dead_row),
        dict(attn_mask=float_mask),
        dict(attn_mask=float_dead),
        dict(attn_mask=torch.randn(2, 1, 4, 5)),
        dict(is_causal=True),
        dict(scale=0.37),
        dict(attn_mask=float_mask, scale=2.0),
    ]


MASK_CASES = _mask_cases()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("case", range(len(MASK_CASES)))
def test_sdpa_matches_torch(case, dtype):
    kw = {k: (v.to(dtype) if isinstance(v, torch.Tensor) and v.is_floating_point() else v)
          for k, v in MASK_CASES[case].items()}
    q = randn(2, 3, 4, 8, dtype=dtype)
    k = randn(2, 3, 5, 8, dtype=dtype, seed=1)
    v = randn(2, 3, 5, 6, dtype=dtype, seed=2)
    ekw = {a: (to_ember(b) if isinstance(b, torch.Tensor) else b) for a, b in kw.items()}
    qe, ke, ve = (to_ember(t, True) for t in (q, k, v))
    t_out = TF.scaled_dot_product_attention(q, k, v, **kw)
    e_out = EF.scaled_dot_product_attention(qe, ke, ve, **ekw)
    close(e_out, t_out, dtype)
    backward_both([t_out], [e_out], dtype)
    for e, t in ((qe, q), (ke, k), (ve, v)):
        close(e.grad, t.grad, dtype)


def test_sdpa_shapes():
    # unbatched, 3-D, causal non-square (upper-left aligned), broadcast batch, GQA
    cases = [
        ((4, 8), (5, 8), (5, 3), {}),
        ((2, 4, 8), (2, 5, 8), (2, 5, 3), dict(is_causal=True)),
        ((2, 6, 8), (2, 3, 8), (2, 3, 3), dict(is_causal=True)),
        ((1, 2, 4, 8), (3, 2, 5, 8), (3, 2, 5, 3), {}),
        ((2, 4, 3, 8), (2, 2, 5, 8), (2, 1, 5, 6), dict(enable_gqa=True)),
    ]
    for i, (qs, ks, vs, kw) in enumerate(cases):
        q, k, v = randn(*qs, seed=i), randn(*ks, seed=i + 10), randn(*vs, seed=i + 20)
        qe, ke, ve = (to_ember(t, True) for t in (q, k, v))
        t_out = TF.scaled_dot_product_attention(q, k, v, **kw)
        e_out = EF.scaled_dot_product_attention(qe, ke, ve, **kw)
        close(e_out, t_out)
        backward_both([t_out], [e_out], torch.float32)
        for e, t in ((qe, q), (ke, k), (ve, v)):
            close(e.grad, t.grad)


def test_sdpa_float_mask_gradient():
    q, k, v = randn(2, 4, 8), randn(2, 5, 8, seed=1), randn(2, 5, 3, seed=2)
    m = randn(4, 5, seed=3)
    me = to_ember(m, True)
    t_out = TF.scaled_dot_product_attention(q, k, v, attn_mask=m)
    e_out = EF.scaled_dot_product_attention(*(to_ember(t) for t in (q, k, v)), attn_mask=me)
    backward_both([t_out], [e_out], torch.float32)
    close(me.grad, m.grad)


def _same_error(t_fn, e_fn):
    with pytest.raises(Exception) as ti:
        t_fn()
    with pytest.raises(type(ti.value)) as ei:
        e_fn()
    assert str(ei.value) == str(ti.value)


def test_sdpa_errors():
    T = dict(q=torch.randn(2, 4, 3, 8), k=torch.randn(2, 2, 5, 8), v=torch.randn(2, 2, 5, 6))
    E = {n: to_ember(t) for n, t in T.items()}
    f_t = TF.scaled_dot_product_attention
    f_e = EF.scaled_dot_product_attention
    cases = [
        lambda d, m: (d["q"][:, :3], d["k"], d["v"], dict(enable_gqa=True)),
        lambda d, m: (d["q"][:, :2], d["k"].double(), d["v"], {}),
        lambda d, m: (d["q"][:, :2], d["k"], d["v"], dict(attn_mask=m.ones(3, 5).long())),
        lambda d, m: (d["q"][:, :2], d["k"], d["v"], dict(attn_mask=m.ones(3, 5).double())),
        lambda d, m: (d["q"][:, :2], d["k"], d["v"],
                      dict(attn_mask=m.ones(3, 5).bool(), is_causal=True)),
        lambda d, m: (d["q"][0, 0, 0], d["k"][0, 0, 0], d["v"][0, 0, 0], {}),
        lambda d, m: (d["q"][:, :2], d["k"], d["v"][:, :, :4], {}),
        lambda d, m: (d["q"][:, :2], d["k"][..., :7], d["v"], {}),
        lambda d, m: (d["q"][:, :2], d["k"], d["v"], dict(dropout_p=1.5)),
    ]
    for make in cases:
        ta = make(T, torch)
        ea = make(E, ember)
        _same_error(lambda: f_t(*ta[:3], **ta[3]), lambda: f_e(*ea[:3], **ea[3]))


def test_sdpa_dropout():
    ember.manual_seed(0)
    q, k, v = (ember.randn(2, 2, 16, 8) for _ in range(3))
    a = EF.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    b = EF.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    base = EF.scaled_dot_product_attention(q, k, v)
    assert not np.allclose(a.cpu().numpy(), b.cpu().numpy())
    assert not np.allclose(a.cpu().numpy(), base.cpu().numpy())
    # p = 1 drops every weight, as torch
    t = TF.scaled_dot_product_attention(*(torch.tensor(x.cpu().numpy()) for x in (q, k, v)),
                                        dropout_p=1.0)
    close(EF.scaled_dot_product_attention(q, k, v, dropout_p=1.0), t)


# ---------------------------------------------------------------- MultiheadAttention
MHA_CONFIGS = [
    dict(),
    dict(batch_first=True),
    dict(kdim=3, vdim=5),
    dict(add_bias_kv=True, add_zero_attn=True),
    dict(bias=False, batch_first=True),
    dict(add_zero_attn=True, kdim=6, vdim=6),
]


def _mha_inputs(kw, L=4, S=5, B=3, E=8, self_attn=False, dtype=torch.float32):
    bf = kw.get("batch_first", False)

    def shape(n, d):
        return (B, n, d) if bf else (n, B, d)

    q = randn(*shape(L, E), dtype=dtype)
    if self_attn:
        return q, q, q
    k = randn(*shape(S, kw.get("kdim") or E), dtype=dtype, seed=1)
    v = randn(*shape(S, kw.get("vdim") or E), dtype=dtype, seed=2)
    return q, k, v


def _forward_cases(L, S, B, heads, dtype):
    kpm = torch.zeros(B, S, dtype=torch.bool)
    kpm[0, 3:] = True
    kpm[1, 0] = True
    dead = kpm.clone()
    dead[2] = True
    am = torch.randn(L, S, generator=torch.Generator().manual_seed(4), dtype=dtype, device="cpu").to(torch.get_default_device())
    am3 = torch.randn(B * heads, L, S, generator=torch.Generator().manual_seed(5), dtype=dtype, device="cpu").to(torch.get_default_device())
    causal = torch.nn.Transformer.generate_square_subsequent_mask(L, dtype=dtype)[:, :S] \
        if L == S else None
    cases = [
        dict(),
        dict(need_weights=False),
        dict(key_padding_mask=kpm),
        dict(key_padding_mask=kpm, need_weights=False),
        dict(attn_mask=am),
        dict(attn_mask=am3, need_weights=False),
        dict(attn_mask=am > 0.5, key_padding_mask=kpm, average_attn_weights=False),
        dict(key_padding_mask=dead, need_weights=False),
        dict(key_padding_mask=dead),
    ]
    if causal is not None:
        cases += [dict(attn_mask=causal, is_causal=True, need_weights=False),
                  dict(attn_mask=causal, is_causal=True, key_padding_mask=kpm)]
    return cases


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("cfg", range(len(MHA_CONFIGS)))
def test_mha_matches_torch(cfg, dtype):
    kw = MHA_CONFIGS[cfg]
    tm, em = twin("MultiheadAttention", 8, 2, dtype=dtype, **kw)
    for self_attn in (False, True):
        L = S = 4 if self_attn else None
        L, S = (4, 4) if self_attn else (4, 5)
        for fkw in _forward_cases(L, S, 3, 2, dtype):
            tm.zero_grad()
            em.zero_grad()
            q, k, v = _mha_inputs(kw, L, S, dtype=dtype, self_attn=self_attn and not (
                kw.get("kdim") or kw.get("vdim")))
            qe = to_ember(q, True)
            ke = qe if k is q else to_ember(k, True)
            ve = qe if v is q else to_ember(v, True)
            efkw = {a: (to_ember(b) if isinstance(b, torch.Tensor) else b)
                    for a, b in fkw.items()}
            t_out, t_w = tm(q, k, v, **fkw)
            e_out, e_w = em(qe, ke, ve, **efkw)
            close(e_out, t_out, dtype)
            assert (e_w is None) == (t_w is None)
            if t_w is not None:
                close(e_w, t_w, dtype)
            backward_both([t_out, t_w], [e_out, e_w], dtype)
            close(qe.grad, q.grad, dtype)
            if k is not q:
                close(ke.grad, k.grad, dtype)
                close(ve.grad, v.grad, dtype)
            check_params(tm, em, dtype)


def test_mha_unbatched():
    tm, em = twin("MultiheadAttention", 8, 2, kdim=4, vdim=6)
    q, k, v = randn(3, 8), randn(5, 4, seed=1), randn(5, 6, seed=2)
    kpm = torch.tensor([False, False, True, False, True])
    am3 = torch.randn(2, 3, 5)
    for fkw in (dict(), dict(key_padding_mask=kpm), dict(attn_mask=am3, need_weights=False),
                dict(attn_mask=am3 > 0, average_attn_weights=False)):
        efkw = {a: (to_ember(b) if isinstance(b, torch.Tensor) else b) for a, b in fkw.items()}
        t_out, t_w = tm(q, k, v, **fkw)
        e_out, e_w = em(to_ember(q), to_ember(k), to_ember(v), **efkw)
        close(e_out, t_out)
        if t_w is not None:
            close(e_w, t_w)


def test_mha_eval_no_grad_matches_fast_path():
    # torch takes its fused inference path here; the function is the same
    tm, em = twin("MultiheadAttention", 8, 2, batch_first=True)
    tm.eval()
    em.eval()
    x = randn(3, 4, 8, grad=False)
    kpm = torch.tensor([[False] * 4, [False, False, True, True], [False] * 3 + [True]])
    with torch.no_grad():
        t_out, t_w = tm(x, x, x, key_padding_mask=kpm)
    with ember.no_grad():
        xe = to_ember(x)
        e_out, e_w = em(xe, xe, xe, key_padding_mask=to_ember(kpm))
    close(e_out, t_out)
    close(e_w, t_w)


def test_mha_structure():
    for kw in MHA_CONFIGS:
        tm = torch.nn.MultiheadAttention(8, 2, **kw)
        em = nn.MultiheadAttention(8, 2, **kw)
        assert list(em.state_dict()) == list(tm.state_dict())
        assert [n for n, _ in em.named_parameters()] == [n for n, _ in tm.named_parameters()]
        assert repr(em) == repr(tm)
        assert type(em.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
        assert isinstance(em.out_proj, nn.Linear)
        assert em._qkv_same_embed_dim == tm._qkv_same_embed_dim
        assert em.head_dim == tm.head_dim
    m = nn.MultiheadAttention(8, 2)
    assert np.all(m.in_proj_bias.detach().cpu().numpy() == 0)
    assert np.all(m.out_proj.bias.detach().cpu().numpy() == 0)
    bound = (6 / (8 + 24)) ** 0.5  # xavier_uniform on the (3E, E) weight
    w = m.in_proj_weight.detach().cpu().numpy()
    assert np.all(np.abs(w) <= bound) and w.max() > 0.8 * bound


def test_mha_errors():
    _same_error(lambda: torch.nn.MultiheadAttention(8, 3), lambda: nn.MultiheadAttention(8, 3))
    _same_error(lambda: torch.nn.MultiheadAttention(0, 3), lambda: nn.MultiheadAttention(0, 3))
    tm, em = twin("MultiheadAttention", 8, 2)
    T = torch.randn
    E = ember.randn
    cases = [
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(5, 8)), {}),
        lambda f, d: ((f(4, 8), f(5, 3, 8), f(5, 3, 8)), {}),
        lambda f, d: ((f(2, 4, 3, 8),) * 3, {}),
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(5, 3, 8)), dict(attn_mask=f(4, 4))),
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(5, 3, 8)), dict(attn_mask=f(5, 4, 5))),
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(5, 3, 8)), dict(attn_mask=f(1, 1, 4, 5))),
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(5, 3, 8)),
                      dict(key_padding_mask=d.zeros(3, 4, dtype=d.bool))),
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(5, 3, 8)),
                      dict(key_padding_mask=d.zeros(2, 5, dtype=d.bool))),
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(5, 3, 8)),
                      dict(key_padding_mask=d.zeros(3, 5, dtype=d.long))),
        lambda f, d: ((f(4, 3, 6), f(5, 3, 6), f(5, 3, 6)), {}),
        lambda f, d: ((f(4, 3, 8), f(5, 3, 8), f(6, 3, 8)), {}),
        lambda f, d: ((f(4, 3, 8), f(4, 3, 8), f(4, 3, 8)), dict(is_causal=True)),
        lambda f, d: ((f(4, 8), f(5, 8), f(5, 8)), dict(attn_mask=f(3, 4, 5))),
    ]
    for make in cases:
        targs, tkw = make(T, torch)
        eargs, ekw = make(E, ember)
        _same_error(lambda: tm(*targs, **tkw), lambda: em(*eargs, **ekw))


def test_mha_mismatched_mask_warning():
    tm, em = twin("MultiheadAttention", 8, 2)
    x = torch.randn(4, 3, 8)
    kpm = torch.zeros(3, 4, dtype=torch.bool)
    am = torch.zeros(4, 4)
    with pytest.warns(UserWarning, match="Support for mismatched key_padding_mask and "
                      "attn_mask is deprecated"):
        tm(x, x, x, key_padding_mask=kpm, attn_mask=am)
    with pytest.warns(UserWarning, match="Support for mismatched key_padding_mask and "
                      "attn_mask is deprecated"):
        xe = to_ember(x)
        em(xe, xe, xe, key_padding_mask=to_ember(kpm), attn_mask=to_ember(am))


def test_mha_dropout_train_changes_output():
    ember.manual_seed(0)
    m = nn.MultiheadAttention(8, 2, dropout=0.5)
    x = ember.randn(6, 2, 8)
    a = m(x, x, x)[0].detach().cpu().numpy()
    b = m(x, x, x)[0].detach().cpu().numpy()
    assert not np.allclose(a, b)
    m.eval()
    np.testing.assert_array_equal(m(x, x, x)[0].detach().cpu().numpy(), m(x, x, x)[0].detach().cpu().numpy())


def test_functional_mha_direct():
    tm, em = twin("MultiheadAttention", 8, 2)
    q, k, v = randn(4, 2, 8), randn(5, 2, 8, seed=1), randn(5, 2, 8, seed=2)
    args_t = (q, k, v, 8, 2, tm.in_proj_weight, tm.in_proj_bias, None, None, False, 0.0,
              tm.out_proj.weight, tm.out_proj.bias)
    args_e = (to_ember(q), to_ember(k), to_ember(v), 8, 2, em.in_proj_weight, em.in_proj_bias,
              None, None, False, 0.0, em.out_proj.weight, em.out_proj.bias)
    t_out, t_w = TF.multi_head_attention_forward(*args_t, training=False)
    e_out, e_w = EF.multi_head_attention_forward(*args_e, training=False)
    close(e_out, t_out)
    close(e_w, t_w)
    # static keys and values
    sk, sv = randn(4, 5, 4, seed=3), randn(4, 5, 4, seed=4)
    t_out, _ = TF.multi_head_attention_forward(*args_t, static_k=sk, static_v=sv)
    e_out, _ = EF.multi_head_attention_forward(*args_e, static_k=to_ember(sk),
                                               static_v=to_ember(sv))
    close(e_out, t_out)


# ---------------------------------------------------------------- transformer layers
ENC_CONFIGS = [
    dict(),
    dict(batch_first=True, norm_first=True, activation="gelu"),
    dict(bias=False, activation=TF.gelu),
    dict(layer_norm_eps=1e-3, batch_first=True),
]


def _enc_kwargs(cfg):
    # the ember module gets ember's function where torch gets torch's
    kw = dict(cfg)
    if kw.get("activation") is TF.gelu:
        return kw, dict(kw, activation=EF.gelu)
    return kw, kw


def _enc_masks(L, B, dtype):
    kpm = torch.zeros(B, L, dtype=torch.bool)
    kpm[0, L - 2:] = True
    causal = torch.nn.Transformer.generate_square_subsequent_mask(L, dtype=dtype)
    return [dict(), dict(src_key_padding_mask=kpm), dict(mask=causal),
            dict(mask=causal, is_causal=True),
            dict(mask=causal > -1, src_key_padding_mask=kpm)]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("cfg", range(len(ENC_CONFIGS)))
def test_transformer_encoder_matches_torch(cfg, dtype):
    tkw, ekw = _enc_kwargs(ENC_CONFIGS[cfg])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **tkw).to(dtype)
        e_layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **ekw)
        tm = torch.nn.TransformerEncoder(t_layer, 2, norm=torch.nn.LayerNorm(8).to(dtype))
        em = nn.TransformerEncoder(e_layer, 2, norm=nn.LayerNorm(8))
    if dtype == torch.float64:
        em = em.double()
    assert list(em.state_dict()) == list(tm.state_dict())
    em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    bf = tkw.get("batch_first", False)
    L, B = 5, 3
    for mkw in _enc_masks(L, B, dtype):
        tm.zero_grad()
        em.zero_grad()
        x = randn(*((B, L, 8) if bf else (L, B, 8)), dtype=dtype)
        xe = to_ember(x, True)
        emkw = {a: (to_ember(b) if isinstance(b, torch.Tensor) else b) for a, b in mkw.items()}
        t_out = tm(x, **mkw)
        e_out = em(xe, **emkw)
        close(e_out, t_out, dtype)
        backward_both([t_out], [e_out], dtype)
        close(xe.grad, x.grad, dtype)
        check_params(tm, em, dtype)


@pytest.mark.parametrize("cfg", range(len(ENC_CONFIGS)))
def test_encoder_layer_matches_torch(cfg):
    tkw, ekw = _enc_kwargs(ENC_CONFIGS[cfg])
    tm = torch.nn.TransformerEncoderLayer(8, 4, 12, dropout=0.0, **tkw)
    em = nn.TransformerEncoderLayer(8, 4, 12, dropout=0.0, **ekw)
    assert list(em.state_dict()) == list(tm.state_dict())
    assert em.activation_relu_or_gelu == tm.activation_relu_or_gelu
    em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    x = randn(4, 3, 8)
    xe = to_ember(x, True)
    t_out = tm(x)
    e_out = em(xe)
    close(e_out, t_out)
    backward_both([t_out], [e_out], torch.float32)
    close(xe.grad, x.grad)
    check_params(tm, em, torch.float32)
    # unbatched input
    close(em(to_ember(x[:, 0])), tm(x[:, 0]))


def test_encoder_inference_zeroes_padding_like_torch():
    # torch's nested-tensor inference path outputs zeros at padded positions
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
        e_layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    tm = torch.nn.TransformerEncoder(t_layer, 2)
    em = nn.TransformerEncoder(e_layer, 2)
    em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    tm.eval()
    em.eval()
    x = randn(3, 5, 8, grad=False)
    kpm = torch.tensor([[False] * 5, [False, False, False, True, True], [False] * 4 + [True]])
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_out = tm(x, src_key_padding_mask=kpm)
    with ember.no_grad():
        e_out = em(to_ember(x), src_key_padding_mask=to_ember(kpm))
    close(e_out, t_out)
    assert np.all(e_out.cpu().numpy()[1, 3:] == 0)
    # with gradients torch takes the regular path: padded positions are not zeroed
    t_out = tm(x, src_key_padding_mask=kpm)
    e_out = em(to_ember(x), src_key_padding_mask=to_ember(kpm))
    close(e_out, t_out)
    assert np.any(e_out.detach().cpu().numpy()[1, 3:] != 0)


def test_encoder_nested_tensor_warning():
    layer_t = torch.nn.TransformerEncoderLayer(8, 2, 16)
    layer_e = nn.TransformerEncoderLayer(8, 2, 16)
    with pytest.warns(UserWarning) as wt:
        tm = torch.nn.TransformerEncoder(layer_t, 2)
    with pytest.warns(UserWarning) as we:
        em = nn.TransformerEncoder(layer_e, 2)
    assert [str(w.message) for w in we] == [str(w.message) for w in wt]
    assert em.use_nested_tensor == tm.use_nested_tensor
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2,
                              enable_nested_tensor=False)


@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_matches_torch(norm_first):
    t_layer = torch.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, norm_first=norm_first)
    e_layer = nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, norm_first=norm_first)
    tm = torch.nn.TransformerDecoder(t_layer, 2, norm=torch.nn.LayerNorm(8))
    em = nn.TransformerDecoder(e_layer, 2, norm=nn.LayerNorm(8))
    assert list(em.state_dict()) == list(tm.state_dict())
    em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    tgt, mem = randn(4, 2, 8), randn(6, 2, 8, seed=1)
    tgt_e, mem_e = to_ember(tgt, True), to_ember(mem, True)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(4)
    mkpm = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
    t_out = tm(tgt, mem, tgt_mask=mask, memory_key_padding_mask=mkpm)
    e_out = em(tgt_e, mem_e, tgt_mask=to_ember(mask), memory_key_padding_mask=to_ember(mkpm))
    close(e_out, t_out)
    backward_both([t_out], [e_out], torch.float32)
    close(tgt_e.grad, tgt.grad)
    close(mem_e.grad, mem.grad)
    check_params(tm, em, torch.float32)


def test_transformer_matches_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = torch.nn.Transformer(8, 2, 2, 1, 16, dropout=0.0, batch_first=True)
        em = nn.Transformer(8, 2, 2, 1, 16, dropout=0.0, batch_first=True)
    assert list(em.state_dict()) == list(tm.state_dict())
    assert repr(em) == repr(tm)
    em.load_state_dict({k: to_ember(v) for k, v in tm.state_dict().items()})
    src, tgt = randn(2, 5, 8), randn(2, 3, 8, seed=1)
    src_e, tgt_e = to_ember(src, True), to_ember(tgt, True)
    mask = tm.generate_square_subsequent_mask(3)
    t_out = tm(src, tgt, tgt_mask=mask)
    e_out = em(src_e, tgt_e, tgt_mask=to_ember(mask))
    close(e_out, t_out)
    backward_both([t_out], [e_out], torch.float32)
    close(src_e.grad, src.grad)
    check_params(tm, em, torch.float32)
    _same_error(lambda: tm(src, tgt[:1]), lambda: em(src_e, tgt_e[:1]))
    _same_error(lambda: tm(src[..., :4], tgt), lambda: em(src_e[..., :4], tgt_e))


def test_transformer_init_xavier():
    ember.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = nn.Transformer(16, 2, 1, 1, 32)
    w = m.encoder.layers[0].linear1.weight.detach().cpu().numpy()
    bound = (6 / (16 + 32)) ** 0.5
    assert np.all(np.abs(w) <= bound) and w.max() > 0.8 * bound


def test_generate_square_subsequent_mask():
    t = torch.nn.Transformer.generate_square_subsequent_mask(4)
    e = nn.Transformer.generate_square_subsequent_mask(4)
    np.testing.assert_array_equal(e.cpu().numpy(), t.cpu().numpy())
    assert e.dtype == ember.float32
    e64 = nn.Transformer.generate_square_subsequent_mask(3, dtype=ember.float64)
    assert e64.dtype == ember.float64


def test_encoder_dropout_train_changes_output():
    ember.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.3)
    x = ember.randn(5, 2, 8)
    assert not np.allclose(layer(x).detach().cpu().numpy(), layer(x).detach().cpu().numpy())
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().cpu().numpy(), layer(x).detach().cpu().numpy())


def test_activation_errors():
    _same_error(lambda: torch.nn.TransformerEncoderLayer(8, 2, activation="tanh"),
                lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"))
