"""Mirrors `torch.nn.utils`: gradient clipping, parameter/vector conversion, rnn helpers."""

from .clip_grad import clip_grad_norm_, clip_grad_norm, clip_grad_value_, get_total_norm  # noqa
from .clip_grad import clip_grads_with_norm_  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from . import rnn  # noqa: F401
from . import parametrize, parametrizations  # noqa: F401
from .weight_norm import weight_norm, remove_weight_norm  # noqa: F401
from .spectral_norm import spectral_norm, remove_spectral_norm  # noqa: F401

from . import stateless  # noqa: F401,E402
from . import prune  # noqa: F401,E402
from . import fusion  # noqa: F401,E402
