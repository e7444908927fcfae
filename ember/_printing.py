"""Tensor repr (placeholder; full PyTorch formatting lives here)."""


def tensor_repr(t):
    return f"tensor({t._data!r})"
