"""The op table: every op module registers its ops and bindings when loaded."""

import importlib

# every module listed here is imported by `import ember`; order matters only for bindings
MODULES = (
    "elementwise",
    "shape",
    "reduce",
    "linalg",
    "math",
    "index",
    "nn",
    "nn_act",
    "copy",
    "more",
    "fft",
    "special_fns",
    "_layouts",  # after every op module: adjusts their result layouts
    "_fast",  # last: wraps the generic bindings above
)


def _load_all():
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
