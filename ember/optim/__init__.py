"""Mirrors `torch.optim`."""
