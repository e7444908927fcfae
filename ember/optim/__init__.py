"""Mirrors `torch.optim`: SGD, Adam, AdamW, RMSprop, Adagrad and `lr_scheduler`."""

from .optimizer import Optimizer  # noqa: F401
from ._algorithms import SGD, Adam, AdamW, RMSprop, Adagrad  # noqa: F401
from . import lr_scheduler  # noqa: F401
