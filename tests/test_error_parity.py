"""Error-message parity with torch 2.13: a table of the mistakes users make, each run with real
torch and with ember. Both must raise the same exception type with the same message, or (where
torch accepts the input) neither raises and both give the same result.

Each case is a function of the module `m` (torch or ember). `python tests/test_error_parity.py`
prints every case that differs, for working through the table by hand.
"""

import io
import os
import pickle
import tempfile
import warnings
import zipfile

import pytest
import torch

import ember

_TMP = tempfile.mkdtemp(prefix="ember_err_")


def _file(name, data):
    path = os.path.join(_TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


class _RunsCode:
    # a pickle that calls os.getcwd() when loaded: a harmless stand-in for os.system
    def __reduce__(self):
        return (os.getcwd, ())


def _checkpoints():
    """A truncated torch checkpoint, and one whose data.pkl would run code."""
    buf = io.BytesIO()
    torch.save({"w": torch.ones(3)}, buf)
    data = buf.getvalue()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in src.namelist():
            evil = n.endswith("data.pkl")
            z.writestr(n, pickle.dumps(_RunsCode(), protocol=2) if evil else src.read(n))
    return _file("truncated.pt", data[: len(data) // 2]), _file("evil_zip.pt", out.getvalue())


_GARBAGE = _file("garbage.pt", b"this is not a checkpoint\x00\x01\x02")
_EMPTY = _file("empty.pt", b"")
_EVIL = _file("evil.pt", pickle.dumps(_RunsCode(), protocol=2))
_PLAIN = _file("plain.pt", pickle.dumps({"a": 1}, protocol=2))
_TRUNCATED, _EVIL_ZIP = _checkpoints()


# ------------------------------------------------------------------ multi-step cases
def _backward_twice(m):
    x = m.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def _grad_twice(m):
    x = m.ones(3, requires_grad=True)
    y = (x.exp()).sum()
    m.autograd.grad(y, x)
    m.autograd.grad(y, x)


def _backward_nonscalar(m):
    x = m.ones(3, requires_grad=True)
    (x * 2).backward()


def _backward_no_grad(m):
    with m.no_grad():
        y = m.ones(3, requires_grad=True) * 2
    y.sum().backward()


def _backward_plain(m):
    m.ones(3).sum().backward()


def _backward_bad_gradient_shape(m):
    x = m.ones(3, requires_grad=True)
    (x * 2).backward(m.ones(2))


def _grad_input_no_grad(m):
    x = m.ones(3, requires_grad=True)
    z = m.ones(3)
    m.autograd.grad((x * z).sum(), z)


def _grad_output_no_grad(m):
    x = m.ones(3)
    m.autograd.grad(x.sum(), x)


def _grad_unused(m):
    x = m.ones(3, requires_grad=True)
    w = m.ones(3, requires_grad=True)
    m.autograd.grad((x * 2).sum(), [x, w])


def _grad_allow_unused(m):
    x = m.ones(3, requires_grad=True)
    w = m.ones(3, requires_grad=True)
    return m.autograd.grad((x * 2).sum(), [x, w], allow_unused=True)


def _inplace_leaf(m):
    x = m.ones(3, requires_grad=True)
    x.add_(1)


def _inplace_leaf_view(m):
    x = m.ones(3, requires_grad=True)
    x[0] = 5.0


def _inplace_leaf_no_grad(m):
    # allowed: this is how optimizers update parameters
    x = m.ones(3, requires_grad=True)
    with m.no_grad():
        x.add_(1)
    return x.detach()


def _modified_saved_output(m):
    x = m.ones(3, requires_grad=True)
    y = x.exp()
    y.add_(1)
    y.sum().backward()


def _modified_saved_input(m):
    x = m.ones(3, requires_grad=True)
    y = x * 2
    z = y * y
    y.mul_(3)
    z.sum().backward()


def _modified_saved_sigmoid(m):
    x = m.ones(2, 2, requires_grad=True)
    y = m.sigmoid(x)
    y.zero_()
    y.sum().backward()


def _numpy_requires_grad(m):
    m.ones(3, requires_grad=True).numpy()


def _numpy_nonleaf(m):
    (m.ones(3, requires_grad=True) * 2).numpy()


def _requires_grad_nonleaf(m):
    y = m.ones(3, requires_grad=True) * 2
    y.requires_grad_(False)


def _hook_no_grad(m):
    m.ones(3).register_hook(lambda g: g)


def _nonleaf_grad_is_none(m):
    y = m.ones(3, requires_grad=True) * 2
    return y.grad


def _retain_graph_ok(m):
    x = m.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


def _int_inplace_float(m):
    x = m.ones(3, dtype=m.long)
    x += 1.5


def _int_inplace_float_tensor(m):
    x = m.ones(3, dtype=m.int32)
    x *= m.ones(3)


def _bool_inplace_int(m):
    x = m.tensor([True, False])
    x += 1


def _inplace_broadcast_out(m):
    m.ones(3).add_(m.ones(2, 3))


def _setitem_shape(m):
    x = m.ones(3)
    x[:] = m.ones(2)


def _setitem_oob(m):
    x = m.ones(3)
    x[5] = 1.0


def _optimizer_nonleaf(m):
    x = m.ones(3, requires_grad=True)
    m.optim.SGD([x * 2], lr=0.1)


def _optimizer_no_grad_param(m):
    # torch accepts a tensor that does not require grad: it is simply never updated
    x = m.ones(3)
    opt = m.optim.SGD([x], lr=0.1)
    opt.step()
    return x


def _optimizer_duplicate(m):
    x = m.nn.Parameter(m.ones(3))
    m.optim.SGD([{"params": [x]}, {"params": [x]}], lr=0.1)


def _linear_pair(m):
    m.manual_seed(0)
    return m.nn.Linear(3, 2)


def _load_missing(m):
    _linear_pair(m).load_state_dict({"weight": m.zeros(2, 3)})


def _load_unexpected(m):
    sd = {"weight": m.zeros(2, 3), "bias": m.zeros(2), "extra": m.zeros(1)}
    _linear_pair(m).load_state_dict(sd)


def _load_shape(m):
    _linear_pair(m).load_state_dict({"weight": m.zeros(2, 4), "bias": m.zeros(2)})


def _load_all_wrong(m):
    net = m.nn.Sequential(m.nn.Linear(3, 2), m.nn.ReLU(), m.nn.Linear(2, 1))
    net.load_state_dict({"0.weight": m.zeros(2, 4), "0.bias": m.zeros(2), "3.weight": m.zeros(1)})


def _load_non_strict(m):
    r = _linear_pair(m).load_state_dict({"weight": m.zeros(2, 3), "x": m.zeros(1)}, strict=False)
    return (list(r.missing_keys), list(r.unexpected_keys))


def _load_not_mapping(m):
    _linear_pair(m).load_state_dict([1, 2])


def _buffer(m, name, value=None):
    mod = m.nn.Module()
    mod.register_buffer(name, m.zeros(1) if value is None else value)


def _buffer_existing(m):
    lin = m.nn.Linear(2, 2)
    lin.register_buffer("weight", m.zeros(1))


def _param_not_parameter(m):
    mod = m.nn.Module()
    mod.register_parameter("p", m.zeros(2))


def _assign_tensor_to_param(m):
    lin = m.nn.Linear(3, 2)
    lin.weight = m.zeros(2, 3)


def _add_module_bad(m):
    mod = m.nn.Module()
    mod.add_module("a.b", m.nn.ReLU())


def _add_module_not_module(m):
    mod = m.nn.Module()
    mod.add_module("a", 3)


def _module_list_append(m):
    m.nn.ModuleList().append(3)


def _module_dict_bad(m):
    m.nn.ModuleDict({"a": 3})


def _missing_attr(m):
    return m.nn.Linear(2, 2).wieght


def _save_missing_dir(m):
    m.save(m.ones(2), "/nonexistent_dir_ember/x.pt")


class _DS:
    def __len__(self):
        return 4

    def __getitem__(self, i):
        return i


def _random_split_ok(m):
    m.manual_seed(0)
    a, b = m.utils.data.random_split(range(10), [0.5, 0.5])
    return (len(a), len(b))


def _loader_iter_bad_sampler(m):
    return list(m.utils.data.DataLoader(_DS(), sampler=[0, 1, 9], batch_size=2))


def _scheduler_not_optimizer(m):
    m.optim.lr_scheduler.StepLR(object(), 1)


def _state_dict_wrong_group_count(m):
    p = m.nn.Parameter(m.ones(2))
    opt = m.optim.SGD([p], lr=0.1)
    sd = opt.state_dict()
    sd["param_groups"] = sd["param_groups"] * 2
    opt.load_state_dict(sd)


def _clip_grad_norm_nonfinite(m):
    p = m.nn.Parameter(m.ones(2))
    p.grad = m.tensor([float("inf"), 1.0])
    m.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


def _grad_assign_shape(m):
    p = m.nn.Parameter(m.ones(2))
    p.grad = m.ones(3)


def _grad_assign_dtype(m):
    p = m.nn.Parameter(m.ones(2))
    p.grad = m.ones(2, dtype=m.float64)


def _data_assign_ok(m):
    # .data may change shape (torch allows it)
    p = m.nn.Parameter(m.ones(2))
    p.data = m.ones(3)
    return p.detach()


def _lstm_bad_h0(m):
    m.nn.LSTM(3, 4)(m.ones(5, 2, 3), (m.zeros(1, 3, 4), m.zeros(1, 3, 4)))


def _gru_bad_h0(m):
    m.nn.GRU(3, 4)(m.ones(5, 2, 3), m.zeros(1, 3, 4))


def _bn_train_one(m):
    m.nn.BatchNorm1d(3)(m.ones(1, 3))


def _bn_eval_one(m):
    bn = m.nn.BatchNorm1d(3).eval()
    return bn(m.ones(1, 3))


def _grad_assign(m, g):
    p = m.nn.Parameter(m.ones(2))
    p.grad = g(m)


def _swap_saved(m):
    # the multi-line load_state_dict message of a nested model, all three kinds of error
    net = m.nn.Sequential(m.nn.Linear(2, 2), m.nn.Sequential(m.nn.Linear(2, 1)))
    sd = {
        "0.weight": m.zeros(2, 2),
        "1.0.weight": m.zeros(2, 2),
        "1.0.bias": m.zeros(1),
        "1.1.weight": m.zeros(1),
    }
    net.load_state_dict(sd)


# ------------------------------------------------------------------ more multi-step cases
def _load_linear(m, sd, strict=True):
    # load_state_dict into a Linear(2, 3): weight (3, 2), bias (3,)
    return m.nn.Linear(2, 3).load_state_dict(sd, strict=strict)


def _opt_step_no_grad(m):
    # a parameter whose .grad is None is skipped by step(), not an error
    p = m.nn.Parameter(m.ones(2))
    m.optim.SGD([p], lr=0.1).step()
    return p.detach()


def _zero_grad_none(m):
    p = m.nn.Parameter(m.ones(2))
    p.grad = m.ones(2)
    m.optim.Adam([p]).zero_grad()
    return p.grad


def _loader_len(m):
    return len(m.utils.data.DataLoader(_DS(), batch_size=3))


def _view_after_transpose(m):
    return m.ones(2, 3, 4).transpose(1, 2).view(2, 12)


# ------------------------------------------------------------------ comparison modes
# A case may name how its messages are compared, when torch's cannot be reproduced exactly:
def _refused_gist(msg):
    # torch's weights-only refusal tells the user to retry with weights_only=False, which in
    # ember would refuse again (ember never unpickles code): compare the opening and the global
    return msg.split(".")[0], "posix.getcwd" in msg


def _no_cuda_hint(msg):
    # ember adds how to get CUDA (CuPy) after torch's sentence
    return msg.split(": ember needs")[0]


TYPE_ONLY = "type"  # same exception type, message free
RAISES = "raises"  # both raise, whatever the type (torch's error there is an accident)


# ------------------------------------------------------------------ the table

CASES = [
    # --- shapes: layers
    ("linear_in_features", lambda m: m.nn.Linear(3, 2)(m.ones(4, 5))),
    (
        "F_linear_bias_shape",
        lambda m: m.nn.functional.linear(m.ones(4, 3), m.ones(2, 3), m.ones(3)),
    ),
    ("linear_1d_mismatch", lambda m: m.nn.Linear(3, 2)(m.ones(5))),
    ("linear_0d", lambda m: m.nn.Linear(3, 2)(m.tensor(1.0))),
    ("conv2d_channels", lambda m: m.nn.Conv2d(3, 4, 3)(m.ones(1, 2, 8, 8))),
    ("conv2d_2d_input", lambda m: m.nn.Conv2d(3, 4, 3)(m.ones(3, 8))),
    ("conv2d_5d_input", lambda m: m.nn.Conv2d(3, 4, 3)(m.ones(1, 1, 3, 8, 8))),
    ("conv2d_kernel_too_big", lambda m: m.nn.Conv2d(1, 1, 5)(m.ones(1, 1, 3, 3))),
    ("conv1d_channels", lambda m: m.nn.Conv1d(2, 4, 3)(m.ones(1, 3, 10))),
    ("conv1d_4d_input", lambda m: m.nn.Conv1d(2, 4, 3)(m.ones(1, 2, 3, 10))),
    ("conv2d_groups", lambda m: m.nn.Conv2d(3, 4, 3, groups=2)),
    ("conv2d_bad_padding", lambda m: m.nn.Conv2d(3, 4, 3, padding="bogus")),
    ("conv2d_same_stride", lambda m: m.nn.Conv2d(3, 4, 3, padding="same", stride=2)),
    ("conv_transpose_channels", lambda m: m.nn.ConvTranspose2d(3, 4, 3)(m.ones(1, 2, 5, 5))),
    ("maxpool_too_small", lambda m: m.nn.MaxPool2d(4)(m.ones(1, 1, 2, 2))),
    ("maxpool_pad_too_big", lambda m: m.nn.MaxPool2d(2, padding=2)(m.ones(1, 1, 8, 8))),
    ("maxpool2d_2d_input", lambda m: m.nn.MaxPool2d(2)(m.ones(4, 4))),
    ("maxpool1d_1d_input", lambda m: m.nn.MaxPool1d(2)(m.ones(4))),
    ("avgpool1d_1d_input", lambda m: m.nn.AvgPool1d(2)(m.ones(4))),
    ("avgpool2d_5d_input", lambda m: m.nn.AvgPool2d(2)(m.ones(1, 1, 1, 4, 4))),
    ("adaptive_avg2d_2d_input", lambda m: m.nn.AdaptiveAvgPool2d(2)(m.ones(4, 4))),
    ("adaptive_avg2d_tuple_2d_input", lambda m: m.nn.AdaptiveAvgPool2d((2, 2))(m.ones(4, 4))),
    ("adaptive_max2d_5d_input", lambda m: m.nn.AdaptiveMaxPool2d(2)(m.ones(1, 1, 1, 4, 4))),
    ("adaptive_avg1d_1d_input", lambda m: m.nn.AdaptiveAvgPool1d(2)(m.ones(4))),
    ("adaptive_avg2d_unbatched_ok", lambda m: m.nn.AdaptiveAvgPool2d(2)(m.ones(1, 4, 4))),
    ("avgpool_2d_input", lambda m: m.nn.AvgPool2d(2)(m.ones(4, 4))),
    ("bn1d_features", lambda m: m.nn.BatchNorm1d(3)(m.ones(4, 5))),
    ("bn2d_3d_input", lambda m: m.nn.BatchNorm2d(3)(m.ones(3, 4, 4))),
    ("bn1d_4d_input", lambda m: m.nn.BatchNorm1d(3)(m.ones(2, 3, 4, 4))),
    ("bn_train_batch_one", _bn_train_one),
    ("bn_eval_batch_one_ok", _bn_eval_one),
    ("layernorm_shape", lambda m: m.nn.LayerNorm(4)(m.ones(2, 3))),
    ("groupnorm_divisible", lambda m: m.nn.GroupNorm(3, 4)),
    ("groupnorm_channels", lambda m: m.nn.GroupNorm(2, 4)(m.ones(2, 6, 3))),
    ("lstm_input_size", lambda m: m.nn.LSTM(3, 4)(m.ones(5, 2, 6))),
    ("lstm_4d_input", lambda m: m.nn.LSTM(3, 4)(m.ones(5, 2, 3, 1))),
    ("lstm_bad_h0", _lstm_bad_h0),
    ("gru_bad_h0", _gru_bad_h0),
    ("rnn_bad_nonlinearity", lambda m: m.nn.RNN(3, 4, nonlinearity="sigmoid")),
    ("lstm_dropout_one_layer_ok", lambda m: m.nn.LSTM(3, 4, dropout=0.5).num_layers),
    ("embedding_oob", lambda m: m.nn.Embedding(5, 2)(m.tensor([5]))),
    ("embedding_negative", lambda m: m.nn.Embedding(5, 2)(m.tensor([-1]))),
    ("embedding_float_index", lambda m: m.nn.Embedding(5, 2)(m.tensor([1.0]))),
    ("embedding_padding_idx", lambda m: m.nn.Embedding(5, 2, padding_idx=5)),
    ("mha_embed_dim_heads", lambda m: m.nn.MultiheadAttention(10, 3)),
    ("unflatten_bad", lambda m: m.nn.Unflatten(1, (2, 2))(m.ones(3, 5))),
    ("pixel_shuffle_bad", lambda m: m.nn.PixelShuffle(2)(m.ones(1, 3, 2, 2))),
    # --- shapes: ops
    ("matmul_2d", lambda m: m.ones(2, 3) @ m.ones(4, 5)),
    ("mm", lambda m: m.mm(m.ones(2, 3), m.ones(4, 5))),
    ("mm_1d", lambda m: m.mm(m.ones(3), m.ones(3, 2))),
    ("bmm_batch", lambda m: m.bmm(m.ones(2, 2, 3), m.ones(3, 3, 4))),
    ("bmm_inner", lambda m: m.bmm(m.ones(2, 2, 3), m.ones(2, 4, 4))),
    ("bmm_2d", lambda m: m.bmm(m.ones(2, 3), m.ones(3, 4))),
    ("mv", lambda m: m.mv(m.ones(2, 3), m.ones(4))),
    ("mv_2d_vec", lambda m: m.mv(m.ones(2, 3), m.ones(3, 1))),
    ("dot_size", lambda m: m.dot(m.ones(3), m.ones(4))),
    ("dot_2d", lambda m: m.dot(m.ones(2, 2), m.ones(2, 2))),
    ("matmul_1d_1d", lambda m: m.ones(3) @ m.ones(4)),
    ("matmul_batched_broadcast", lambda m: m.ones(2, 3, 4) @ m.ones(3, 4, 5)),
    ("matmul_0d", lambda m: m.matmul(m.tensor(1.0), m.ones(2))),
    ("matmul_2d_1d", lambda m: m.ones(2, 3) @ m.ones(4)),
    ("outer_2d_ok", lambda m: m.outer(m.ones(2), m.ones(3))),
    ("addmm_shape", lambda m: m.addmm(m.ones(3, 3), m.ones(2, 3), m.ones(3, 4))),
    ("cat_sizes", lambda m: m.cat([m.ones(2, 3), m.ones(2, 4)])),
    ("cat_ndim", lambda m: m.cat([m.ones(2, 3), m.ones(3)])),
    ("cat_empty", lambda m: m.cat([])),
    ("cat_bad_dim", lambda m: m.cat([m.ones(2, 3), m.ones(2, 3)], dim=2)),
    ("cat_0d", lambda m: m.cat([m.tensor(1.0), m.tensor(2.0)])),
    ("cat_not_tensor", lambda m: m.cat([m.ones(2), [1.0]])),
    ("stack_not_tensor", lambda m: m.stack([m.ones(2), 3])),
    ("cat_mixed_dtype_ok", lambda m: m.cat([m.ones(2), m.ones(2, dtype=m.float64)])),
    ("cat_int_float_ok", lambda m: m.cat([m.ones(2, dtype=m.long), m.ones(2)])),
    ("cat_empty_1d_ok", lambda m: m.cat([m.ones(2, 3), m.ones(0)])),
    ("stack_sizes", lambda m: m.stack([m.ones(2), m.ones(3)])),
    ("stack_empty", lambda m: m.stack([])),
    ("stack_bad_dim", lambda m: m.stack([m.ones(2), m.ones(2)], dim=3)),
    ("stack_mixed_dtype_ok", lambda m: m.stack([m.ones(2, dtype=m.int32), m.ones(2)])),
    ("view_size", lambda m: m.ones(2, 3).view(4)),
    ("view_two_infer", lambda m: m.ones(2, 3).view(-1, -1)),
    ("view_noncontiguous", lambda m: m.ones(2, 3).t().view(6)),
    ("view_noncontiguous_ok", lambda m: m.ones(2, 3).t().view(3, 2)),
    ("view_dtype_bad", lambda m: m.ones(3).view(m.float64)),
    ("view_dtype_stride", lambda m: m.ones(2, 3).t().view(m.float64)),
    ("view_dtype_0d", lambda m: m.tensor(1.0).view(m.float64)),
    ("view_dtype_smaller_ok", lambda m: m.ones(3).view(m.int16).shape),
    ("view_zero_elements_infer", lambda m: m.ones(0).view(-1, 0)),
    ("view_negative_second", lambda m: m.ones(6).view(2, -2, -1)),
    ("reshape_size", lambda m: m.ones(2, 3).reshape(4, -1)),
    ("reshape_negative", lambda m: m.ones(2, 3).reshape(-2, 3)),
    ("reshape_noncontiguous_ok", lambda m: m.arange(6).view(2, 3).t().reshape(6)),
    ("expand_size", lambda m: m.ones(2, 3).expand(4, 3)),
    ("expand_fewer_dims", lambda m: m.ones(2, 3).expand(3)),
    ("expand_negative_new_dim", lambda m: m.ones(3).expand(-1, 3)),
    ("expand_two_mismatches", lambda m: m.ones(2, 3).expand(4, 5)),
    ("broadcast_add", lambda m: m.ones(2, 3) + m.ones(4)),
    ("broadcast_mul_3d", lambda m: m.ones(2, 3, 4) * m.ones(3, 2, 4)),
    ("broadcast_to", lambda m: m.broadcast_to(m.ones(3), (2, 4))),
    ("broadcast_tensors", lambda m: m.broadcast_tensors(m.ones(2, 3), m.ones(2))),
    (
        "broadcast_tensors_three",
        lambda m: m.broadcast_tensors(m.ones(3), m.ones(2, 1), m.ones(4, 1, 1, 2)),
    ),
    ("broadcast_shapes", lambda m: m.broadcast_shapes((2, 3), (4,))),
    ("where_broadcast", lambda m: m.where(m.ones(3) > 0, m.ones(2), m.ones(3))),
    ("einsum_size", lambda m: m.einsum("ij,jk->ik", m.ones(2, 3), m.ones(4, 5))),
    ("einsum_operands", lambda m: m.einsum("ij->ij", m.ones(2, 3), m.ones(2, 3))),
    ("einsum_too_few_operands", lambda m: m.einsum("ij,jk->ik", m.ones(2, 3))),
    ("einsum_subscripts", lambda m: m.einsum("ij->i", m.ones(3))),
    ("einsum_output_not_in_input", lambda m: m.einsum("ij->k", m.ones(2, 3))),
    ("scatter_oob", lambda m: m.zeros(3).scatter(0, m.tensor([5]), m.ones(1))),
    ("scatter_float_index", lambda m: m.zeros(3).scatter(0, m.tensor([1.0]), m.ones(1))),
    (
        "scatter_int32_index_ok",
        lambda m: m.zeros(3).scatter(0, m.tensor([1], dtype=m.int32), m.ones(1)),
    ),
    ("scatter_ndim", lambda m: m.zeros(3, 3).scatter(0, m.tensor([0]), m.ones(1))),
    (
        "scatter_src_dtype",
        lambda m: m.zeros(3).scatter(0, m.tensor([0]), m.ones(1, dtype=m.float64)),
    ),
    ("scatter_add_oob", lambda m: m.zeros(3).scatter_add(0, m.tensor([3]), m.ones(1))),
    ("gather_oob", lambda m: m.ones(3).gather(0, m.tensor([3]))),
    ("gather_ndim", lambda m: m.ones(3, 3).gather(0, m.tensor([0]))),
    ("gather_int32_index", lambda m: m.ones(3).gather(0, m.tensor([0], dtype=m.int32))),
    ("gather_bad_dim", lambda m: m.ones(3).gather(1, m.tensor([0]))),
    ("gather_index_too_big", lambda m: m.ones(2, 2).gather(1, m.zeros(3, 1, dtype=m.long))),
    ("index_select_oob", lambda m: m.ones(3).index_select(0, m.tensor([3]))),
    ("index_select_oob_dim1", lambda m: m.ones(2, 3).index_select(1, m.tensor([3]))),
    ("index_select_negative_dim1", lambda m: m.ones(2, 3).index_select(1, m.tensor([-1]))),
    ("index_select_oob_dim2", lambda m: m.ones(2, 3, 4).index_select(2, m.tensor([4]))),
    ("index_select_float", lambda m: m.ones(3).index_select(0, m.tensor([1.0]))),
    ("index_select_2d_index", lambda m: m.ones(3).index_select(0, m.tensor([[0]]))),
    ("index_add_shape", lambda m: m.zeros(3, 2).index_add(0, m.tensor([0]), m.ones(1, 3))),
    ("masked_fill_long_mask", lambda m: m.ones(3).masked_fill(m.tensor([1, 0, 1]), 0.0)),
    ("masked_fill_shape", lambda m: m.ones(3).masked_fill(m.tensor([True, False]), 0.0)),
    ("masked_fill_value_1d", lambda m: m.ones(3).masked_fill(m.ones(3) > 0, m.ones(3))),
    ("masked_fill_inplace_broadcast", lambda m: m.ones(3).masked_fill_(m.ones(2, 3) > 0, 0.0)),
    ("masked_select_shape", lambda m: m.masked_select(m.ones(3), m.tensor([True, False]))),
    ("squeeze_dim", lambda m: m.ones(2, 3).squeeze(2)),
    ("squeeze_non_one_ok", lambda m: m.ones(2, 3).squeeze(0)),
    ("unsqueeze_dim", lambda m: m.ones(2, 3).unsqueeze(3)),
    ("transpose_dim", lambda m: m.ones(2, 3).transpose(0, 2)),
    ("transpose_negative_dim", lambda m: m.ones(2, 3).transpose(-3, 0)),
    ("t_3d", lambda m: m.ones(2, 3, 4).t()),
    ("permute_count", lambda m: m.ones(2, 3).permute(0)),
    ("permute_repeated", lambda m: m.ones(2, 3).permute(0, 0)),
    ("permute_dim", lambda m: m.ones(2, 3).permute(0, 2)),
    ("sum_dim", lambda m: m.ones(2, 3).sum(2)),
    ("sum_0d_dim", lambda m: m.tensor(1.0).sum(1)),
    ("sum_0d_dim0_ok", lambda m: m.tensor(1.0).sum(0)),
    ("softmax_dim", lambda m: m.ones(2, 3).softmax(dim=2)),
    ("argmax_dim", lambda m: m.ones(2, 3).argmax(dim=-3)),
    ("max_empty", lambda m: m.ones(0).max()),
    ("argmax_empty", lambda m: m.ones(0).argmax()),
    ("max_dim_empty", lambda m: m.ones(2, 0).max(dim=1)),
    ("split_zero", lambda m: m.ones(4).split(0)),
    ("chunk_zero", lambda m: m.ones(4).chunk(0)),
    ("narrow_oob", lambda m: m.ones(4).narrow(0, 3, 2)),
    ("flatten_dims", lambda m: m.ones(2, 3, 4).flatten(2, 1)),
    ("repeat_fewer", lambda m: m.ones(2, 3).repeat(2)),
    ("topk_too_big", lambda m: m.ones(3).topk(4)),
    ("kthvalue_oob", lambda m: m.ones(3).kthvalue(4)),
    ("unbind_dim", lambda m: m.ones(2).unbind(1)),
    ("select_oob", lambda m: m.ones(2, 3).select(1, 3)),
    ("movedim_repeated", lambda m: m.ones(2, 3).movedim((0, 1), (0, 0))),
    ("roll_shifts_dims", lambda m: m.ones(3).roll((1, 2), (0,))),
    ("diag_3d", lambda m: m.diag(m.ones(2, 2, 2))),
    ("cross_size", lambda m: m.linalg.cross(m.ones(2), m.ones(2))),
    ("inverse_nonsquare", lambda m: m.linalg.inv(m.ones(2, 3))),
    ("inverse_singular", lambda m: m.linalg.inv(m.zeros(2, 2))),
    ("cholesky_not_pd", lambda m: m.linalg.cholesky(-m.eye(2))),
    ("det_int", lambda m: m.linalg.det(m.ones(2, 2, dtype=m.long))),
    # --- dtypes
    (
        "ce_float_target",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0.0, 1.0])),
    ),
    (
        "ce_probs_int_target",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.ones(2, 3, dtype=m.long)),
    ),
    (
        "ce_int_logits",
        lambda m: m.nn.CrossEntropyLoss()(m.ones(2, 3, dtype=m.long), m.tensor([0, 1])),
    ),
    ("ce_batch", lambda m: m.nn.functional.cross_entropy(m.ones(4, 3), m.tensor([0, 1]))),
    ("ce_target_oob", lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0, 3]))),
    (
        "ce_target_negative",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0, -2])),
    ),
    ("ce_target_2d", lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([[0], [1]]))),
    (
        "ce_int32_target",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0, 1], dtype=m.int32)),
    ),
    (
        "ce_prob_target_ok",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.full((2, 3), 1 / 3)),
    ),
    (
        "ce_weight_size",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0, 1]), weight=m.ones(2)),
    ),
    ("nll_float_target", lambda m: m.nn.functional.nll_loss(m.ones(2, 3), m.tensor([0.0, 1.0]))),
    ("nll_target_oob", lambda m: m.nn.functional.nll_loss(m.ones(2, 3), m.tensor([0, 3]))),
    ("nll_batch", lambda m: m.nn.NLLLoss()(m.ones(3, 3), m.tensor([0, 1]))),
    (
        "nll_3d_target",
        lambda m: m.nn.functional.nll_loss(m.ones(2, 3, 4), m.zeros(2, 5, dtype=m.long)),
    ),
    ("nll_1d_ok", lambda m: m.nn.functional.nll_loss(m.tensor([0.2, 0.3]), m.tensor(1))),
    (
        "ce_int_logits_3d",
        lambda m: m.nn.functional.cross_entropy(
            m.ones(2, 3, 4, dtype=m.long), m.zeros(2, 4, dtype=m.long)
        ),
    ),
    (
        "ce_int_logits_probs",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3, dtype=m.long), m.ones(2, 3)),
    ),
    (
        "ce_weight_2d",
        lambda m: m.nn.functional.cross_entropy(
            m.ones(2, 3), m.tensor([0, 1]), weight=m.ones(3, 1)
        ),
    ),
    (
        "ce_weight_probs",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.ones(2, 3), weight=m.ones(2)),
    ),
    (
        "ce_weight_4d",
        lambda m: m.nn.functional.cross_entropy(
            m.ones(2, 3, 4, 4), m.zeros(2, 4, 4, dtype=m.long), weight=m.ones(2)
        ),
    ),
    (
        "nll_int_input",
        lambda m: m.nn.functional.nll_loss(m.ones(2, 3, dtype=m.long), m.tensor([0, 1])),
    ),
    (
        "nll_weight_size",
        lambda m: m.nn.functional.nll_loss(m.ones(2, 3), m.tensor([0, 1]), weight=m.ones(4)),
    ),
    ("bce_input_range", lambda m: m.nn.BCELoss()(m.tensor([1.5, 0.5]), m.tensor([1.0, 0.0]))),
    ("bce_target_range_ok", lambda m: m.nn.BCELoss()(m.tensor([0.5, 0.5]), m.tensor([2.0, -1.0]))),
    ("bce_shape", lambda m: m.nn.BCELoss()(m.full((3, 1), 0.5), m.ones(3))),
    ("bce_long_target", lambda m: m.nn.BCELoss()(m.full((3,), 0.5), m.ones(3, dtype=m.long))),
    ("bce_logits_shape", lambda m: m.nn.BCEWithLogitsLoss()(m.ones(3, 1), m.ones(3))),
    (
        "bce_logits_long_target",
        lambda m: m.nn.BCEWithLogitsLoss()(m.ones(3), m.ones(3, dtype=m.long)),
    ),
    (
        "bce_double_target",
        lambda m: m.nn.functional.binary_cross_entropy(
            m.full((3,), 0.5), m.ones(3, dtype=m.float64)
        ),
    ),
    (
        "bce_long_input",
        lambda m: m.nn.functional.binary_cross_entropy(m.ones(3, dtype=m.long), m.ones(3)),
    ),
    (
        "bce_double_weight_ok",
        lambda m: m.nn.functional.binary_cross_entropy(
            m.full((3,), 0.5), m.ones(3), weight=m.ones(3, dtype=m.float64)
        ),
    ),
    (
        "bce_logits_double_target_ok",
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(
            m.ones(3), m.ones(3, dtype=m.float64)
        ),
    ),
    (
        "bce_logits_long_input",
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(
            m.ones(3, dtype=m.long), m.ones(3)
        ),
    ),
    (
        "bce_logits_bool_target",
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(
            m.ones(3), m.ones(3, dtype=m.bool)
        ),
    ),
    ("mse_broadcast_fail", lambda m: m.nn.MSELoss()(m.ones(3), m.ones(4))),
    ("mse_broadcast_ok", lambda m: m.nn.MSELoss()(m.ones(3, 1), m.zeros(3))),
    ("mse_long", lambda m: m.nn.MSELoss()(m.ones(3, dtype=m.long), m.zeros(3, dtype=m.long))),
    ("mse_mixed_dtype", lambda m: m.nn.functional.mse_loss(m.ones(3), m.zeros(3, dtype=m.float64))),
    ("mse_long_float_ok", lambda m: m.nn.functional.mse_loss(m.ones(3, dtype=m.long), m.ones(3))),
    ("mse_float_long_ok", lambda m: m.nn.functional.mse_loss(m.ones(3), m.ones(3, dtype=m.long))),
    (
        "mse_int32_none",
        lambda m: m.nn.functional.mse_loss(
            m.ones(3, dtype=m.int32), m.ones(3, dtype=m.int32), reduction="none"
        ),
    ),
    (
        "l1_long",
        lambda m: m.nn.functional.l1_loss(m.ones(3, dtype=m.long), m.ones(3, dtype=m.long)),
    ),
    (
        "smooth_l1_long",
        lambda m: m.nn.functional.smooth_l1_loss(m.ones(3, dtype=m.long), m.ones(3, dtype=m.long)),
    ),
    (
        "huber_long",
        lambda m: m.nn.functional.huber_loss(m.ones(3, dtype=m.long), m.ones(3, dtype=m.long)),
    ),
    ("l1_bad_reduction", lambda m: m.nn.functional.l1_loss(m.ones(3), m.ones(3), reduction="avg")),
    (
        "kl_div_ok",
        lambda m: m.nn.functional.kl_div(m.zeros(3), m.ones(3) / 3, reduction="batchmean"),
    ),
    ("mean_int", lambda m: m.ones(3, dtype=m.long).mean()),
    ("mean_int_dim", lambda m: m.ones(3, 2, dtype=m.int32).mean(0)),
    ("mean_int_dtype_ok", lambda m: m.ones(3, dtype=m.long).mean(dtype=m.float32)),
    ("std_int", lambda m: m.ones(3, dtype=m.long).std()),
    ("softmax_int", lambda m: m.ones(3, dtype=m.long).softmax(0)),
    ("log_softmax_int", lambda m: m.ones(3, dtype=m.long).log_softmax(0)),
    ("softmax_int_dim0", lambda m: m.ones(3, 2, dtype=m.long).softmax(0)),
    ("log_softmax_int_dim0", lambda m: m.ones(3, 2, dtype=m.long).log_softmax(0)),
    ("softmax_bool", lambda m: m.ones(3, dtype=m.bool).softmax(0)),
    ("sqrt_int_ok", lambda m: m.tensor([4, 9]).sqrt()),
    ("requires_grad_int", lambda m: m.ones(3, dtype=m.long, requires_grad=True)),
    ("requires_grad_int_tensor", lambda m: m.tensor([1, 2], requires_grad=True)),
    ("requires_grad__int", lambda m: m.tensor([1, 2]).requires_grad_()),
    ("parameter_int", lambda m: m.nn.Parameter(m.tensor([1, 2]))),
    ("parameter_int_no_grad_ok", lambda m: m.nn.Parameter(m.tensor([1, 2]), requires_grad=False)),
    ("tensor_ragged", lambda m: m.tensor([[1, 2], [3]])),
    ("tensor_ragged_deep", lambda m: m.tensor([[[1, 2]], [[3, 4], [5, 6]]])),
    ("tensor_ragged_scalar", lambda m: m.tensor([[1, 2], 3])),
    ("tensor_string", lambda m: m.tensor("abc")),
    ("tensor_none", lambda m: m.tensor([1, None])),
    ("tensor_of_tensors", lambda m: m.tensor([m.ones(2), m.ones(2)])),
    ("tensor_of_0d_tensors_ok", lambda m: m.tensor([m.tensor(1.0), m.tensor(2.0)])),
    ("tensor_mixed_types_ok", lambda m: m.tensor([1, 2.5, True])),
    ("tensor_overflow", lambda m: m.tensor([300], dtype=m.uint8)),
    ("tensor_big_int", lambda m: m.tensor([2**64])),
    ("tensor_overflow_scalar", lambda m: m.tensor(300, dtype=m.uint8)),
    ("tensor_overflow_int32", lambda m: m.tensor([[2**40, 1]], dtype=m.int32)),
    ("tensor_inf_to_int", lambda m: m.tensor([float("inf")], dtype=m.long)),
    ("tensor_nan_to_int", lambda m: m.tensor([float("nan")], dtype=m.int32)),
    ("tensor_uint8_wraps_ok", lambda m: m.tensor([-1, 2.0, -100], dtype=m.uint8)),
    ("tensor_big_int_to_float_ok", lambda m: m.tensor([2**64], dtype=m.float32)),
    ("full_overflow", lambda m: m.full((2,), 300, dtype=m.uint8)),
    ("full_overflow_int32", lambda m: m.full((2,), 2**40, dtype=m.int32)),
    ("full_nan_to_int", lambda m: m.full((2,), float("nan"), dtype=m.int64)),
    ("full_negative_float_uint8", lambda m: m.full((2,), -1.7, dtype=m.uint8)),
    ("full_uint8_wraps_ok", lambda m: m.full((2,), -1, dtype=m.uint8)),
    ("fill_overflow", lambda m: m.ones(2, dtype=m.uint8).fill_(300)),
    ("fill_inf_to_int", lambda m: m.ones(2, dtype=m.int32).fill_(float("inf"))),
    ("fill_float_to_int_ok", lambda m: m.ones(2, dtype=m.int32).fill_(2.5)),
    ("matmul_float_double", lambda m: m.ones(2, 2) @ m.ones(2, 2, dtype=m.float64)),
    ("matmul_float_long", lambda m: m.ones(2, 2) @ m.ones(2, 2, dtype=m.long)),
    ("mm_float_double", lambda m: m.mm(m.ones(2, 2), m.ones(2, 2, dtype=m.float64))),
    ("bmm_dtype", lambda m: m.bmm(m.ones(1, 2, 2), m.ones(1, 2, 2, dtype=m.float64))),
    ("mv_dtype", lambda m: m.mv(m.ones(2, 2), m.ones(2, dtype=m.float64))),
    ("dot_dtype", lambda m: m.dot(m.ones(2), m.ones(2, dtype=m.float64))),
    ("matmul_1d_dtype", lambda m: m.ones(2) @ m.ones(2, dtype=m.float64)),
    ("linear_double_input", lambda m: m.nn.Linear(2, 2)(m.ones(1, 2, dtype=m.float64))),
    ("conv_double_input", lambda m: m.nn.Conv1d(1, 1, 2)(m.ones(1, 1, 4, dtype=m.float64))),
    ("embedding_int32_ok", lambda m: m.nn.Embedding(3, 2)(m.tensor([1], dtype=m.int32)).shape),
    ("where_cond_float", lambda m: m.where(m.ones(2), m.ones(2), m.zeros(2))),
    ("int_iadd_float", _int_inplace_float),
    ("int_imul_float_tensor", _int_inplace_float_tensor),
    ("bool_iadd_int", _bool_inplace_int),
    ("int_sqrt_", lambda m: m.tensor([4, 9]).sqrt_()),
    ("int_div_", lambda m: m.tensor([4, 9]).div_(2)),
    ("int_floordiv_ok", lambda m: m.tensor([4, 9]).floor_divide_(2)),
    ("int_add_float_ok", lambda m: m.ones(3, dtype=m.long) + 1.5),
    ("int_true_div_ok", lambda m: m.ones(3, dtype=m.long) / 2),
    ("float_iadd_double_ok", lambda m: m.ones(2).add_(m.ones(2, dtype=m.float64))),
    ("inplace_broadcast_out", _inplace_broadcast_out),
    ("bitwise_float", lambda m: m.ones(2) & m.ones(2)),
    ("lshift_float", lambda m: m.ones(2) << 1),
    ("invert_float", lambda m: ~m.ones(2)),
    ("neg_bool", lambda m: -m.tensor([True])),
    ("sub_bool", lambda m: m.tensor([True]) - m.tensor([False])),
    ("remainder_int_zero", lambda m: m.tensor([1]) % 0),
    ("int_div_zero", lambda m: m.tensor([1]) // 0),
    ("to_bad_dtype", lambda m: m.ones(2).to("float32")),
    ("type_bad", lambda m: m.ones(2).type("torch.Bogus")),
    ("type_short_name", lambda m: m.ones(2).type("FloatTensor")),
    ("type_dtype_string", lambda m: m.ones(2).type("torch.float32")),
    ("type_python_float", lambda m: m.ones(2).type(float)),
    ("type_long_ok", lambda m: m.ones(2).type("torch.LongTensor")),
    ("device_digits", lambda m: m.device("float32")),
    ("device_empty", lambda m: m.device("")),
    ("device_leading_zero", lambda m: m.device("cuda:01")),
    ("device_unknown", lambda m: m.device("gpu")),
    ("device_negative_index", lambda m: m.ones(2).to("cuda:-1")),
    ("numpy_meta", lambda m: m.ones(2, device="meta").numpy()),
    # --- indexing
    ("index_oob_axis0", lambda m: m.ones(3)[3]),
    ("index_oob_axis1", lambda m: m.ones(2, 3)[:, 3]),
    ("index_oob_negative", lambda m: m.ones(2, 3)[-3]),
    ("index_oob_axis2", lambda m: m.ones(2, 3, 4)[0, 0, 4]),
    ("index_too_many", lambda m: m.ones(2, 3)[0, 0, 0]),
    ("index_too_many_slices", lambda m: m.ones(2)[:, :]),
    ("index_bool_mask_shape", lambda m: m.ones(3)[m.tensor([True, False])]),
    ("index_bool_mask_2d_shape", lambda m: m.ones(2, 3)[m.ones(3, 2) > 0]),
    ("index_tensor_oob", lambda m: m.ones(3)[m.tensor([5])]),
    ("index_tensor_oob_axis1", lambda m: m.ones(2, 3)[:, m.tensor([3])]),
    ("index_list_oob", lambda m: m.ones(3)[[0, 4]]),
    ("index_float_tensor", lambda m: m.ones(3)[m.tensor([1.0])]),
    ("index_float", lambda m: m.ones(3)[1.0]),
    ("index_str", lambda m: m.ones(3)["a"]),
    ("index_0d", lambda m: m.tensor(1.0)[0]),
    ("index_advanced_broadcast", lambda m: m.ones(3, 3)[m.tensor([0, 1]), m.tensor([0, 1, 2])]),
    ("index_two_ellipsis", lambda m: m.ones(3)[..., ...]),
    ("index_ellipsis_twice_around_ok", lambda m: m.ones(2, 3)[..., 0, ...]),
    ("index_ellipsis_twice_trailing_ok", lambda m: m.ones(2, 3, 4)[0, ..., 1, ...]),
    ("index_bytes", lambda m: m.ones(3)[b"a"]),
    ("index_set", lambda m: m.ones(3)[{1}]),
    ("index_step_negative", lambda m: m.ones(3)[::-1]),
    ("index_step_zero", lambda m: m.ones(3)[::0]),
    ("index_slice_oob_ok", lambda m: m.ones(3)[1:10]),
    ("index_none_ok", lambda m: m.ones(3)[None, 1:]),
    ("setitem_shape", _setitem_shape),
    ("setitem_oob", _setitem_oob),
    ("size_oob", lambda m: m.ones(2, 3).size(2)),
    ("shape_oob", lambda m: m.ones(2, 3).shape[2]),
    ("item_multi", lambda m: m.ones(2).item()),
    ("item_empty", lambda m: m.ones(0).item()),
    ("int_multi", lambda m: int(m.ones(2))),
    ("float_multi", lambda m: float(m.ones(2))),
    ("float_empty", lambda m: float(m.ones(0))),
    ("bool_multi", lambda m: bool(m.ones(2))),
    ("bool_empty", lambda m: bool(m.ones(0))),
    ("len_0d", lambda m: len(m.tensor(1.0))),
    ("iter_0d", lambda m: iter(m.tensor(1.0))),
    ("for_0d", lambda m: [v for v in m.tensor(1.0)]),
    ("index_of_list_multi", lambda m: [1, 2, 3][m.tensor([1, 2])]),
    ("index_of_list_float", lambda m: [1, 2, 3][m.tensor(1.0)]),
    ("range_of_tensor_ok", lambda m: list(range(m.tensor(3)))),
    ("int_1elem_ok", lambda m: int(m.tensor([[2.7]]))),
    # --- autograd
    ("backward_twice", _backward_twice),
    ("grad_twice", _grad_twice),
    ("backward_nonscalar", _backward_nonscalar),
    ("backward_no_grad_result", _backward_no_grad),
    ("backward_plain_tensor", _backward_plain),
    ("backward_gradient_shape", _backward_bad_gradient_shape),
    ("grad_input_not_requiring", _grad_input_no_grad),
    ("grad_output_not_requiring", _grad_output_no_grad),
    ("grad_unused", _grad_unused),
    ("grad_allow_unused_ok", _grad_allow_unused),
    ("inplace_leaf", _inplace_leaf),
    ("inplace_leaf_view", _inplace_leaf_view),
    ("inplace_leaf_no_grad_ok", _inplace_leaf_no_grad),
    ("modified_saved_output", _modified_saved_output),
    ("modified_saved_input", _modified_saved_input),
    ("modified_saved_sigmoid", _modified_saved_sigmoid),
    ("numpy_requires_grad", _numpy_requires_grad),
    ("numpy_nonleaf", _numpy_nonleaf),
    ("requires_grad_nonleaf", _requires_grad_nonleaf),
    ("hook_no_grad", _hook_no_grad),
    ("nonleaf_grad_none_ok", _nonleaf_grad_is_none),
    ("retain_graph_ok", _retain_graph_ok),
    ("grad_assign_shape", _grad_assign_shape),
    ("grad_assign_dtype", _grad_assign_dtype),
    ("grad_assign_not_tensor", lambda m: _grad_assign(m, lambda m: 3)),
    ("grad_assign_0d", lambda m: _grad_assign(m, lambda m: m.tensor(1.0))),
    ("grad_assign_half", lambda m: _grad_assign(m, lambda m: m.ones(2, dtype=m.float16))),
    ("grad_assign_long", lambda m: _grad_assign(m, lambda m: m.ones(2, dtype=m.long))),
    ("grad_assign_none_ok", lambda m: _grad_assign(m, lambda m: None)),
    ("data_assign_ok", _data_assign_ok),
    # --- nn, optim, data
    ("optimizer_nonleaf", _optimizer_nonleaf),
    ("optimizer_no_grad_param_ok", _optimizer_no_grad_param),
    ("optimizer_empty", lambda m: m.optim.SGD([], lr=0.1)),
    ("optimizer_tensor_not_iterable", lambda m: m.optim.SGD(m.ones(2), lr=0.1)),
    ("optimizer_duplicate", _optimizer_duplicate),
    ("sgd_negative_lr", lambda m: m.optim.SGD([m.nn.Parameter(m.ones(2))], lr=-0.1)),
    (
        "sgd_negative_momentum",
        lambda m: m.optim.SGD([m.nn.Parameter(m.ones(2))], lr=0.1, momentum=-1),
    ),
    ("sgd_nesterov", lambda m: m.optim.SGD([m.nn.Parameter(m.ones(2))], lr=0.1, nesterov=True)),
    ("adam_negative_lr", lambda m: m.optim.Adam([m.nn.Parameter(m.ones(2))], lr=-1.0)),
    ("adam_beta", lambda m: m.optim.Adam([m.nn.Parameter(m.ones(2))], betas=(1.5, 0.9))),
    ("adam_eps", lambda m: m.optim.Adam([m.nn.Parameter(m.ones(2))], eps=-1.0)),
    ("adamw_weight_decay", lambda m: m.optim.AdamW([m.nn.Parameter(m.ones(2))], weight_decay=-1.0)),
    ("optim_state_dict_groups", _state_dict_wrong_group_count),
    ("scheduler_not_optimizer", _scheduler_not_optimizer),
    ("load_state_dict_missing", _load_missing),
    ("load_state_dict_unexpected", _load_unexpected),
    ("load_state_dict_shape", _load_shape),
    ("load_state_dict_all_wrong", _load_all_wrong),
    ("load_state_dict_nested", _swap_saved),
    ("load_state_dict_non_strict_ok", _load_non_strict),
    ("load_state_dict_not_mapping", _load_not_mapping),
    ("register_buffer_dot", lambda m: _buffer(m, "a.b")),
    ("register_buffer_empty", lambda m: _buffer(m, "")),
    ("register_buffer_not_str", lambda m: _buffer(m, 3)),
    ("register_buffer_not_tensor", lambda m: _buffer(m, "b", 3)),
    ("register_buffer_existing", _buffer_existing),
    ("register_parameter_tensor", _param_not_parameter),
    ("assign_tensor_to_param", _assign_tensor_to_param),
    ("add_module_dot", _add_module_bad),
    ("add_module_not_module", _add_module_not_module),
    ("module_missing_attr", _missing_attr),
    ("sequential_index", lambda m: m.nn.Sequential(m.nn.ReLU())[5]),
    ("sequential_negative_index", lambda m: m.nn.Sequential(m.nn.ReLU())[-2]),
    ("module_list_index", lambda m: m.nn.ModuleList([m.nn.ReLU()])[3]),
    ("module_list_append", _module_list_append),
    ("module_list_ctor", lambda m: m.nn.ModuleList([m.nn.ReLU(), 3])),
    ("module_dict_value", _module_dict_bad),
    ("module_dict_missing", lambda m: m.nn.ModuleDict({"a": m.nn.ReLU()})["b"]),
    ("parameter_list_bad", lambda m: m.nn.ParameterList([3])),
    ("linear_negative", lambda m: m.nn.Linear(-1, 3)),
    ("dropout_p", lambda m: m.nn.Dropout(1.5)),
    ("F_dropout_p", lambda m: m.nn.functional.dropout(m.ones(2), p=-0.1)),
    ("clip_grad_nonfinite", _clip_grad_norm_nonfinite),
    ("loader_batch_zero", lambda m: m.utils.data.DataLoader(_DS(), batch_size=0)),
    ("loader_batch_negative", lambda m: m.utils.data.DataLoader(_DS(), batch_size=-2)),
    (
        "loader_shuffle_sampler",
        lambda m: m.utils.data.DataLoader(_DS(), shuffle=True, sampler=[0, 1]),
    ),
    (
        "loader_batch_sampler_batch_size",
        lambda m: m.utils.data.DataLoader(_DS(), batch_size=2, batch_sampler=[[0, 1]]),
    ),
    (
        "loader_batch_sampler_drop_last",
        lambda m: m.utils.data.DataLoader(_DS(), batch_sampler=[[0]], drop_last=True),
    ),
    (
        "loader_drop_last_no_batch",
        lambda m: m.utils.data.DataLoader(_DS(), batch_size=None, drop_last=True),
    ),
    ("loader_workers_negative", lambda m: m.utils.data.DataLoader(_DS(), num_workers=-1)),
    ("loader_prefetch_no_workers", lambda m: m.utils.data.DataLoader(_DS(), prefetch_factor=2)),
    ("loader_sampler_oob", _loader_iter_bad_sampler),
    ("random_split_sum", lambda m: m.utils.data.random_split(range(10), [3, 3])),
    ("random_split_fractions_ok", _random_split_ok),
    ("random_split_negative", lambda m: m.utils.data.random_split(range(2), [3, -1])),
    ("tensor_dataset_size", lambda m: m.utils.data.TensorDataset(m.ones(3), m.ones(4))),
    ("subset_oob", lambda m: m.utils.data.Subset(range(3), [5])[0]),
    ("random_sampler_num_samples", lambda m: m.utils.data.RandomSampler(range(3), num_samples=0)),
    (
        "batch_sampler_size",
        lambda m: m.utils.data.BatchSampler(range(3), batch_size=0, drop_last=False),
    ),
    ("weighted_sampler_neg", lambda m: m.utils.data.WeightedRandomSampler([1.0], num_samples=-1)),
    # --- serialization
    ("load_truncated_checkpoint", lambda m: m.load(_TRUNCATED)),
    # bytes that are neither a zip nor a pickle: torch's pure-Python unpickler fails on the
    # first opcode it cannot use (IndexError 'pop from empty list' here); ember says the file is
    # no checkpoint with torch's message for a damaged zip
    ("load_garbage", lambda m: m.load(_GARBAGE), RAISES),
    # torch raises a bare EOFError(); ember's says the file is empty
    ("load_empty", lambda m: m.load(_EMPTY), TYPE_ONLY),
    ("load_runs_code", lambda m: m.load(_EVIL), _refused_gist),
    ("load_runs_code_in_zip", lambda m: m.load(_EVIL_ZIP), _refused_gist),
    ("load_plain_pickle", lambda m: m.load(_PLAIN)),
    ("load_missing_file", lambda m: m.load("/nonexistent_dir_ember/x.pt")),
    ("save_missing_dir", _save_missing_dir),
    ("save_missing_relative_dir", lambda m: m.save(1, "no_such_dir_ember/x.pt")),
    # --- creation
    ("zeros_negative", lambda m: m.zeros(-1)),
    ("zeros_negative_2d", lambda m: m.zeros(2, -3)),
    ("ones_float_size", lambda m: m.ones(2.5)),
    ("randn_negative", lambda m: m.randn(-1)),
    ("empty_negative", lambda m: m.empty((2, -1))),
    ("full_negative", lambda m: m.full((-1,), 1.0)),
    ("full_float_long_ok", lambda m: m.full((2,), 1.5, dtype=m.long)),
    ("full_bool_ok", lambda m: m.full((2,), True)),
    ("full_int_ok", lambda m: m.full((2,), 7)),
    ("arange_zero_step", lambda m: m.arange(0, 5, 0)),
    ("arange_wrong_sign", lambda m: m.arange(0, 5, -1)),
    ("arange_inf", lambda m: m.arange(0, float("inf"))),
    ("arange_nan", lambda m: m.arange(float("nan"))),
    ("arange_empty_ok", lambda m: m.arange(5, 5)),
    ("randint_low_high", lambda m: m.randint(5, 5, (3,))),
    ("randint_high_zero", lambda m: m.randint(0, (3,))),
    ("randperm_negative", lambda m: m.randperm(-1)),
    ("eye_negative", lambda m: m.eye(-1)),
    ("eye_negative_m", lambda m: m.eye(2, -1)),
    ("linspace_negative", lambda m: m.linspace(0, 1, -1)),
    ("logspace_negative", lambda m: m.logspace(0, 1, -1)),
    ("linspace_zero_ok", lambda m: m.linspace(0, 1, 0)),
    ("normal_negative_std", lambda m: m.normal(0.0, -1.0, (2,))),
    ("normal_tensor_negative_std", lambda m: m.normal(m.zeros(2), -m.ones(2))),
    ("multinomial_negative", lambda m: m.multinomial(m.tensor([0.5, -0.1]), 1)),
    ("multinomial_zero_sum", lambda m: m.multinomial(m.zeros(2), 1)),
    ("multinomial_too_many", lambda m: m.multinomial(m.tensor([0.5, 0.5]), 3)),
    ("bernoulli_range", lambda m: m.bernoulli(m.tensor([1.5]))),
    ("rand_int_dtype", lambda m: m.rand(2, dtype=m.long)),
    ("randn_int_dtype", lambda m: m.randn(2, dtype=m.int32)),
    ("zeros_like_not_tensor", lambda m: m.zeros_like([1, 2])),
    ("ones_like_not_tensor", lambda m: m.ones_like(3.0)),
    ("full_like_not_tensor", lambda m: m.full_like((1, 2), 0)),
    ("from_numpy_list", lambda m: m.from_numpy([1, 2])),
    # --- more everyday mistakes: conv/linear shapes, batch matmul, cat/stack, view/reshape,
    # losses, embedding/one_hot, index dtypes, optimizers, load_state_dict, factories
    ("F_conv2d_channels", lambda m: m.nn.functional.conv2d(m.ones(1, 2, 5, 5), m.ones(4, 3, 3, 3))),
    (
        "F_conv2d_3d_input_ok",
        lambda m: m.nn.functional.conv2d(m.ones(3, 5, 5), m.ones(4, 3, 3, 3)).shape,
    ),
    (
        "F_conv2d_3d_input_channels",
        lambda m: m.nn.functional.conv2d(m.ones(2, 5, 5), m.ones(4, 3, 3, 3)),
    ),
    ("F_conv2d_2d_input", lambda m: m.nn.functional.conv2d(m.ones(5, 5), m.ones(4, 3, 3, 3))),
    (
        "F_conv2d_too_small",
        lambda m: m.nn.functional.conv2d(m.ones(1, 3, 2, 2), m.ones(4, 3, 3, 3)),
    ),
    ("F_conv2d_weight_3d", lambda m: m.nn.functional.conv2d(m.ones(1, 3, 5, 5), m.ones(4, 3, 3))),
    (
        "F_conv2d_bias_size",
        lambda m: m.nn.functional.conv2d(m.ones(1, 3, 5, 5), m.ones(4, 3, 3, 3), m.ones(3)),
    ),
    (
        "F_conv2d_groups_channels",
        lambda m: m.nn.functional.conv2d(m.ones(1, 4, 5, 5), m.ones(4, 3, 3, 3), groups=2),
    ),
    (
        "F_conv2d_stride_zero",
        lambda m: m.nn.functional.conv2d(m.ones(1, 3, 5, 5), m.ones(4, 3, 3, 3), stride=0),
    ),
    (
        "F_conv2d_negative_padding",
        lambda m: m.nn.functional.conv2d(m.ones(1, 3, 5, 5), m.ones(4, 3, 3, 3), padding=-1),
    ),
    ("F_conv1d_too_small", lambda m: m.nn.functional.conv1d(m.ones(1, 2, 2), m.ones(4, 2, 3))),
    ("F_conv1d_channels", lambda m: m.nn.functional.conv1d(m.ones(1, 3, 8), m.ones(4, 2, 3))),
    (
        "F_conv2d_dilation_too_big",
        lambda m: m.nn.functional.conv2d(m.ones(1, 1, 4, 4), m.ones(1, 1, 3, 3), dilation=2),
    ),
    ("conv2d_padding_ok", lambda m: m.nn.Conv2d(1, 1, 5, padding=2)(m.ones(1, 1, 3, 3)).shape),
    ("F_linear_wrong_last_dim", lambda m: m.nn.functional.linear(m.ones(2, 5, 4), m.ones(3, 5))),
    ("linear_3d_wrong_last_dim", lambda m: m.nn.Linear(4, 2)(m.ones(2, 4, 3))),
    ("linear_int_input", lambda m: m.nn.Linear(2, 2)(m.ones(1, 2, dtype=m.long))),
    ("bmm_3d_2d", lambda m: m.bmm(m.ones(2, 3, 4), m.ones(4, 5))),
    ("bmm_4d", lambda m: m.bmm(m.ones(1, 2, 3, 4), m.ones(1, 2, 4, 5))),
    ("matmul_batch_mismatch", lambda m: m.matmul(m.ones(2, 3, 4), m.ones(5, 4, 6))),
    ("matmul_3d_1d", lambda m: m.matmul(m.ones(2, 3, 4), m.ones(3))),
    ("matmul_1d_3d", lambda m: m.matmul(m.ones(3), m.ones(2, 4, 5))),
    ("matmul_batched_broadcast_ok", lambda m: m.matmul(m.ones(2, 1, 3, 4), m.ones(5, 4, 6)).shape),
    ("cat_dim1_sizes", lambda m: m.cat([m.ones(2, 3), m.ones(3, 3)], dim=1)),
    ("cat_tuple_single_ok", lambda m: m.cat((m.ones(2),))),
    ("cat_negative_dim_oob", lambda m: m.cat([m.ones(2), m.ones(2)], dim=-2)),
    ("cat_tensor_not_list", lambda m: m.cat(m.ones(2, 3))),
    ("stack_dtypes_ok", lambda m: m.stack([m.ones(2, dtype=m.long), m.ones(2, dtype=m.float64)])),
    ("stack_bool_int_ok", lambda m: m.stack([m.ones(2, dtype=m.bool), m.ones(2, dtype=m.int32)])),
    ("stack_2d_sizes", lambda m: m.stack([m.ones(2, 3), m.ones(3, 2)])),
    ("stack_ndim", lambda m: m.stack([m.ones(2, 3), m.ones(2)])),
    ("stack_single", lambda m: m.stack(m.ones(2, 3))),
    ("view_after_transpose", _view_after_transpose),
    ("view_expand", lambda m: m.ones(3, 1).expand(3, 4).view(12)),
    ("view_bad_size_2", lambda m: m.ones(4, 4).view(3, 5)),
    ("reshape_impossible", lambda m: m.ones(2, 3).reshape(4, 2)),
    ("reshape_infer_impossible", lambda m: m.ones(7).reshape(2, -1)),
    ("reshape_two_infer", lambda m: m.ones(6).reshape(-1, -1)),
    ("reshape_zero_infer", lambda m: m.ones(0, 3).reshape(-1, 0)),
    ("ce_float_target_shape", lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.ones(2, 4))),
    ("ce_float_target_1d", lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.ones(3))),
    ("ce_target_oob_big", lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0, 10]))),
    (
        "ce_ignore_index_ok",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3), m.tensor([0, -100])),
    ),
    (
        "ce_spatial_target_shape",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3, 4, 4), m.zeros(2, 4, 5, dtype=m.long)),
    ),
    (
        "ce_label_smoothing_neg",
        lambda m: m.nn.functional.cross_entropy(
            m.ones(2, 3), m.tensor([0, 1]), label_smoothing=-0.1
        ),
    ),
    ("ce_1d_input_ok", lambda m: m.nn.functional.cross_entropy(m.ones(3), m.tensor(1))),
    ("ce_1d_input_1d_target", lambda m: m.nn.functional.cross_entropy(m.ones(3), m.tensor([1]))),
    (
        "nll_1d_input_2d_target",
        lambda m: m.nn.functional.nll_loss(m.ones(3), m.zeros(2, 2, dtype=m.long)),
    ),
    ("nll_1d_input_1d_target", lambda m: m.nn.functional.nll_loss(m.ones(3), m.tensor([1]))),
    ("nll_0d_input", lambda m: m.nn.functional.nll_loss(m.tensor(1.0), m.tensor(0))),
    (
        "nll_bad_reduction",
        lambda m: m.nn.functional.nll_loss(m.ones(2, 3), m.tensor([0, 1]), reduction="avg"),
    ),
    ("embedding_float_module", lambda m: m.nn.Embedding(5, 2)(m.tensor([[1.0, 2.0]]))),
    ("embedding_oob_2d", lambda m: m.nn.Embedding(5, 2)(m.tensor([[0, 7]]))),
    ("F_embedding_oob", lambda m: m.nn.functional.embedding(m.tensor([3]), m.ones(3, 2))),
    ("F_embedding_bool", lambda m: m.nn.functional.embedding(m.tensor([True]), m.ones(3, 2))),
    ("embedding_negative_num", lambda m: m.nn.Embedding(-1, 2)),
    ("one_hot_negative", lambda m: m.nn.functional.one_hot(m.tensor([0, -1]))),
    ("one_hot_too_small", lambda m: m.nn.functional.one_hot(m.tensor([0, 3]), 3)),
    ("one_hot_float", lambda m: m.nn.functional.one_hot(m.tensor([0.0, 1.0]))),
    ("one_hot_int32", lambda m: m.nn.functional.one_hot(m.tensor([0, 1], dtype=m.int32))),
    ("one_hot_empty", lambda m: m.nn.functional.one_hot(m.tensor([], dtype=m.long))),
    (
        "one_hot_empty_classes_ok",
        lambda m: m.nn.functional.one_hot(m.tensor([], dtype=m.long), 3).shape,
    ),
    ("index_select_int32_ok", lambda m: m.ones(3).index_select(0, m.tensor([1], dtype=m.int32))),
    ("index_select_bad_dim", lambda m: m.ones(3).index_select(1, m.tensor([0]))),
    (
        "masked_fill_int_mask",
        lambda m: m.ones(3).masked_fill(m.tensor([1, 0, 1], dtype=m.int32), 0.0),
    ),
    ("masked_fill_float_mask", lambda m: m.ones(3).masked_fill(m.tensor([1.0, 0.0, 1.0]), 0.0)),
    (
        "masked_fill_uint8_mask",
        lambda m: m.ones(3).masked_fill(m.tensor([1, 0, 1], dtype=m.uint8), 0.0),
    ),
    ("masked_fill__float_mask", lambda m: m.ones(3).masked_fill_(m.ones(3), 0.0)),
    (
        "scatter__int32_index",
        lambda m: m.zeros(3).scatter_(0, m.tensor([1], dtype=m.int32), m.ones(1)),
    ),
    ("scatter__float_index", lambda m: m.zeros(3).scatter_(0, m.tensor([1.0]), 1.0)),
    ("scatter__oob", lambda m: m.zeros(2, 3).scatter_(1, m.tensor([[3]]), 1.0)),
    ("scatter_bad_reduce", lambda m: m.zeros(3).scatter_(0, m.tensor([1]), 1.0, reduce="max")),
    (
        "scatter_add_int32_index",
        lambda m: m.zeros(3).scatter_add_(0, m.tensor([1], dtype=m.int32), m.ones(1)),
    ),
    ("expand_smaller", lambda m: m.ones(2, 3).expand(2, 2)),
    ("expand_larger_non1", lambda m: m.ones(3).expand(2, 4)),
    ("expand_ok", lambda m: m.ones(3, 1).expand(-1, 4).shape),
    ("permute_repeated_neg", lambda m: m.ones(2, 3).permute(0, -2)),
    ("permute_too_many", lambda m: m.ones(2, 3).permute(0, 1, 2)),
    ("squeeze_non_one_dim_ok", lambda m: m.ones(2, 3).squeeze(1).shape),
    ("squeeze_tuple_ok", lambda m: m.ones(1, 3, 1).squeeze((0, 1)).shape),
    ("squeeze_tuple_oob", lambda m: m.ones(1, 3).squeeze((0, 2))),
    ("unsqueeze_negative_oob", lambda m: m.ones(2).unsqueeze(-3)),
    ("optimizer_empty_adam", lambda m: m.optim.Adam([])),
    ("optimizer_empty_generator", lambda m: m.optim.SGD((p for p in []), lr=0.1)),
    ("optimizer_no_lr", lambda m: m.optim.SGD([m.nn.Parameter(m.ones(2))])),
    ("optimizer_step_no_grad_ok", _opt_step_no_grad),
    ("zero_grad_sets_none_ok", _zero_grad_none),
    ("optimizer_params_dict", lambda m: m.optim.SGD({"a": m.nn.Parameter(m.ones(2))}, lr=0.1)),
    ("load_state_dict_missing_bias", lambda m: _load_linear(m, {"weight": m.zeros(3, 2)})),
    (
        "load_state_dict_extra_key",
        lambda m: _load_linear(
            m, {"weight": m.zeros(3, 2), "bias": m.zeros(3), "extra": m.zeros(1)}
        ),
    ),
    (
        "load_state_dict_size",
        lambda m: _load_linear(m, {"weight": m.zeros(2, 3), "bias": m.zeros(3)}),
    ),
    (
        "load_state_dict_size_non_strict",
        lambda m: _load_linear(m, {"weight": m.zeros(2, 3)}, strict=False),
    ),
    ("load_state_dict_empty", lambda m: _load_linear(m, {})),
    (
        "load_state_dict_not_tensor",
        lambda m: _load_linear(m, {"weight": [[0.0] * 2] * 3, "bias": m.zeros(3)}),
    ),
    ("loader_batch_size_float", lambda m: m.utils.data.DataLoader(_DS(), batch_size=2.5)),
    ("loader_len_ok", _loader_len),
    ("randint_low_gt_high", lambda m: m.randint(5, 2, (3,))),
    ("randint_two_args", lambda m: m.randint(5, 2)),
    ("randint_negative_size", lambda m: m.randint(0, 5, (-1,))),
    ("arange_float_step_zero", lambda m: m.arange(0.0, 1.0, 0.0)),
    ("zeros_float_tuple", lambda m: m.zeros((2, 2.0))),
    ("ones_none", lambda m: m.ones(None)),
    ("eye_float", lambda m: m.eye(2.5)),
    ("rand_negative", lambda m: m.rand(2, -1)),
    ("tensor_from_dict", lambda m: m.tensor({"a": 1})),
    ("item_on_2_elements", lambda m: m.tensor([1.0, 2.0]).item()),
    ("tolist_ok", lambda m: m.tensor([[1, 2]]).tolist()),
    ("sum_dim_tuple_repeated", lambda m: m.ones(2, 3).sum((0, 0))),
    ("mean_dim_oob", lambda m: m.ones(2, 3).mean(3)),
    ("softmax_no_dim_ok", lambda m: m.nn.functional.softmax(m.ones(3), dim=0)),
    ("log_softmax_dim_oob", lambda m: m.nn.functional.log_softmax(m.ones(2, 3), dim=2)),
    ("argmax_dim_oob", lambda m: m.ones(3).argmax(1)),
    ("topk_dim_oob", lambda m: m.ones(3).topk(1, dim=1)),
    ("sort_dim_oob", lambda m: m.ones(3).sort(dim=2)),
    ("cumsum_dim_oob", lambda m: m.ones(3).cumsum(1)),
    ("flip_dim_oob", lambda m: m.ones(3).flip(1)),
    ("flip_repeated", lambda m: m.ones(3, 2).flip(0, 0)),
    ("roll_dim_oob", lambda m: m.ones(3).roll(1, 1)),
    ("chunk_negative", lambda m: m.ones(4).chunk(-1)),
    ("split_sizes_sum", lambda m: m.ones(5).split([2, 2])),
    ("split_negative", lambda m: m.ones(5).split(-1)),
    ("unflatten_sizes", lambda m: m.ones(2, 6).unflatten(1, (4, -1))),
    ("repeat_negative", lambda m: m.ones(2).repeat(-1)),
    ("tile_ok", lambda m: m.ones(2).tile((2, 2)).shape),
    ("narrow_negative_length", lambda m: m.ones(4).narrow(0, 1, -1)),
    ("clamp_no_bounds", lambda m: m.ones(3).clamp()),
    ("pow_int_negative", lambda m: m.tensor([2]) ** -1),
    (
        "where_dtype_mismatch_ok",
        lambda m: m.where(m.tensor([True, False]), m.ones(2), m.zeros(2, dtype=m.long)),
    ),
    ("dropout_inplace_p_one_ok", lambda m: m.nn.functional.dropout(m.ones(3), p=1.0)),
    ("pad_too_many", lambda m: m.nn.functional.pad(m.ones(2, 2), (1, 1, 1, 1, 1, 1))),
    ("pad_odd", lambda m: m.nn.functional.pad(m.ones(2, 2), (1,))),
    ("pad_reflect_too_big", lambda m: m.nn.functional.pad(m.ones(1, 1, 3), (3, 3), mode="reflect")),
    ("interpolate_no_size", lambda m: m.nn.functional.interpolate(m.ones(1, 1, 4))),
    (
        "interpolate_both",
        lambda m: m.nn.functional.interpolate(m.ones(1, 1, 4), size=8, scale_factor=2),
    ),
    (
        "interpolate_bad_mode",
        lambda m: m.nn.functional.interpolate(m.ones(1, 1, 4), size=8, mode="cubic"),
    ),
    (
        "max_pool2d_stride_zero",
        lambda m: m.nn.functional.max_pool2d(m.ones(1, 1, 4, 4), 2, stride=0),
    ),
    ("avg_pool2d_too_small", lambda m: m.nn.functional.avg_pool2d(m.ones(1, 1, 2, 2), 3)),
    ("layer_norm_shape_list", lambda m: m.nn.functional.layer_norm(m.ones(2, 3), [4])),
    (
        "batch_norm_running_size",
        lambda m: m.nn.functional.batch_norm(m.ones(2, 3), m.zeros(4), m.ones(4)),
    ),
    ("mse_size_warning_ok", lambda m: m.nn.functional.mse_loss(m.ones(3, 1), m.ones(3)).shape),
    ("l1_broadcast_fail", lambda m: m.nn.functional.l1_loss(m.ones(3), m.ones(4))),
    (
        "cosine_similarity_shape",
        lambda m: m.nn.functional.cosine_similarity(m.ones(2, 3), m.ones(2, 4)),
    ),
    ("sequential_not_module", lambda m: m.nn.Sequential(m.nn.ReLU(), 3)),
    ("module_call_missing_arg", lambda m: m.nn.Linear(2, 2)()),
    (
        "ce_spatial_target_2d",
        lambda m: m.nn.functional.cross_entropy(m.ones(2, 3, 4, 4), m.zeros(2, 4, dtype=m.long)),
    ),
    (
        "ce_label_smoothing_negative_ok",
        lambda m: m.nn.functional.cross_entropy(
            m.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]), m.tensor([0, 2]), label_smoothing=-0.1
        ),
    ),
    (
        "ce_probs_label_smoothing_negative_ok",
        lambda m: m.nn.functional.cross_entropy(
            m.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]),
            m.tensor([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]),
            label_smoothing=-0.1,
        ),
    ),
    (
        "ce_label_smoothing_too_big",
        lambda m: m.nn.functional.cross_entropy(
            m.ones(2, 3), m.tensor([0, 1]), label_smoothing=1.5
        ),
    ),
    (
        "F_embedding_float64",
        lambda m: m.nn.functional.embedding(m.ones(2, dtype=m.float64), m.ones(3, 2)),
    ),
]

# without a GPU (torch's CPU build, ember without CuPy): cuda requests fail the same way
if not (torch.cuda.is_available() or ember.cuda.is_available()):
    CASES += [
        ("cuda_method", lambda m: m.ones(2).cuda(), _no_cuda_hint),
        ("to_cuda", lambda m: m.ones(2).to("cuda"), _no_cuda_hint),
        ("zeros_on_cuda", lambda m: m.zeros(2, device="cuda"), _no_cuda_hint),
        ("cuda_current_device", lambda m: m.cuda.current_device(), _no_cuda_hint),
        ("cuda_is_available_ok", lambda m: m.cuda.is_available()),
    ]


# ------------------------------------------------------------------ running a case
def _run(fn, mod):
    """(exception or None, result) of one case on one module."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return None, fn(mod)
        except Exception as e:  # noqa: BLE001 (every exception is compared)
            return e, None


def _plain(x):
    """A module-neutral form of a result, for comparing what torch and ember return."""
    if hasattr(x, "tolist") and hasattr(x, "dtype") and not isinstance(x, type):
        dt = str(x.dtype).split(".")[-1]
        if hasattr(x, "detach"):
            x = x.detach()
        return ("tensor", dt, tuple(x.shape), _plain(x.tolist()))
    if isinstance(x, (list, tuple)):
        return type(x).__name__, [_plain(v) for v in x]
    if isinstance(x, float):
        # values agree to float32 precision: an op may round in another order than torch's
        return float(f"{x:.6g}")
    if isinstance(x, (int, bool, str, type(None))):
        return x
    return type(x).__name__


def _kind(e):
    return f"{type(e).__name__}: {e}"


def compare(fn, how=None):
    """None when ember behaves like torch, else a description of the difference."""
    et, rt = _run(fn, torch)
    ee, re_ = _run(fn, ember)
    if et is None and ee is None:
        a, b = _plain(rt), _plain(re_)
        return None if a == b else f"results differ:\n  torch: {a}\n  ember: {b}"
    if et is None:
        return f"torch accepts ({_plain(rt)}), ember raises {_kind(ee)}"
    if ee is None:
        return f"torch raises {_kind(et)}\n  ember accepts: {_plain(re_)}"
    if how == RAISES:
        return None
    if type(et).__name__ != type(ee).__name__:
        return f"types differ:\n  torch {_kind(et)}\n  ember {_kind(ee)}"
    if how == TYPE_ONLY:
        return None
    norm = how or (lambda msg: msg)
    if norm(str(et)) != norm(str(ee)):
        return f"messages differ ({type(et).__name__}):\n  torch: {et}\n  ember: {ee}"
    return None


def _param(case):
    name, fn, *rest = case
    marks = [r for r in rest if isinstance(r, pytest.MarkDecorator)]
    how = next((r for r in rest if not isinstance(r, pytest.MarkDecorator)), None)
    return pytest.param(fn, how, id=name, marks=marks)


# the table compares with torch on the CPU; device-specific wording (kernel names such as
# "mse_cpu") differs on another device
pytestmark = pytest.mark.skipif(
    os.environ.get("EMBER_TEST_DEVICE", "cpu") != "cpu", reason="messages compared on the CPU"
)


@pytest.mark.parametrize("fn,how", [_param(c) for c in CASES])
def test_error_parity(fn, how):
    diff = compare(fn, how)
    assert diff is None, diff


if __name__ == "__main__":
    bad = 0
    for case in CASES:
        name, fn, *rest = case
        how = next((r for r in rest if not isinstance(r, pytest.MarkDecorator)), None)
        diff = compare(fn, how)
        if diff is not None:
            bad += 1
            print(f"[{name}] {diff}\n")
    print(f"{len(CASES) - bad}/{len(CASES)} match")
