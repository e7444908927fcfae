"""Mirrors `torch.nn.utils.convert_parameters`: parameters <-> one flat vector."""

from ..._tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_device(param, device):
    if device is None:
        return param.device
    if param.device != device:
        raise TypeError(
            "Found two parameters on different devices, this is currently not supported."
        )
    return device


def parameters_to_vector(parameters):
    """Mirrors `torch.nn.utils.parameters_to_vector`: one 1-D tensor (differentiable)."""
    import ember

    device = None
    flat = []
    for p in parameters:
        device = _check_device(p, device)
        flat.append(p.reshape(-1))
    return ember.cat(flat)


def vector_to_parameters(vec, parameters):
    """Mirrors `torch.nn.utils.vector_to_parameters`: each parameter's data becomes a slice
    (a view) of vec."""
    if not isinstance(vec, Tensor):
        from ..modules.module import _typename

        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    device = None
    pointer = 0
    for p in parameters:
        device = _check_device(p, device)
        n = p.numel()
        p._data = vec._data[pointer:pointer + n].reshape(tuple(p.shape))
        p._dtype = vec._dtype
        pointer += n
