"""Mirrors `torch.nn.modules.rnn`: RNN, LSTM, GRU and their single-step cells.

Each layer and direction projects its whole input sequence with one matmul up front and then
runs the recurrence step by step with ember ops, so autograd supplies every gradient (higher
order included). Packed sequences run the same loop on a batch that shrinks (or, in reverse,
grows) as sequences end.
"""

import math
import numbers
import warnings

from ... import _creation as C
from ..._ops.nn_rnn import gru_cell as _gru_cell
from ..._ops.nn_rnn import lstm_cell as _lstm_cell
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _ops():
    # the ember namespace, imported late: ember/__init__.py imports nn while it loads
    import ember

    return ember


def _apply_permutation(tensor, permutation, dim=1):
    return tensor.index_select(dim, permutation)


# ---------------------------------------------------------------- one time step per mode
def _tanh_step(xt, h, c, w):
    return (xt + h @ w[0]).tanh(), None


def _relu_step(xt, h, c, w):
    return (xt + h @ w[0]).relu(), None


def _lstm_step(xt, h, c, w):
    # xt already holds x W_ih^T + b_ih + b_hh; gates are ordered i, f, g, o
    i, f, g, o = (xt + h @ w[0]).chunk(4, 1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    if w[2] is not None:
        h = h @ w[2]
    return h, c


def _gru_step(xt, h, c, w):
    # n = tanh(x_n + r * (h W_hn^T + b_hn)): b_hh cannot be folded into the input projection;
    # one fused op (ember/_ops/nn_rnn.py) when the dtypes agree
    if xt._dtype is h._dtype:
        return _gru_cell(xt, h, w[0], w[1]), None
    gh = h @ w[0]
    if w[1] is not None:
        gh = gh + w[1]
    xr, xz, xn = xt.chunk(3, 1)
    hr, hz, hn = gh.chunk(3, 1)
    r = (xr + hr).sigmoid()
    z = (xz + hz).sigmoid()
    n = (xn + r * hn).tanh()
    return n + z * (h - n), None


_STEPS = {"RNN_TANH": _tanh_step, "RNN_RELU": _relu_step, "LSTM": _lstm_step, "GRU": _gru_step}


def _project(mode, x, w_ih, b_ih, b_hh):
    """The input projection of a whole sequence (plus b_hh where it can be folded in)."""
    xw = F.linear(x, w_ih, b_ih)
    if b_hh is not None and mode != "GRU":
        xw = xw + b_hh
    return xw


def _run_dense(step, xs, h, c, w, reverse):
    """A direction over a padded sequence: every step has the full batch."""
    order = range(len(xs) - 1, -1, -1) if reverse else range(len(xs))
    if step is _lstm_step and w[2] is None:
        return _run_dense_lstm(xs, h, c, w[0], order)
    outs = [None] * len(xs)
    for t in order:
        h, c = step(xs[t], h, c, w)
        outs[t] = h
    return _ops().stack(outs), h, c


def _run_dense_lstm(xs, h, c, w_hh_t, order):
    """An LSTM direction with one fused op per step (ember/_ops/nn_rnn.py), the state carried
    as [h | c]; the outputs are cut from the stacked states once, at the end."""
    ops = _ops()
    H = h.shape[1]
    hc = ops.cat([h, c], 1)
    states = [None] * len(xs)
    for t in order:
        hc = _lstm_cell(xs[t], hc, w_hh_t)
        states[t] = hc
    out = ops.stack(states)[:, :, :H].contiguous()
    return out, hc[:, :H], hc[:, H:]


def _run_packed_forward(step, xs, sizes, h, c, w):
    # sequences end from the back of the batch: keep their last states aside
    outs = []
    done_h = []
    done_c = []
    rows = h.shape[0]
    for t, bs in enumerate(sizes):
        if bs < rows:
            done_h.append(h[bs:])
            h = h[:bs]
            if c is not None:
                done_c.append(c[bs:])
                c = c[:bs]
            rows = bs
        h, c = step(xs[t], h, c, w)
        outs.append(h)
    cat = _ops().cat
    h = cat([h] + done_h[::-1]) if done_h else h
    if c is not None and done_c:
        c = cat([c] + done_c[::-1])
    return cat(outs), h, c


def _run_packed_reverse(step, xs, sizes, h0, c0, w):
    # walking back in time, sequences join the batch as their last step comes up
    cat = _ops().cat
    outs = [None] * len(xs)
    rows = 0
    h = c = None
    for t in range(len(xs) - 1, -1, -1):
        bs = sizes[t]
        if bs > rows:
            h = h0[:bs] if rows == 0 else cat([h, h0[rows:bs]])
            if c0 is not None:
                c = c0[:bs] if rows == 0 else cat([c, c0[rows:bs]])
            rows = bs
        h, c = step(xs[t], h, c, w)
        outs[t] = h
    return cat(outs), h, c


# ---------------------------------------------------------------- the multi-layer modules
def _check_init_args(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                     proj_size):
    if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(
        dropout, bool
    ):
        raise ValueError(
            "dropout should be a number in range [0, 1] representing the probability of an "
            "element being zeroed"
        )
    if dropout > 0 and num_layers == 1:
        warnings.warn(
            "dropout option adds dropout after all but last recurrent layer, so non-zero "
            "dropout expects num_layers greater than 1, but got "
            f"dropout={dropout} and num_layers={num_layers}",
            stacklevel=4,
        )
    if not isinstance(bias, bool):
        raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
    if not isinstance(batch_first, bool):
        raise TypeError(f"batch_first should be of type bool, got: {type(batch_first).__name__}")
    if not isinstance(input_size, int):
        raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
    if input_size <= 0:
        raise ValueError("input_size must be greater than zero")
    if not isinstance(hidden_size, int):
        raise TypeError(
            f"hidden_size should be of type int, got: {type(hidden_size).__name__}"
        )
    if hidden_size <= 0:
        raise ValueError("hidden_size must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


class RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU. Mirrors `torch.nn.RNNBase`."""

    __constants__ = [
        "mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
        "bidirectional", "proj_size",
    ]

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None):
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        _check_init_args(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         proj_size)
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        num_directions = 2 if bidirectional else 1
        real_hidden = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input = input_size if layer == 0 else real_hidden * num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = [("weight_ih", (gate_size, layer_input)),
                          ("weight_hh", (gate_size, real_hidden))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes += [("weight_hr", (proj_size, hidden_size))]
                names = []
                for base, shape in shapes:
                    name = f"{base}_l{layer}{suffix}"
                    setattr(self, name, Parameter(C.empty(shape, device=device, dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [self._parameters.get(n) for n in self._flat_weights_names]

    @property
    def all_weights(self):
        return [[getattr(self, n) for n in names] for names in self._all_weights]

    def flatten_parameters(self):
        """A no-op: ember keeps each weight in its own array (torch packs them for cuDNN)."""

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    # ------------------------------------------------------------------ argument checks
    def check_input(self, input, batch_sizes):
        w_dtype = self._flat_weights[0].dtype
        if input.dtype != w_dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({w_dtype}). "
                f"Convert input: input.to({w_dtype}), or convert model: model.to({input.dtype})"
            )
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(
                f"input must have {expected_input_dim} dimensions, got {input.dim()}"
            )
        if self.input_size != input.size(-1):
            raise RuntimeError(
                "input.size(-1) must be equal to input_size. "
                f"Expected {self.input_size}, got {input.size(-1)}"
            )

    def get_expected_hidden_size(self, input, batch_sizes):
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, size)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        if tuple(hx.size()) != tuple(expected_hidden_size):
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return _apply_permutation(hx, permutation)

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # ------------------------------------------------------------------ the computation
    def _zeros_state(self, size, batch, input):
        num_directions = 2 if self.bidirectional else 1
        return C.zeros((self.num_layers * num_directions, batch, size), dtype=input.dtype,
                       device=input.device)

    def _direction_weights(self, idx):
        p = self._parameters
        names = self._all_weights[idx]
        w_ih = p[names[0]]
        w_hh = p[names[1]]
        b_ih = p[names[2]] if self.bias else None
        b_hh = p[names[3]] if self.bias else None
        w_hr = p[names[-1]] if self.proj_size > 0 else None
        return w_ih, w_hh, b_ih, b_hh, w_hr

    def _run(self, input, h0, c0, batch_sizes):
        """All layers and directions: input is (T, B, I) time-major, or packed data (N, I)
        with `batch_sizes` a list of ints. Returns (output, h_n, c_n or None)."""
        if batch_sizes is None and input.shape[0] == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        mode = self.mode
        step = _STEPS[mode]
        num_directions = 2 if self.bidirectional else 1
        h0s = h0.unbind(0)
        c0s = c0.unbind(0) if c0 is not None else None
        hs = []
        cs = []
        x = input
        for layer in range(self.num_layers):
            outs = []
            for direction in range(num_directions):
                idx = layer * num_directions + direction
                w_ih, w_hh, b_ih, b_hh, w_hr = self._direction_weights(idx)
                xw = _project(mode, x, w_ih, b_ih, b_hh)
                w = (w_hh.t(), b_hh, None if w_hr is None else w_hr.t())
                c = c0s[idx] if c0s is not None else None
                if batch_sizes is None:
                    out, h, c = _run_dense(step, xw.unbind(0), h0s[idx], c, w, direction == 1)
                elif direction == 0:
                    xs = xw.split(batch_sizes)
                    out, h, c = _run_packed_forward(step, xs, batch_sizes, h0s[idx], c, w)
                else:
                    xs = xw.split(batch_sizes)
                    out, h, c = _run_packed_reverse(step, xs, batch_sizes, h0s[idx], c, w)
                outs.append(out)
                hs.append(h)
                cs.append(c)
            x = outs[0] if num_directions == 1 else _ops().cat(outs, -1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        stack = _ops().stack
        return x, stack(hs), (stack(cs) if c0 is not None else None)

    def _prepare(self, input, name):
        """Unpacks a PackedSequence or adds the batch dimension of an unbatched input.
        Returns (x, batch_sizes as a list of ints, sorted_indices, unsorted_indices,
        is_batched)."""
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            sizes = [int(b) for b in batch_sizes.tolist()]
            return data, sizes, sorted_indices, unsorted_indices, True
        if input.dim() not in (2, 3):
            suffix = " tensor instead" if name == "RNN" else " instead"
            raise ValueError(
                f"{name}: Expected input to be 2D or 3D, got {input.dim()}D{suffix}"
            )
        is_batched = input.dim() == 3
        if not is_batched:
            input = input.unsqueeze(0 if self.batch_first else 1)
        return input, None, None, None, is_batched

    def _time_major(self, x, batch_sizes):
        if batch_sizes is None and self.batch_first:
            return x.transpose(0, 1)
        return x

    def _finish_output(self, out, input, is_batched):
        if isinstance(input, PackedSequence):
            return PackedSequence(out, input.batch_sizes, input.sorted_indices,
                                  input.unsorted_indices)
        if self.batch_first:
            out = out.transpose(0, 1)
        if not is_batched:
            out = out.squeeze(0 if self.batch_first else 1)
        return out

    def _forward_single_state(self, input, hx, name):
        """RNN and GRU: one hidden state tensor."""
        x, sizes, sorted_idx, unsorted_idx, is_batched = self._prepare(input, name)
        if hx is not None:
            if sizes is None and not is_batched:
                if hx.dim() != 2:
                    raise RuntimeError(
                        "For unbatched 2-D input, hx should also be 2-D but got "
                        f"{hx.dim()}-D tensor"
                    )
                hx = hx.unsqueeze(1)
            elif sizes is None and hx.dim() != 3:
                raise RuntimeError(
                    f"For batched 3-D input, hx should also be 3-D but got {hx.dim()}-D tensor"
                )
            hx = self.permute_hidden(hx, sorted_idx)
        else:
            batch = sizes[0] if sizes is not None else x.size(0 if self.batch_first else 1)
            hx = self._zeros_state(self.hidden_size, batch, x)
        self.check_forward_args(x, hx, sizes)
        out, h_n, _ = self._run(self._time_major(x, sizes), hx, None, sizes)
        out = self._finish_output(out, input, is_batched)
        if sizes is not None:
            return out, self.permute_hidden(h_n, unsorted_idx)
        if not is_batched:
            h_n = h_n.squeeze(1)
        return out, h_n


class RNN(RNNBase):
    """Elman RNN with tanh or ReLU. Mirrors `torch.nn.RNN`."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(
                f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        super().__init__(mode, *args, **kwargs)

    def forward(self, input, hx=None):
        return self._forward_single_state(input, hx, "RNN")


class GRU(RNNBase):
    """Gated recurrent unit (gates r, z, n). Mirrors `torch.nn.GRU`."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        return self._forward_single_state(input, hx, "GRU")


class LSTM(RNNBase):
    """Long short-term memory (gates i, f, g, o; optional projection). Mirrors `torch.nn.LSTM`."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input, batch_sizes):
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return (self.num_layers * num_directions, mini_batch, self.hidden_size)

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return _apply_permutation(hx[0], permutation), _apply_permutation(hx[1], permutation)

    def forward(self, input, hx=None):
        x, sizes, sorted_idx, unsorted_idx, is_batched = self._prepare(input, "LSTM")
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if hx is None:
            batch = sizes[0] if sizes is not None else x.size(0 if self.batch_first else 1)
            hx = (self._zeros_state(real_hidden, batch, x),
                  self._zeros_state(self.hidden_size, batch, x))
            self.check_forward_args(x, hx, sizes)
        elif sizes is not None:
            hx = self.permute_hidden(hx, sorted_idx)
            self.check_forward_args(x, hx, sizes)
        else:
            want = 3 if is_batched else 2
            if hx[0].dim() != want or hx[1].dim() != want:
                kind = "batched 3-D" if is_batched else "unbatched 2-D"
                raise RuntimeError(
                    f"For {kind} input, hx and cx should also be {want}-D but got "
                    f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
                )
            if not is_batched:
                hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
            self.check_forward_args(x, hx, sizes)
        out, h_n, c_n = self._run(self._time_major(x, sizes), hx[0], hx[1], sizes)
        out = self._finish_output(out, input, is_batched)
        if sizes is not None:
            return out, self.permute_hidden((h_n, c_n), unsorted_idx)
        if not is_batched:
            h_n = h_n.squeeze(1)
            c_n = c_n.squeeze(1)
        return out, (h_n, c_n)


# ---------------------------------------------------------------- cells
class RNNCellBase(Module):
    """The weights shared by the single-step cells. Mirrors `torch.nn.RNNCellBase`."""

    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(C.empty((gates, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(C.empty((gates, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(C.empty(gates, device=device, dtype=dtype))
            self.bias_hh = Parameter(C.empty(gates, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _check_cell(self, input, hiddens):
        # the checks (and their order) of ATen's rnn cell functions
        if input.size(1) != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.size(1)} expected "
                f"{self.input_size}"
            )
        for k, h in enumerate(hiddens):
            if input.size(0) != h.size(0):
                raise RuntimeError(
                    f"Input batch size {input.size(0)} doesn't match hidden{k} batch size "
                    f"{h.size(0)}"
                )
            if h.size(1) != self.hidden_size:
                raise RuntimeError(
                    f"hidden{k} has inconsistent hidden_size: got {h.size(1)}, expected "
                    f"{self.hidden_size}"
                )

    def _cell(self, mode, input, h, c):
        xw = _project(mode, input, self.weight_ih, self.bias_ih, self.bias_hh)
        w = (self.weight_hh.t(), self.bias_hh, None)
        return _STEPS[mode](xw, h, c, w)

    def _batched(self, name, input, hx, what="hidden"):
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None and hx.dim() not in (1, 2):
            raise ValueError(
                f"{name}: Expected {what} to be 1D or 2D, got {hx.dim()}D instead"
            )
        return input.dim() == 2

    def _zeros(self, input):
        return C.zeros((input.size(0), self.hidden_size), dtype=input.dtype,
                       device=input.device)


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or ReLU). Mirrors `torch.nn.RNNCell`."""

    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        is_batched = self._batched("RNNCell", input, hx)
        if not is_batched:
            input = input.unsqueeze(0)
        hx = self._zeros(input) if hx is None else (hx if is_batched else hx.unsqueeze(0))
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        self._check_cell(input, (hx,))
        ret, _ = self._cell(mode, input, hx, None)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step: returns (h', c'). Mirrors `torch.nn.LSTMCell`."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        if input.dim() not in (1, 2):
            raise ValueError(
                f"LSTMCell: Expected input to be 1D or 2D, got {input.dim()}D instead"
            )
        if hx is not None:
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(
                        f"LSTMCell: Expected hx[{idx}] to be 1D or 2D, got {value.dim()}D "
                        "instead"
                    )
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = self._zeros(input)
            hx = (zeros, zeros)
        elif not is_batched:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        self._check_cell(input, hx)
        h, c = self._cell("LSTM", input, hx[0], hx[1])
        if not is_batched:
            return h.squeeze(0), c.squeeze(0)
        return h, c


class GRUCell(RNNCellBase):
    """One GRU step. Mirrors `torch.nn.GRUCell`."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        is_batched = self._batched("GRUCell", input, hx)
        if not is_batched:
            input = input.unsqueeze(0)
        hx = self._zeros(input) if hx is None else (hx if is_batched else hx.unsqueeze(0))
        self._check_cell(input, (hx,))
        ret, _ = self._cell("GRU", input, hx, None)
        return ret if is_batched else ret.squeeze(0)
