"""Mirrors `torch.utils.dlpack`."""

from .._interop import from_dlpack, to_dlpack  # noqa: F401
