"""glibc malloc tuning for NumPy temporaries.

Every op allocates its result; a training step frees and reallocates the same large arrays
over and over. glibc returns large freed blocks to the OS (mmap threshold, heap trimming), so
each reallocation page-faults its memory back in: measured here, up to ~2,000 page faults and
a third of the time of a small MLP's backward pass. Raising the two thresholds keeps freed
blocks (up to 256 MiB of free heap) for reuse, as PyTorch's own allocators do.
Opt out with EMBER_TUNE_MALLOC=0; nothing is done off glibc.
"""

import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def tune():
    """Apply the thresholds once; returns True when applied."""
    if os.environ.get("EMBER_TUNE_MALLOC", "1") == "0" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = mallopt(_M_MMAP_THRESHOLD, 64 * 1024 * 1024)
    ok = mallopt(_M_TRIM_THRESHOLD, 256 * 1024 * 1024) and ok
    return bool(ok)


APPLIED = tune()
