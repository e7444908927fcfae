"""Stochastic weight averaging and exponential moving averages of a model's weights. Mirrors
`torch.optim.swa_utils`: AveragedModel, SWALR, update_bn and the averaging functions.

The averages are updated in place under no_grad with the same formulas PyTorch uses on each
device (on the CPU, p + (q - p) / (n + 1); with a multi-tensor function, lerp), so averaged
weights agree with torch's to the last bit.
"""

import itertools
import math
import warnings
from copy import deepcopy

import ember
from ember.nn.modules.module import Module
from ember.nn.modules.normalization import _BatchNorm

from .lr_scheduler import LRScheduler

__all__ = [
    "SWALR",
    "AveragedModel",
    "get_ema_avg_fn",
    "get_ema_multi_avg_fn",
    "get_swa_avg_fn",
    "get_swa_multi_avg_fn",
    "update_bn",
]


def _check_decay(decay):
    if decay < 0.0 or decay > 1.0:
        raise ValueError(
            f"Invalid decay value {decay} provided. Please provide a value in [0,1] range.")


def _is_float(t):
    return ember.is_floating_point(t) or ember.is_complex(t)


def get_ema_multi_avg_fn(decay=0.999):
    """An in-place EMA update of lists of tensors: ema <- decay * ema + (1 - decay) * p."""
    _check_decay(decay)

    def ema_update(ema_param_list, current_param_list, _):
        with ember.no_grad():
            if _is_float(ema_param_list[0]):
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.lerp_(p_model, 1 - decay)
            else:
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.copy_(p_ema * decay + p_model * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn():
    """An in-place running-mean update of lists of tensors (the n-th model weighs 1/(n+1))."""

    def swa_update(averaged_param_list, current_param_list, num_averaged):
        with ember.no_grad():
            if _is_float(averaged_param_list[0]):
                weight = float(1 / (num_averaged + 1))
                for p_avg, p_model in zip(averaged_param_list, current_param_list):
                    p_avg.lerp_(p_model, weight)
                return
            for p_avg, p_model in zip(averaged_param_list, current_param_list):
                diff = p_model - p_avg
                p_avg.copy_(p_avg + diff / (num_averaged + 1))

    return swa_update


def get_ema_avg_fn(decay=0.999):
    """An EMA step for one tensor, returning decay * ema + (1 - decay) * current."""
    _check_decay(decay)

    def ema_update(ema_param, current_param, num_averaged):
        with ember.no_grad():
            return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn():
    """A running-mean step for one tensor, returning avg + (current - avg) / (n + 1)."""

    def swa_update(averaged_param, current_param, num_averaged):
        with ember.no_grad():
            return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """A copy of `model` whose parameters (and, with use_buffers, buffers) are the running
    average of the models passed to `update_parameters`. Mirrors
    `torch.optim.swa_utils.AveragedModel`; its state_dict holds `n_averaged` and `module.*`.
    """

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", ember.tensor(0, dtype=ember.long, device=device))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _averaged_tensors(self, model):
        if self.use_buffers:
            mine = itertools.chain(self.module.parameters(), self.module.buffers())
            theirs = itertools.chain(model.parameters(), model.buffers())
        else:
            # PyTorch pairs self.parameters() (which are the module's) with model's
            mine = self.parameters()
            theirs = model.parameters()
        return mine, theirs

    def update_parameters(self, model):
        """Fold `model`'s current weights into the average (the first call copies them)."""
        mine, theirs = self._averaged_tensors(model)
        averaged = []
        current = []
        first = bool(self.n_averaged == 0)
        with ember.no_grad():
            for p_averaged, p_model in zip(mine, theirs):
                p_model_ = p_model.detach().to(p_averaged.device)
                averaged.append(p_averaged.detach())
                current.append(p_model_)
                if first:
                    p_averaged.detach().copy_(p_model_)
            if not first:
                self._average(averaged, current)
            if not self.use_buffers:
                # buffers (batch-norm statistics) are copied, not averaged
                for b_swa, b_model in zip(self.module.buffers(), model.buffers()):
                    b_swa.detach().copy_(b_model.detach().to(b_swa.device))
            self.n_averaged += 1

    def _average(self, averaged, current):
        if self.avg_fn is not None and self.multi_avg_fn is None:
            for p_averaged, p_model in zip(averaged, current):
                n = self.n_averaged.to(p_averaged.device)
                p_averaged.copy_(self.avg_fn(p_averaged, p_model, n))
            return
        for avg_group, model_group, device in _group_by_device_and_dtype(averaged, current):
            n = self.n_averaged.to(device)
            if self.multi_avg_fn is not None:
                self.multi_avg_fn(avg_group, model_group, n)
            elif device.type == "cuda":
                # PyTorch takes its multi-tensor (lerp) path on CUDA
                get_swa_multi_avg_fn()(avg_group, model_group, n)
            else:
                avg_fn = get_swa_avg_fn()
                for p_averaged, p_model in zip(avg_group, model_group):
                    p_averaged.copy_(avg_fn(p_averaged, p_model, n))


def _group_by_device_and_dtype(averaged, current):
    """Pairs of lists grouped by (device, dtype) of the averaged tensors, in first-seen
    order (multi-tensor functions receive one dtype at a time, as PyTorch's do)."""
    groups = {}
    for a, c in zip(averaged, current):
        key = (str(a.device), a.dtype)
        if key not in groups:
            groups[key] = ([], [], a.device)
        groups[key][0].append(a)
        groups[key][1].append(c)
    return list(groups.values())


def update_bn(loader, model, device=None):
    """Recompute the batch-norm running statistics of `model` with one pass over `loader`
    (a cumulative average over all batches). Mirrors `torch.optim.swa_utils.update_bn`."""
    with ember.no_grad():
        momenta = {}
        for module in model.modules():
            if isinstance(module, _BatchNorm):
                module.reset_running_stats()
                momenta[module] = module.momentum
        if not momenta:
            return
        was_training = model.training
        model.train()
        for module in momenta:
            # momentum None: running stats become the plain average over batches
            module.momentum = None
        for input in loader:
            if isinstance(input, (list, tuple)):
                input = input[0]
            if device is not None:
                input = input.to(device)
            model(input)
        for module, momentum in momenta.items():
            module.momentum = momentum
        model.train(was_training)


def _format_param(name, optimizer, param):
    """One value per param group (a list is checked for length)."""
    if isinstance(param, (list, tuple)):
        if len(param) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. "
                f"{name} has {len(param)} values, param_groups has "
                f"{len(optimizer.param_groups)}.")
    else:
        param = [param] * len(optimizer.param_groups)
    return [p.clone() if isinstance(p, ember.Tensor) else p for p in param]


class SWALR(LRScheduler):
    """Anneals each group's lr to its `swa_lr` over `anneal_epochs` steps (cosine or linear),
    then holds it. Mirrors `torch.optim.swa_utils.SWALR`.

    Like PyTorch's, it is "chainable": each step recovers the lr it would have started from
    out of the current one, so another scheduler changing lr in between is respected.
    """

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos",
                 last_epoch=-1):
        swa_lrs = _format_param("swa_lr", optimizer, swa_lr)
        for lr, group in zip(swa_lrs, optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ["cos", "linear"]:
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', "
                             f"instead got {anneal_strategy}")
        self._set_anneal_func(anneal_strategy)
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got "
                             f"{anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear_anneal(t):
        return t

    @staticmethod
    def _cosine_anneal(t):
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _get_initial_lr(lr, swa_lr, alpha):
        # invert lr = alpha * swa_lr + (1 - alpha) * initial
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self):
        if not self._get_lr_called_within_step:
            warnings.warn("To get the last learning rate computed by the scheduler, please "
                          "use `get_last_lr()`.", UserWarning, stacklevel=2)
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_t = max(0, min(1, (step - 1) / max(1, self.anneal_epochs)))
        prev_alpha = self.anneal_func(prev_t)
        groups = self.optimizer.param_groups
        prev_lrs = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
        t = max(0, min(1, step / max(1, self.anneal_epochs)))
        alpha = self.anneal_func(t)
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, prev_lrs)]

    def _set_anneal_func(self, anneal_strategy):
        self._anneal_strategy = anneal_strategy
        if anneal_strategy == "cos":
            self.anneal_func = self._cosine_anneal
        else:
            self.anneal_func = self._linear_anneal

    def state_dict(self):
        # the anneal function is rebuilt from _anneal_strategy on load
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "anneal_func")}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)
        self._set_anneal_func(self._anneal_strategy)
