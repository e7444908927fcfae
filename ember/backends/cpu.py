"""Mirrors `torch.backends.cpu`."""


def get_cpu_capability():
    """The SIMD level NumPy was built to use (PyTorch reports e.g. "AVX2")."""
    return "DEFAULT"
