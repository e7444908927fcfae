"""Mirrors `torch.nn.utils.parametrizations`: weight_norm, spectral_norm and orthogonal as
parametrizations (module.parametrizations.weight.original0 / .original1, ...)."""

from .. import functional as F
from ..modules.conv import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from ..modules.module import Module
from . import parametrize
from .parametrizations_orthogonal import orthogonal  # noqa: F401
from ._norms import norm_except_dim, reshape_weight_to_matrix, weight_norm_compute


class _WeightNorm(Module):
    def __init__(self, dim=0):
        super().__init__()
        if dim is None:
            dim = -1
        self.dim = dim

    def forward(self, weight_g, weight_v):
        return weight_norm_compute(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        return norm_except_dim(weight, 2, self.dim), weight


def weight_norm(module, name="weight", dim=0):
    """Mirrors `torch.nn.utils.parametrizations.weight_norm`: weight = g * v / ||v||."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)

    def _weight_norm_compat_hook(state_dict, prefix, local_metadata, strict, missing_keys,
                                 unexpected_keys, error_msgs):
        # checkpoints written with the old torch.nn.utils.weight_norm name the two tensors
        # `<name>_g` and `<name>_v`: move them to where the parametrization keeps them
        g_key = f"{prefix}{name}_g"
        v_key = f"{prefix}{name}_v"
        if g_key in state_dict and v_key in state_dict:
            g = state_dict.pop(g_key)
            v = state_dict.pop(v_key)
            state_dict[f"{prefix}parametrizations.{name}.original0"] = g
            state_dict[f"{prefix}parametrizations.{name}.original1"] = v

    module._register_load_state_dict_pre_hook(_weight_norm_compat_hook)
    return module


class _SpectralNorm(Module):
    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.dim()
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             f"n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            from ... import no_grad

            self.n_power_iterations = n_power_iterations
            mat = reshape_weight_to_matrix(weight.detach(), self.dim)
            h, w = mat.shape
            u = mat.new_empty(h).normal_(0, 1)
            v = mat.new_empty(w).normal_(0, 1)
            self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
            self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
            with no_grad():
                self._power_method(mat, 15)

    def _power_method(self, mat, n):
        from ... import mv, no_grad

        with no_grad():
            for _ in range(n):
                self._u.copy_(F.normalize(mv(mat, self._v), dim=0, eps=self.eps))
                self._v.copy_(F.normalize(mv(mat.mH, self._u), dim=0, eps=self.eps))

    def forward(self, weight):
        from ... import mv, vdot

        if weight.dim() == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        mat = reshape_weight_to_matrix(weight, self.dim)
        if self.training:
            self._power_method(mat.detach(), self.n_power_iterations)
        u = self._u.clone()
        v = self._v.clone()
        sigma = vdot(u, mv(mat, v))
        return weight / sigma

    def right_inverse(self, value):
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Mirrors `torch.nn.utils.parametrizations.spectral_norm`: weight / sigma_max(weight)."""
    weight = getattr(module, name, None)
    if weight is None:
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if isinstance(module, (ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)) \
            else 0
    parametrize.register_parametrization(module, name,
                                         _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module


__all__ = ["weight_norm", "spectral_norm", "orthogonal"]
