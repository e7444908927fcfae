"""Mirrors `torch.backends`: the flags programs set for reproducibility and speed.

ember runs on NumPy (and CuPy), so these switches change nothing; they exist, keep the values
they are given, and report what is available, so that setup code runs unchanged.
"""

from . import cpu, cuda, cudnn, mkl, mkldnn, mps, openmp  # noqa: F401
