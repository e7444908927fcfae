"""Fused activation, softmax and loss ops (being written)."""
