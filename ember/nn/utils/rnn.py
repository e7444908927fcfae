"""Mirrors `torch.nn.utils.rnn`: PackedSequence and the pack / pad helpers.

A packed batch stores the time steps of sequences sorted by decreasing length one after the
other: step t holds the first `batch_sizes[t]` sequences. Packing and padding are single
`index_select` calls over an index computed in NumPy, so gradients flow through them.
"""

from collections import namedtuple
from collections.abc import Iterable

import numpy as np

from ... import _creation as C
from ... import _dtype as D
from ..._tensor import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]

_PackedSequenceBase = namedtuple(
    "PackedSequence_", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"]
)


def _bind(optional, fn):
    return None if optional is None else fn(optional)


class PackedSequence(_PackedSequenceBase):
    """Holds the data and the per-step batch sizes of a packed batch.
    Mirrors `torch.nn.utils.rnn.PackedSequence`."""

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is not None:
            if batch_sizes.device.type != "cpu":
                raise ValueError(
                    "batch_sizes should always be on CPU. Instances of PackedSequence should "
                    "never be created manually. They should be instantiated by functions like "
                    "pack_sequence and pack_padded_sequences in nn.utils.rnn. "
                    "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence"
                )
            return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)
        # PackedSequence((data, batch_sizes), ...) form
        if not (isinstance(data, (list, tuple)) and len(data) == 2):
            raise AssertionError("Expected data to be a list or tuple of length 2")
        return super().__new__(cls, data[0], data[1], sorted_indices, unsorted_indices)

    def pin_memory(self):
        return type(self)(
            self.data.pin_memory(),
            self.batch_sizes,
            _bind(self.sorted_indices, lambda t: t.pin_memory()),
            _bind(self.unsorted_indices, lambda t: t.pin_memory()),
        )

    def to(self, *args, **kwargs):
        """Converts `data` (and the index tensors' device); batch_sizes stays on the CPU."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        sorted_indices = _bind(self.sorted_indices, lambda t: t.to(data.device))
        unsorted_indices = _bind(self.unsorted_indices, lambda t: t.to(data.device))
        return type(self)(data, self.batch_sizes, sorted_indices, unsorted_indices)

    def cuda(self, *args, **kwargs):
        if args or "device" in kwargs:
            return self.to(*args, **kwargs)
        return self.to(*args, device="cuda", **kwargs)

    def cpu(self, *args, **kwargs):
        return self.to(*args, device="cpu", **kwargs)

    def double(self):
        return self.to(dtype=D.float64)

    def float(self):
        return self.to(dtype=D.float32)

    def half(self):
        return self.to(dtype=D.float16)

    def long(self):
        return self.to(dtype=D.int64)

    def int(self):
        return self.to(dtype=D.int32)

    def short(self):
        return self.to(dtype=D.int16)

    def char(self):
        return self.to(dtype=D.int8)

    def byte(self):
        return self.to(dtype=D.uint8)

    @property
    def is_cuda(self):
        return self.data.is_cuda

    def is_pinned(self):
        return self.data.is_pinned()


def invert_permutation(permutation):
    """Mirrors `torch.nn.utils.rnn.invert_permutation`."""
    if permutation is None:
        return None
    perm = _np_of(permutation)
    inv = np.empty_like(perm)
    inv[perm] = np.arange(perm.size, dtype=perm.dtype)
    return _index_tensor(inv, permutation.device)


def _np_of(t):
    arr = t._data
    return arr if isinstance(arr, np.ndarray) else arr.get()


def _index_tensor(arr, device):
    t = C.from_numpy(np.ascontiguousarray(arr, dtype=np.int64))
    return t if device is None or device.type == "cpu" else t.to(device)


def _lengths_array(lengths):
    if isinstance(lengths, Tensor):
        return _np_of(lengths).astype(np.int64)
    return np.asarray(lengths, dtype=np.int64).reshape(-1)


def _check_lengths(lengths, batch_size, enforce_sorted):
    if lengths.shape[0] != batch_size:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.shape[0]} "
            f"(batch_size={batch_size})"
        )
    if batch_size and lengths[-1] <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in "
            "'lengths' that is <= 0"
        )
    if enforce_sorted and np.any(lengths[1:] > lengths[:-1]):
        raise RuntimeError(
            "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
            "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
            "to sidestep this requirement if you do not need ONNX exportability."
        )


def _valid_mask(lengths, steps):
    # (T, B): True where step t belongs to sequence b; row-major order is the packed order
    return np.arange(steps)[:, None] < lengths[None, :]


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Mirrors `torch.nn.utils.rnn.pack_padded_sequence`."""
    lengths = _lengths_array(lengths)
    sorted_indices = None
    if not enforce_sorted:
        # stable, like torch.sort on the CPU: equal lengths keep their order
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        sorted_indices = _index_tensor(order, input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    if batch_first:
        input = input.transpose(0, 1)
    steps, batch = input.shape[0], input.shape[1]
    _check_lengths(lengths, batch, enforce_sorted=True)
    if lengths[0] > steps:
        raise RuntimeError(
            f"Expected the longest length ({int(lengths[0])}) to be at most the padded "
            f"sequence length ({steps})"
        )
    mask = _valid_mask(lengths, int(lengths[0]))
    flat = np.flatnonzero(mask.ravel())
    rows = input.reshape((steps * batch,) + tuple(input.shape[2:]))
    data = rows.index_select(0, _index_tensor(flat, input.device))
    batch_sizes = C.from_numpy(mask.sum(1).astype(np.int64))
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Mirrors `torch.nn.utils.rnn.pad_packed_sequence`: returns (padded, lengths)."""
    batch_sizes = _np_of(sequence.batch_sizes).astype(np.int64)
    max_seq_length = batch_sizes.shape[0]
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{max_seq_length}"
            )
        max_seq_length = total_length
    data = sequence.data
    batch = int(batch_sizes[0]) if batch_sizes.size else 0
    steps = np.arange(batch_sizes.shape[0])
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(1).astype(np.int64)
    # index map from each (t, b) slot to its row in data, or to an extra padding row
    mask = np.zeros((max_seq_length, batch), dtype=bool)
    mask[: steps.size] = _valid_mask(lengths, steps.size)
    gather = np.full(mask.shape, data.shape[0], dtype=np.int64)
    gather[mask] = np.arange(data.shape[0])
    if batch_first:
        gather = gather.T
    pad_row = C.full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype,
                     device=data.device)
    from ... import cat

    rows = cat([data, pad_row]).index_select(0, _index_tensor(gather.ravel(), data.device))
    padded = rows.reshape(gather.shape + tuple(data.shape[1:]))
    lengths_t = C.from_numpy(lengths)
    unsorted = sequence.unsorted_indices
    if unsorted is not None:
        padded = padded.index_select(0 if batch_first else 1, unsorted)
        lengths_t = C.from_numpy(lengths[_np_of(unsorted)])
    return padded, lengths_t


def _check_trailing(sequences):
    trailing = tuple(sequences[0].shape[1:])
    for s in sequences[1:]:
        other = tuple(s.shape[1:])
        if other == trailing:
            continue
        if len(other) != len(trailing):
            raise RuntimeError(
                f"expand: the number of sizes provided ({len(trailing)}) must be greater or "
                f"equal to the number of dimensions in the tensor ({len(other)})"
            )
        for i, (a, b) in enumerate(zip(trailing, other)):
            if a != b and b != 1:
                raise RuntimeError(
                    f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                    f"non-singleton dimension {i + 1}"
                )
    return trailing


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Mirrors `torch.nn.utils.rnn.pad_sequence`: stacks sequences padded to equal length."""
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    elif not isinstance(sequences, Iterable):
        raise RuntimeError(
            "pad_sequence: Expected iterable for input sequences, but got arg of type: "
            f"{type(sequences)}"
        )
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            f"Expected padding_side to be one of left or right, but got {padding_side}."
        )
    first = sequences[0]
    trailing = _check_trailing(sequences)
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    steps = int(lengths.max())
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    t = np.arange(steps)[:, None]
    if padding_side == "right":
        pos = t
    else:
        pos = t - (steps - lengths)[None, :]
    valid = (pos >= 0) & (pos < lengths[None, :])
    total = int(lengths.sum())
    gather = np.where(valid, offsets[None, :] + pos, total)
    if batch_first:
        gather = gather.T
    from ... import cat

    parts = [s.to(first.dtype).expand((s.shape[0],) + trailing) for s in sequences]
    parts.append(C.full((1,) + trailing, padding_value, dtype=first.dtype, device=first.device))
    rows = cat(parts).index_select(0, _index_tensor(gather.ravel(), first.device))
    return rows.reshape(gather.shape + trailing)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """Mirrors `torch.nn.utils.rnn.unpad_sequence`: the list of unpadded sequences."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    lens = _lengths_array(lengths)
    return [padded_sequences[b, : int(n)] for b, n in enumerate(lens)]


def pack_sequence(sequences, enforce_sorted=True):
    """Mirrors `torch.nn.utils.rnn.pack_sequence`."""
    lengths = C.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """Mirrors `torch.nn.utils.rnn.unpack_sequence`."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
