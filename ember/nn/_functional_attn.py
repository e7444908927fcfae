"""Attention for `ember.nn.functional`: scaled_dot_product_attention and
multi_head_attention_forward, written as compositions of ember ops (autograd gives the
gradients, higher order included).

PyTorch's CPU kernels return zeros (and zero gradients) for a query row whose keys are all
masked out instead of NaN; `_masked_softmax` does the same.
"""

import math
import warnings

import numpy as np

from .. import _creation as C
from .. import _dtype as D
from .._tensor import Tensor

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]

# ATen's names for dtypes, as its error messages print them
_CPP_NAMES = {
    "float32": "float", "float64": "double", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
    "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
    "uint8": "unsigned char", "bool": "bool", "complex64": "c10::complex<float>",
    "complex128": "c10::complex<double>",
}


def _cpp(dtype):
    name = str(dtype).replace("torch.", "")
    return _CPP_NAMES.get(name, name)


def _functional():
    # nn.functional imports this module while it loads: look it up at call time
    from . import functional

    return functional


def _ember():
    import ember

    return ember


def _host(t):
    arr = t._data
    return arr if isinstance(arr, np.ndarray) else arr.get()


def _const(arr, like):
    """A constant tensor from a NumPy array, on `like`'s device."""
    t = C.from_numpy(np.ascontiguousarray(arr))
    return t if like.device.type == "cpu" else t.to(like.device)


# ---------------------------------------------------------------- scaled dot product attention
def _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal):
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(
            "Expected query, key, and value to all be  at least 2 dimensional, but got "
            f"query.dim: {query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} "
            "instead."
        )
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{_cpp(query.dtype)} key.dtype: {_cpp(key.dtype)} and value.dtype: "
            f"{_cpp(value.dtype)} instead."
        )
    if attn_mask is not None and attn_mask.dtype != D.bool_ and attn_mask.dtype != query.dtype:
        raise RuntimeError(
            "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
            f"attn_mask.dtype: {_cpp(attn_mask.dtype)} and  query.dtype: {_cpp(query.dtype)} "
            "instead."
        )
    if is_causal and attn_mask is not None:
        raise RuntimeError(
            "_scaled_dot_product_attention: Explicit attn_mask should not be set when "
            "is_causal=True"
        )
    if dropout_p > 1:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")


def _batch_size(a, b):
    batch = np.broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    return int(np.prod(batch, dtype=np.int64))


def _check_bmm(a, b):
    # ATen folds the batch dimensions and reports the second operand of the bmm that failed
    if a.size(-1) != b.size(-2):
        batch = _batch_size(a, b)
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{batch}, {a.size(-1)}] but got: [{batch}, {b.size(-2)}]."
        )


def _repeat_heads(query, key, value):
    """Grouped-query attention: repeat each key/value head over its group of query heads."""
    hq, hk, hv = query.size(-3), key.size(-3), value.size(-3)
    if hq % hk != 0 or hq % hv != 0:
        raise RuntimeError("Number of heads in key and value must divide the number of heads in ")
    if hk != hq:
        key = key.repeat_interleave(hq // hk, dim=-3)
    if hv != hq:
        value = value.repeat_interleave(hq // hv, dim=-3)
    return key, value


def _mask_bias(attn_mask, is_causal, q, k):
    """(additive bias or None, rows with nothing to attend to as a NumPy bool array or None)."""
    if is_causal:
        allowed = np.tril(np.ones((q.size(-2), k.size(-2)), dtype=bool))
    elif attn_mask is None:
        return None, None
    elif attn_mask.dtype == D.bool_:
        allowed = _host(attn_mask)
    else:
        dead = np.all(np.isneginf(_host(attn_mask)), axis=-1, keepdims=True)
        if not dead.any():
            return attn_mask, None
        # a finite bias on dead rows keeps softmax (and its gradient) free of NaN
        return _ember().where(_const(dead, q), 0.0, attn_mask), dead
    bias = np.where(allowed, 0.0, -np.inf).astype(q.dtype.np)
    dead = ~allowed.any(axis=-1, keepdims=True)
    if dead.any():
        bias = np.where(dead, 0.0, bias).astype(q.dtype.np)
        return _const(bias, q), dead
    return _const(bias, q), None


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(Q K^T * scale + mask) V. Mirrors `torch.nn.functional.scaled_dot_product_attention`.

    A bool mask marks with True the keys that take part; a float mask is added to the scores.
    """
    _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal)
    if enable_gqa:
        key, value = _repeat_heads(query, key, value)
    kt = key.transpose(-2, -1)
    _check_bmm(query, kt)
    if key.size(-2) != value.size(-2):
        batch = _batch_size(query, value)
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{batch}, {key.size(-2)}] but got: [{batch}, {value.size(-2)}]."
        )
    factor = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    bias, dead = _mask_bias(attn_mask, is_causal, query, key)
    alive = None if dead is None else _const((~dead).astype(query.dtype.np), query)
    if query.dim() == 4 and dropout_p == 0.0:
        # PyTorch's CPU kernel for 4-D inputs (flash attention) scales the scores, and divides
        # by the softmax denominator after the product with V: equal weights give exact means
        scores = (query @ kt) * factor
        if bias is not None:
            scores = scores + bias
        e = (scores - scores.detach().amax(-1, keepdim=True)).exp()
        out = (e @ value) / e.sum(-1, keepdim=True)
        # (a select, not a product: rows with nothing to attend to are +0, as in PyTorch)
        return out if dead is None else _ember().where(_const(~dead, query), out, 0.0)
    # the "math" kernel (other ranks, dropout): sqrt(scale) on each of Q and K^T
    root = math.sqrt(factor)
    scores = (query * root) @ (kt * root)
    if bias is not None:
        scores = scores + bias
    attn = _functional().softmax(scores, -1)
    if alive is not None:
        attn = attn * alive
    if dropout_p > 0.0:
        attn = _functional().dropout(attn, dropout_p, True)
    return attn @ value


# ---------------------------------------------------------------- multi-head attention
def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Checks the ranks of the arguments; returns whether the input is batched."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                f"{key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                f"found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                f"found {attn_mask.dim()}-D tensor instead"
            )
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                f"{key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
                f"but found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                    f"but found {attn_mask.dim()}-D tensor instead"
                )
            if attn_mask.dim() == 3:
                expected = (num_heads, query.shape[0], key.shape[0])
                if tuple(attn_mask.shape) != expected:
                    raise AssertionError(
                        f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}"
                    )
        return False
    raise AssertionError(
        "query should be unbatched 2D or batched 3D tensor but received "
        f"{query.dim()}-D query tensor"
    )


def _canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """Turns a bool mask (True = masked out) into an additive float mask of `target_type`."""
    if mask is None:
        return None
    is_float = mask.dtype.is_floating_point
    if mask.dtype != D.bool_ and not is_float:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(
            f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type "
            "for both instead.",
            stacklevel=3,
        )
    if is_float:
        return mask
    bias = np.where(_host(mask), -np.inf, 0.0).astype(D.to_dtype(target_type).np)
    return _const(bias, mask)


def _none_or_dtype(input):
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _in_projection_packed(q, k, v, w, b=None):
    """Projects q, k, v with one (3E, E) weight; one matmul when they are the same tensor."""
    E = q.size(-1)
    linear = _functional().linear
    if k is v:
        if q is k:
            return linear(q, w, b).chunk(3, -1)
        w_q, w_kv = w.split([E, E * 2])
        b_q, b_kv = (None, None) if b is None else b.split([E, E * 2])
        k_proj, v_proj = linear(k, w_kv, b_kv).chunk(2, -1)
        return linear(q, w_q, b_q), k_proj, v_proj
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    """Projects q, k, v with separate weights (kdim / vdim differ from embed_dim)."""
    Eq, Ek, Ev = q.size(-1), k.size(-1), v.size(-1)
    for what, w, shape in (("query", w_q, (Eq, Eq)), ("key", w_k, (Eq, Ek)),
                           ("value", w_v, (Eq, Ev))):
        if tuple(w.shape) != shape:
            raise AssertionError(f"expecting {what} weights shape of {shape}, but got {w.shape}")
    for what, b in (("query", b_q), ("key", b_k), ("value", b_v)):
        if b is not None and tuple(b.shape) != (Eq,):
            raise AssertionError(f"expecting {what} bias shape of {(Eq,)}, but got {b.shape}")
    linear = _functional().linear
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _pad_last(mask):
    """One more column of zeros (a key that every query may attend to)."""
    zeros = C.zeros(tuple(mask.shape[:-1]) + (1,), dtype=mask.dtype, device=mask.device)
    return _ember().cat([mask, zeros], -1)


def _check_attn_mask(attn_mask, bsz, num_heads, tgt_len, src_len):
    if attn_mask.dim() == 2:
        size = (tgt_len, src_len)
        if tuple(attn_mask.shape) != size:
            raise RuntimeError(
                f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be {size}."
            )
        return attn_mask.unsqueeze(0)
    if attn_mask.dim() == 3:
        size = (bsz * num_heads, tgt_len, src_len)
        if tuple(attn_mask.shape) != size:
            raise RuntimeError(
                f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be {size}."
            )
        return attn_mask
    raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")


def _static(static, bsz, num_heads, head_dim, name):
    if static.size(0) != bsz * num_heads:
        raise AssertionError(
            f"expecting {name}.size(0) of {bsz * num_heads}, but got {static.size(0)}"
        )
    if static.size(2) != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got {static.size(2)}")
    return static


def _project_all(query, key, value, embed_dim, in_proj_weight, in_proj_bias,
                 use_separate_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight):
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(
                f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                f"{value.shape[:2]}"
            )
    elif tuple(key.shape) != tuple(value.shape):
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        return _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
        if w is None:
            raise AssertionError(f"use_separate_proj_weight is True but {name}_proj_weight is None")
    b = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
    return _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, *b)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Mirrors `torch.nn.functional.multi_head_attention_forward` (sequence-first layout)."""
    ember = _ember()
    fn = _functional()
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query = query.unsqueeze(1)
        key = key.unsqueeze(1)
        value = value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                       _none_or_dtype(attn_mask), "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
            "module method `generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        # the hint alone drives scaled_dot_product_attention
        attn_mask = None
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                    check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    q, k, v = _project_all(query, key, value, embed_dim, in_proj_weight, in_proj_bias,
                           use_separate_proj_weight, q_proj_weight, k_proj_weight,
                           v_proj_weight)
    if attn_mask is not None:
        attn_mask = _check_attn_mask(attn_mask, bsz, num_heads, tgt_len, key.shape[0])
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = ember.cat([k, bias_k.repeat(1, bsz, 1)])
        v = ember.cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)
    elif bias_k is not None:
        raise AssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise AssertionError("bias_v is set but bias_k is None")
    # (L, B, E) -> (B * heads, L, head_dim)
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    if static_k is None:
        k = k.reshape(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        k = _static(static_k, bsz, num_heads, head_dim, "static_k")
    if static_v is None:
        v = v.reshape(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        v = _static(static_v, bsz, num_heads, head_dim, "static_v")
    if add_zero_attn:
        zeros = C.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype, device=k.device)
        k = ember.cat([k, zeros], 1)
        v = ember.cat([v, zeros.to(v.dtype)], 1)
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)
    src_len = k.size(1)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(
                f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                f"{key_padding_mask.shape[0]}"
            )
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(
                f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                f"{key_padding_mask.shape[1]}"
            )
        kpm = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
        kpm = kpm.reshape(bsz * num_heads, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    if not training:
        dropout_p = 0.0
    if need_weights:
        return _attention_with_weights(q, k, v, attn_mask, dropout_p, is_causal, bsz,
                                       num_heads, tgt_len, src_len, embed_dim, out_proj_weight,
                                       out_proj_bias, average_attn_weights, is_batched)
    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.reshape(bsz, num_heads, -1, src_len)
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = fn.linear(out, out_proj_weight, out_proj_bias)
    out = out.reshape(tgt_len, bsz, out.size(1))
    if not is_batched:
        out = out.squeeze(1)
    return out, None


def _attention_with_weights(q, k, v, attn_mask, dropout_p, is_causal, bsz, num_heads, tgt_len,
                            src_len, embed_dim, out_proj_weight, out_proj_bias,
                            average_attn_weights, is_batched):
    """The explicit path that also returns the attention weights (NaN rows stay NaN, as torch)."""
    ember = _ember()
    fn = _functional()
    if is_causal and attn_mask is None:
        raise AssertionError("FIXME: is_causal not implemented for need_weights")
    q_scaled = q * math.sqrt(1.0 / float(q.shape[-1]))
    if attn_mask is not None:
        weights = ember.baddbmm(attn_mask, q_scaled, k.transpose(-2, -1))
    else:
        weights = ember.bmm(q_scaled, k.transpose(-2, -1))
    weights = fn.softmax(weights, -1)
    if dropout_p > 0.0:
        weights = fn.dropout(weights, p=dropout_p)
    out = ember.bmm(weights, v)
    out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
    out = fn.linear(out, out_proj_weight, out_proj_bias)
    out = out.reshape(tgt_len, bsz, out.size(1))
    weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
    if average_attn_weights:
        weights = weights.mean(dim=1)
    if not is_batched:
        out = out.squeeze(1)
        weights = weights.squeeze(0)
    return out, weights
