"""default_collate / default_convert. Mirrors `torch.utils.data._utils.collate`."""

import collections.abc
import re

import numpy as np

_NP_STR = re.compile(r"[SaUO]")

_ERR = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
    "found {}"
)


def default_convert(data):
    """NumPy arrays and scalars to tensors, recursively; everything else unchanged."""
    from ... import _creation
    from ..._tensor import Tensor

    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray) and not _NP_STR.search(data.dtype.str):
        return _creation.as_tensor(data)
    if isinstance(data, np.generic) and not _NP_STR.search(data.dtype.str):
        return _creation.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return type(data)({k: default_convert(v) for k, v in data.items()}) if not isinstance(
            data, collections.defaultdict) else {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]
    return data


def default_collate(batch):
    """Stack a list of samples into a batch, keeping the structure of one sample."""
    from ... import _creation
    from ..._tensor import Tensor
    from ..._ops.shape import stack
    from ..._dtype import float64, int64

    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch), 0)
    if isinstance(elem, np.ndarray) or (isinstance(elem, np.generic) and not isinstance(
            elem, (np.str_, np.bytes_))):
        if _NP_STR.search(elem.dtype.str):
            raise TypeError(_ERR.format(elem.dtype))
        if isinstance(elem, np.ndarray):
            return stack([_creation.as_tensor(b) for b in batch], 0)
        return _creation.as_tensor(np.array(batch))
    if isinstance(elem, bool):
        return _creation.tensor(batch)
    if isinstance(elem, float):
        return _creation.tensor(batch, dtype=float64)
    if isinstance(elem, int):
        return _creation.tensor(batch, dtype=int64)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        size = len(next(it))
        if not all(len(e) == size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [default_collate(s) for s in transposed]
        return [default_collate(s) for s in transposed]
    raise TypeError(_ERR.format(type(elem)))
