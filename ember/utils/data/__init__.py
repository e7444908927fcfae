"""Mirrors `torch.utils.data`."""
