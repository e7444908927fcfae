"""Mirrors `torch.nn.parallel`: DataParallel on a machine without several GPUs, which (as in
PyTorch) just runs the wrapped module."""

from ..modules.module import Module


class DataParallel(Module):
    """Mirrors `torch.nn.DataParallel`: holds the model as `.module` (so state_dict keys start
    with "module.") and calls it; ember does not split batches across devices."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids = [] if device_ids is None else list(device_ids)
        self.output_device = output_device
        self.dim = dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
                  module_kwargs=None):
    """Mirrors `torch.nn.parallel.data_parallel`."""
    if not isinstance(inputs, tuple):
        inputs = (inputs,)
    return module(*inputs, **(module_kwargs or {}))


__all__ = ["DataParallel", "data_parallel"]
