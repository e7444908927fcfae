"""index ops (being written)."""
