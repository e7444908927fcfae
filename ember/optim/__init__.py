"""Mirrors `torch.optim`: SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam,
ASGD, Rprop, LBFGS,
Adafactor, Muon, SparseAdam and `lr_scheduler`."""

from .optimizer import Optimizer  # noqa: F401
from ._algorithms import SGD, Adam, AdamW, RMSprop, Adagrad  # noqa: F401
from ._more_algorithms import Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop, LBFGS  # noqa: F401
from ._adafactor import Adafactor  # noqa: F401
from ._muon import Muon  # noqa: F401
from ._sparse_adam import SparseAdam  # noqa: F401
from . import lr_scheduler  # noqa: F401
from . import swa_utils  # noqa: F401
