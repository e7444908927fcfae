"""Mirrors `torch.version`: what the build was made with (ember: no CUDA or ROCm build)."""

from . import __version__  # noqa: F401

cuda = None
hip = None
xpu = None
debug = False
git_version = "unknown"
