"""math ops (being written)."""
