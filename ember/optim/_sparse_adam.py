"""SparseAdam. Mirrors `torch.optim.SparseAdam`: its argument checks and state layout. ember
has no sparse-layout tensors, so every gradient is dense and `step` raises torch's error for
dense gradients (use Adam instead)."""

from .optimizer import Optimizer, _hooked_step


class SparseAdam(Optimizer):
    """Mirrors `torch.optim.SparseAdam`. ember's gradients are always dense, for which torch's
    `step` raises "SparseAdam does not support dense gradients"; ember raises the same."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False):
        if hasattr(lr, "numel") and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        defaults = dict(lr=lr, betas=betas, eps=eps, maximize=maximize)
        super().__init__(params, defaults)
        complex_params = []
        for index, group in enumerate(self.param_groups):
            for d_index, p in enumerate(group["params"]):
                if p.is_complex():
                    complex_params.append([index, d_index])
        if complex_params:
            raise ValueError(
                f"Complex params at indices {complex_params}: SparseAdam does not support "
                "complex parameters")

    @_hooked_step
    def step(self, closure=None):
        """Mirrors `torch.optim.SparseAdam.step`: raises for the (always dense) gradients."""
        loss = self._run_closure(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if not getattr(p.grad, "is_sparse", False):
                    raise RuntimeError(
                        "SparseAdam does not support dense gradients, please consider Adam "
                        "instead")
                # never skip a sparse gradient silently
                raise NotImplementedError("ember's SparseAdam has no sparse-gradient update")
        return loss
