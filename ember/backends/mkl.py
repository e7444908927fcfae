"""Mirrors `torch.backends.mkl`: ember calls NumPy's BLAS, not MKL directly."""


def is_available():
    return False
