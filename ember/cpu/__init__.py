"""Mirrors `torch.cpu`: the CPU as a device module, always available, one device."""

from . import amp  # noqa: F401


def is_available():
    """Mirrors `torch.cpu.is_available`: always True."""
    return True


def device_count():
    """Mirrors `torch.cpu.device_count`: always 1."""
    return 1


def current_device():
    """Mirrors `torch.cpu.current_device`: the string 'cpu'."""
    return "cpu"


def is_initialized():
    return True


def set_device(device):
    """Mirrors `torch.cpu.set_device`: a no-op (there is one CPU device)."""
    return None


def synchronize(device=None):
    """Mirrors `torch.cpu.synchronize`: CPU work is already complete when a call returns."""
    return None


class Stream:
    """Mirrors `torch.cpu.Stream`: CPU work runs in order, so a stream is a no-op."""

    def __init__(self, priority=-1):
        self.priority = priority

    def wait_stream(self, stream):
        return None

    def synchronize(self):
        return None

    def query(self):
        return True


class Event:
    """Mirrors `torch.cpu.Event`."""

    def query(self):
        return True

    def record(self, stream=None):
        return None

    def synchronize(self):
        return None

    def wait(self, stream=None):
        return None


_DEFAULT_STREAM = Stream()


def current_stream(device=None):
    return _DEFAULT_STREAM


class StreamContext:
    """Mirrors `torch.cpu.StreamContext`: nothing to switch on the CPU."""

    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc):
        return False


def stream(stream):
    return StreamContext(stream)
