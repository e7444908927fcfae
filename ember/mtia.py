"""Mirrors `torch.mtia` (Meta's accelerator) on a build without it: nothing is available."""


def is_available():
    """Mirrors `torch.mtia.is_available`: always False here."""
    return False


def device_count():
    return 0


def is_initialized():
    return False


def init():
    raise AssertionError("Torch not compiled with MTIA enabled.")


def _needs(what):
    def call(*args, **kwargs):
        raise RuntimeError(f"Cannot execute {what}() without MTIA backend.")

    return call


current_device = _needs("getCurrentDevice")
synchronize = _needs("getCurrentDevice")
empty_cache = _needs("emptyCache")


def _nothing(*args, **kwargs):
    return None


manual_seed = _nothing
manual_seed_all = _nothing
seed = _nothing


def memory_allocated(device=None):
    return 0
