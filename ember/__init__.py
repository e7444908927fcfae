"""ember: NumPy's arrays with PyTorch's API, autograd and training tools.

`import ember as torch` runs ordinary PyTorch programs on NumPy (CPU) or CuPy (CUDA).
"""

import math as _math

import numpy as _np

# PyTorch is silent on 0/0, log(-1) and overflow (it yields nan/inf); so is ember
_np.seterr(all="ignore")

from .version import __version__  # noqa: E402  (the PyTorch API level, see version.py)

from . import _malloc  # noqa: E402,F401  (see its docstring; EMBER_TUNE_MALLOC=0 opts out)

from ._dtype import (  # noqa: E402
    dtype,
    bool_ as bool,
    uint8,
    int8,
    int16,
    int32,
    int64,
    float16,
    bfloat16,
    float32,
    float64,
    complex64,
    complex128,
    get_default_dtype,
    set_default_dtype,
    promote_types,
)
from ._device import device, get_default_device, set_default_device  # noqa: E402
from ._printing import set_printoptions  # noqa: E402
from ._interop import from_dlpack  # noqa: E402
from ._tensor import Tensor, Size  # noqa: E402
from .autograd.grad_mode import (  # noqa: E402
    no_grad,
    enable_grad,
    set_grad_enabled,
    is_grad_enabled,
    inference_mode,
    is_inference_mode_enabled,
)
from ._creation import (  # noqa: E402
    tensor,
    as_tensor,
    asarray,
    from_numpy,
    zeros,
    ones,
    empty,
    full,
    zeros_like,
    ones_like,
    empty_like,
    full_like,
    arange,
    linspace,
    logspace,
    eye,
    scalar_tensor,
)

half = float16
float = float32
double = float64
long = int64
int = int32
short = int16
cfloat = complex64
cdouble = complex128
uint8 = uint8

from ._ops import _load_all as _load_ops  # noqa: E402

_load_ops()
from ._ops._bind import FUNCTIONS as _FUNCTIONS  # noqa: E402

globals().update(_FUNCTIONS)
del _FUNCTIONS
from ._ops.more import layout, strided, sparse_coo, sparse_csr  # noqa: E402,F401

from . import autograd  # noqa: E402

autograd._bind_tensor()
autograd._engine._bind_tensor()
from . import cuda  # noqa: E402
from . import linalg  # noqa: E402,F401

from ._ops._namespace import build_tensor_namespace as _build_tns  # noqa: E402

_build_tns()


def is_tensor(obj):
    """Mirrors `torch.is_tensor`."""
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input._dtype.is_floating_point


def is_complex(input):
    return input._dtype.is_complex


def result_type(tensor1, tensor2):
    from ._dtype import result_type as _rt

    return _rt(tensor1, tensor2)


def can_cast(from_, to):
    if from_._kind > to._kind:
        return False
    return not (from_._kind == to._kind == 1 and from_ is not to and to is uint8 and False)


from ._random import *  # noqa: E402,F401,F403
from ._finfo import finfo, iinfo  # noqa: E402,F401
from ._memory_format import (  # noqa: E402,F401
    memory_format,
    contiguous_format,
    channels_last,
    channels_last_3d,
    preserve_format,
)
from ._runtime import (  # noqa: E402,F401
    set_num_threads,
    get_num_threads,
    set_num_interop_threads,
    get_num_interop_threads,
    use_deterministic_algorithms,
    are_deterministic_algorithms_enabled,
    is_deterministic_algorithms_warn_only_enabled,
    set_float32_matmul_precision,
    get_float32_matmul_precision,
    compile,
)

# constants (`float` here is ember.float, the dtype: the math module gives the numbers)
pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan
newaxis = None
from . import nn  # noqa: E402,F401
from . import optim  # noqa: E402,F401
from . import utils  # noqa: E402,F401
from . import serialization  # noqa: E402,F401
from .serialization import save, load  # noqa: E402,F401
from . import _return_types as return_types  # noqa: E402,F401
from . import backends  # noqa: E402,F401
from . import version  # noqa: E402,F401
from . import testing  # noqa: E402,F401
from . import special  # noqa: E402,F401
from . import fft  # noqa: E402,F401
from . import amp  # noqa: E402,F401
from . import accelerator  # noqa: E402,F401
from . import func  # noqa: E402,F401
from . import jit  # noqa: E402,F401
from . import multiprocessing  # noqa: E402,F401
from ._windows import (  # noqa: E402,F401
    bartlett_window,
    blackman_window,
    hamming_window,
    hann_window,
    kaiser_window,
)
from .func import vmap  # noqa: E402,F401
from .amp import autocast, is_autocast_enabled, get_autocast_dtype  # noqa: E402,F401
from .amp import (  # noqa: E402,F401
    clear_autocast_cache,
    get_autocast_cpu_dtype,
    get_autocast_gpu_dtype,
    is_autocast_cache_enabled,
    is_autocast_cpu_enabled,
    set_autocast_cache_enabled,
    set_autocast_dtype,
    set_autocast_enabled,
)


def __getattr__(name):
    # `ember.distributions`, `ember.signal` and `ember.sparse` are imported on first use: most
    # programs never touch them
    if name in ("distributions", "signal", "sparse"):
        import importlib

        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# device modules, profiler, storages and the smaller top-level names (see ember/_api_gaps.py)
from . import cpu, xpu, mps, mtia  # noqa: E402,F401
from . import distributed  # noqa: E402,F401
from . import profiler  # noqa: E402,F401
from . import types  # noqa: E402,F401
from ._api_gaps import install as _install_api_gaps  # noqa: E402

_install_api_gaps(globals())

# torch._foreach_* (list-of-tensors ops used by EMA and optimizer code)
from ._foreach import install as _install_foreach  # noqa: E402

_install_foreach(globals())
from ._api_gaps2 import install as _install_api_gaps2  # noqa: E402

_install_api_gaps2(globals())
from ._lowrank import pca_lowrank, svd_lowrank  # noqa: E402,F401

# torch.sparse loads at the first use of a sparse name (see ember/_sparse_lazy.py)
from ._sparse_lazy import install as _install_sparse_lazy  # noqa: E402

_install_sparse_lazy(globals())
