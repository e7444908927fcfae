"""Helpers shared by weight_norm and spectral_norm (both API generations)."""


def norm_except_dim(v, pow=2, dim=0):
    """PyTorch's `torch.norm_except_dim`: the norm over every dim but `dim`, kept broadcastable
    (a 0-d norm of everything for dim=-1)."""
    if dim == -1:
        return v.norm(pow)
    nd = v.dim()
    if dim < 0:
        dim += nd
    others = tuple(d for d in range(nd) if d != dim)
    return v.norm(pow, dim=others, keepdim=True)


def weight_norm_compute(v, g, dim):
    """PyTorch's `torch._weight_norm`: v scaled to norm g (per slice along dim)."""
    return v * (g / norm_except_dim(v, 2, dim))


def reshape_weight_to_matrix(weight, dim):
    """The weight as a matrix whose rows run along `dim` (spectral norm's view of it)."""
    if dim != 0:
        perm = [dim] + [d for d in range(weight.dim()) if d != dim]
        weight = weight.permute(*perm)
    return weight.reshape(weight.shape[0], -1)
