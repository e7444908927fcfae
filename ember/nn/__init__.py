"""Mirrors `torch.nn`: Module, Parameter, layers, functional, init, utils."""

from . import functional, grad, init, modules, parameter, utils  # noqa: F401
from .modules import *  # noqa: F403
from .modules import Module  # noqa: F401
from .parameter import Buffer, Parameter  # noqa: F401
from . import parallel  # noqa: F401,E402
from .parallel import DataParallel  # noqa: F401,E402
from .modules.lazy import UninitializedBuffer, UninitializedParameter  # noqa: F401,E402
