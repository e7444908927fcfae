"""Mirrors `torch.backends.mkldnn` (oneDNN), which ember does not use."""

enabled = False


def is_available():
    return False
