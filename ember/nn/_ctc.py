"""Connectionist temporal classification loss (Graves et al. 2006), as `F.ctc_loss`.

The forward (alpha) and backward (beta) recursions run in log space over the "extended"
target (blanks between and around the labels), vectorised over the batch and the target
positions, one time step at a time. The gradient is PyTorch's: with respect to the
log-probabilities it is exp(log_probs) - exp(log(alpha * beta) + nll - log_probs), which
assumes (as PyTorch does) that the log-probabilities come out of a log_softmax; through that
log_softmax it is the exact gradient with respect to the logits.
"""

import numpy as np

from .._creation import zeros_like
from .._tensor import Tensor
from ..autograd.function import Function

_NEG_INF = -np.inf


def _logsumexp(*arrays):
    out = arrays[0]
    for a in arrays[1:]:
        out = np.logaddexp(out, a)
    return out


def _extended(targets, target_lengths, blank, n):
    """(N, 2 * max_len + 1) extended labels and, per position, whether the skip from s - 2
    is allowed (a label different from the label two positions back)."""
    max_len = max(target_lengths) if n else 0
    s_max = 2 * max_len + 1
    ext = np.full((n, s_max), blank, dtype=np.int64)
    for b in range(n):
        labels = targets[b]
        ext[b, 1:2 * len(labels) + 1:2] = labels
    skip = np.zeros((n, s_max), dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    return ext, skip


def _alphas(lp, ext, skip, input_lengths, s_lens):
    t_max, n, _ = lp.shape
    s_max = ext.shape[1]
    rows = np.arange(n)[:, None]
    # the log-probability of each extended label at each step: (T, N, S)
    emit = lp[:, rows, ext]
    valid = np.arange(s_max)[None, :] < s_lens[:, None]
    alpha = np.full((t_max, n, s_max), _NEG_INF, dtype=lp.dtype)
    if t_max == 0:
        return alpha, emit
    alpha[0, :, 0] = emit[0, :, 0]
    has_label = s_lens > 1
    alpha[0, has_label, 1] = emit[0, has_label, 1]
    for t in range(1, t_max):
        prev = alpha[t - 1]
        one = np.full_like(prev, _NEG_INF)
        one[:, 1:] = prev[:, :-1]
        two = np.full_like(prev, _NEG_INF)
        two[:, 2:] = np.where(skip[:, 2:], prev[:, :-2], _NEG_INF)
        with np.errstate(invalid="ignore"):
            step = _logsumexp(prev, one, two) + emit[t]
        step = np.where(valid, step, _NEG_INF)
        # sequences that already ended keep their last alphas (read at input_length - 1)
        alpha[t] = np.where((t < input_lengths)[:, None], step, _NEG_INF)
    return alpha, emit


def _betas(emit, ext, skip, input_lengths, s_lens):
    t_max, n, s_max = emit.shape
    beta = np.full((t_max, n, s_max), _NEG_INF, dtype=emit.dtype)
    rows = np.arange(n)
    last = s_lens - 1
    for t in range(t_max - 1, -1, -1):
        start = t == input_lengths - 1
        if t + 1 < t_max:
            nxt = beta[t + 1]
            one = np.full_like(nxt, _NEG_INF)
            one[:, :-1] = nxt[:, 1:]
            two = np.full_like(nxt, _NEG_INF)
            # moving from s to s + 2 is allowed when position s + 2 may skip
            two[:, :-2] = np.where(skip[:, 2:], nxt[:, 2:], _NEG_INF)
            with np.errstate(invalid="ignore"):
                step = _logsumexp(nxt, one, two) + emit[t]
            inside = (t < input_lengths - 1)[:, None]
            beta[t] = np.where(inside, step, _NEG_INF)
        if start.any():
            b = rows[start]
            beta[t, b, last[b]] = emit[t, b, last[b]]
            has_label = s_lens[b] > 1
            b2 = b[has_label]
            beta[t, b2, last[b2] - 1] = emit[t, b2, last[b2] - 1]
    return beta


class CtcLoss(Function):
    """Per-sample negative log-likelihoods; PyTorch's node is CtcLossBackward0."""

    @staticmethod
    def forward(ctx, log_probs, targets, input_lengths, target_lengths, blank, zero_infinity):
        lp = log_probs.detach().cpu().numpy()
        n = lp.shape[1]
        ext, skip = _extended(targets, target_lengths, blank, n)
        s_lens = 2 * np.asarray(target_lengths, dtype=np.int64) + 1
        in_lens = np.asarray(input_lengths, dtype=np.int64)
        alpha, emit = _alphas(lp, ext, skip, in_lens, s_lens)
        rows = np.arange(n)
        t_last = np.maximum(in_lens - 1, 0)
        end = alpha[t_last, rows, s_lens - 1]
        before = np.where(s_lens > 1, alpha[t_last, rows, np.maximum(s_lens - 2, 0)], _NEG_INF)
        nll = -np.logaddexp(end, before)
        nll = np.where(in_lens > 0, nll, np.where(s_lens > 1, np.inf, 0.0)).astype(lp.dtype)
        ctx.state = (lp, ext, skip, in_lens, s_lens, alpha, emit, nll, zero_infinity)
        ctx.device = log_probs.device
        from .._creation import tensor

        return tensor(nll, dtype=log_probs.dtype, device=log_probs.device)

    @staticmethod
    def backward(ctx, grad_out):
        lp, ext, skip, in_lens, s_lens, alpha, emit, nll, zero_infinity = ctx.state
        t_max, n, c = lp.shape
        beta = _betas(emit, ext, skip, in_lens, s_lens)
        with np.errstate(invalid="ignore"):
            ab = alpha + beta
        # log sum over the positions holding each class: (T, N, C)
        lcab = np.full((t_max, n, c), _NEG_INF, dtype=lp.dtype)
        t_idx = np.arange(t_max)[:, None, None]
        b_idx = np.arange(n)[None, :, None]
        c_idx = np.broadcast_to(ext[None, :, :], ab.shape)
        np.logaddexp.at(lcab, (np.broadcast_to(t_idx, ab.shape), np.broadcast_to(b_idx, ab.shape),
                               c_idx), ab)
        with np.errstate(invalid="ignore", over="ignore"):
            grad = np.exp(lp) - np.exp(lcab + nll[None, :, None] - lp)
        # steps past an input's length get no gradient
        grad = np.where((np.arange(t_max)[:, None] < in_lens[None, :])[:, :, None], grad, 0.0)
        if zero_infinity:
            grad = np.where(np.isinf(nll)[None, :, None], 0.0, grad)
        g = grad_out.detach().cpu().numpy().reshape(1, n, 1)
        from .._creation import tensor

        grad = tensor((grad * g).astype(lp.dtype), device=ctx.device)
        return grad, None, None, None, None, None


CtcLoss._backward_cls.__name__ = "CtcLossBackward0"


def _as_list(x):
    if isinstance(x, Tensor):
        return [int(v) for v in x.reshape(-1).tolist()]
    if isinstance(x, int):
        return [x]
    return [int(v) for v in x]


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """Mirrors `torch.nn.functional.ctc_loss` (log_probs: (T, N, C) or unbatched (T, C))."""
    unbatched = log_probs.dim() == 2
    if unbatched:
        log_probs = log_probs.unsqueeze(1)
        targets = targets.unsqueeze(0) if targets.dim() == 1 else targets
    in_lens = _as_list(input_lengths)
    tgt_lens = _as_list(target_lengths)
    n = log_probs.shape[1]
    if len(in_lens) != n:
        raise RuntimeError(f"input_lengths must be of size batch_size, but got {len(in_lens)}")
    if len(tgt_lens) != n:
        raise RuntimeError(f"target_lengths must be of size batch_size, but got {len(tgt_lens)}")
    t_np = targets.detach().cpu().numpy().astype(np.int64)
    if t_np.ndim == 1 and not unbatched:
        # all targets concatenated
        offsets = np.concatenate([[0], np.cumsum(tgt_lens)])
        per_sample = [t_np[offsets[b]:offsets[b + 1]] for b in range(n)]
    else:
        per_sample = [t_np[b, :tgt_lens[b]] for b in range(n)]
    for b in range(n):
        if in_lens[b] > log_probs.shape[0]:
            raise RuntimeError(
                f"Expected input_lengths to have value at most {log_probs.shape[0]}, but got "
                f"value {in_lens[b]} (while checking arguments for ctc_loss_cpu)"
            )
    loss = CtcLoss.apply(log_probs, per_sample, in_lens, tgt_lens, int(blank),
                         bool(zero_infinity))
    if zero_infinity:
        # infeasible alignments (a target longer than its input) cost 0 instead of inf;
        # CtcLoss's backward already gives them a zero gradient
        from .._ops._bind import FUNCTIONS

        loss = FUNCTIONS["where"](loss == np.inf, zeros_like(loss), loss)
    if unbatched:
        loss = loss.squeeze(0)
    if reduction == "mean":
        from .._creation import tensor

        lens = tensor(tgt_lens, dtype=loss.dtype, device=loss.device).clamp_min(1)
        if unbatched:
            lens = lens.squeeze(0)
        return (loss / lens).mean()
    if reduction == "sum":
        return loss.sum()
    return loss
