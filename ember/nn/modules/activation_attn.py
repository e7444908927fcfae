"""Mirrors `torch.nn.MultiheadAttention` (which torch keeps in `torch.nn.modules.activation`).

torch also has a fused inference-only fast path. It computes the same function except where a
query has every key masked (NaN there, 0 through scaled_dot_product_attention); when torch would
take it with a mask, ember takes its explicit-softmax path, which keeps those NaN rows.
"""

from ... import _creation as C
from .. import _functional_attn as FA
from ..init import constant_, xavier_normal_, xavier_uniform_
from ..parameter import Parameter
from .linear import Linear
from .module import Module

__all__ = ["MultiheadAttention"]


def _ember():
    import ember

    return ember


class NonDynamicallyQuantizableLinear(Linear):
    """A Linear that quantization tools leave alone (MultiheadAttention's out_proj).
    Mirrors `torch.nn.modules.linear.NonDynamicallyQuantizableLinear`."""


class MultiheadAttention(Module):
    """Attention over `num_heads` heads of size embed_dim // num_heads.
    Mirrors `torch.nn.MultiheadAttention` (same parameters, names and initialization)."""

    __constants__ = ["batch_first"]

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                "embed_dim and num_heads must be greater than 0, got "
                f"embed_dim={embed_dim} and num_heads={num_heads} instead"
            )
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != self.embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(C.empty((embed_dim, embed_dim), **kw))
            self.k_proj_weight = Parameter(C.empty((embed_dim, self.kdim), **kw))
            self.v_proj_weight = Parameter(C.empty((embed_dim, self.vdim), **kw))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(C.empty((3 * embed_dim, embed_dim), **kw))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(C.empty(3 * embed_dim, **kw))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, **kw)
        if add_bias_kv:
            self.bias_k = Parameter(C.empty((1, 1, embed_dim), **kw))
            self.bias_v = Parameter(C.empty((1, 1, embed_dim), **kw))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        if self._qkv_same_embed_dim:
            xavier_uniform_(self.in_proj_weight)
        else:
            xavier_uniform_(self.q_proj_weight)
            xavier_uniform_(self.k_proj_weight)
            xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            constant_(self.in_proj_bias, 0.0)
            constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            xavier_normal_(self.bias_v)

    def __setstate__(self, state):
        if "_qkv_same_embed_dim" not in state:
            state["_qkv_same_embed_dim"] = True
        super().__setstate__(state)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        is_batched = query.dim() == 3
        # torch's fused inference kernel softmaxes a masked score matrix itself, so a query
        # whose keys are all masked comes out NaN there (scaled_dot_product_attention gives 0);
        # ember reproduces that through the explicit path, which keeps NaN rows
        explicit = (not need_weights and (attn_mask is not None or key_padding_mask is not None)
                    and self._torch_fast_path(query, key, value, attn_mask, key_padding_mask))
        return self._attend(query, key, value, key_padding_mask, need_weights, attn_mask,
                            average_attn_weights, is_causal, explicit)

    def _attend(self, query, key, value, key_padding_mask, need_weights, attn_mask,
                average_attn_weights, is_causal, explicit):
        """forward's body; `explicit`: take the explicit softmax path, as torch's fused
        inference kernels do, even where need_weights is False (the weights are dropped)."""
        is_batched = query.dim() == 3
        key_padding_mask = FA._canonical_mask(
            key_padding_mask, "key_padding_mask", FA._none_or_dtype(attn_mask), "attn_mask",
            query.dtype,
        )
        attn_mask = FA._canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                       check_other=False)
        if self.batch_first and is_batched:
            # the functional form is sequence-first
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = (x.transpose(1, 0) for x in (query, key))
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate = not self._qkv_same_embed_dim
        out, weights = FA.multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
            self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights or explicit,
            attn_mask=attn_mask, use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight, average_attn_weights=average_attn_weights,
            is_causal=is_causal,
        )
        if explicit:
            weights = None
        if self.batch_first and is_batched:
            return out.transpose(1, 0), weights
        return out, weights

    def _torch_fast_path(self, query, key, value, attn_mask, key_padding_mask):
        """Whether torch would run this call through its fused inference kernel (the
        conditions of torch's `MultiheadAttention.forward`, masks not yet canonical)."""
        from ...amp import is_autocast_enabled
        from ...autograd.grad_mode import GRAD

        for m in (attn_mask, key_padding_mask):
            if m is not None and m.is_floating_point():
                return False
        w, b = self.in_proj_weight, self.in_proj_bias
        if (query.dim() != 3 or query is not key or key is not value or w is None or b is None
                or query.dtype != b.dtype or query.dtype != w.dtype or self.training
                or self.num_heads % 2 != 0 or not self.batch_first or self.bias_k is not None
                or self.bias_v is not None or self.add_zero_attn
                or not self._qkv_same_embed_dim or is_autocast_enabled()):
            return False
        mha = getattr(getattr(_ember(), "backends", None), "mha", None)
        if mha is not None and not mha.get_fastpath_enabled():
            return False
        args = (query, w, b, self.out_proj.weight, self.out_proj.bias)
        return not (GRAD.enabled and any(t is not None and t.requires_grad for t in args))

    def merge_masks(self, attn_mask, key_padding_mask, query):
        """Combines the two masks into one (B, heads, L, L) float mask and its type code."""
        mask_type = None
        merged = None
        if key_padding_mask is not None:
            mask_type = 1
            merged = key_padding_mask
        if attn_mask is not None:
            batch_size, seq_len, _ = query.shape
            mask_type = 2
            if attn_mask.dim() == 3:
                expanded = attn_mask.reshape(batch_size, -1, seq_len, seq_len)
            else:
                expanded = attn_mask.reshape(1, 1, seq_len, seq_len).expand(
                    batch_size, self.num_heads, -1, -1
                )
            merged = expanded
            if key_padding_mask is not None:
                kpm = key_padding_mask.reshape(batch_size, 1, 1, seq_len).expand(
                    -1, self.num_heads, -1, -1
                )
                merged = expanded + kpm
        return merged, mask_type
