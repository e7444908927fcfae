"""Mirrors `torch.utils.checkpoint`. Activation checkpointing trades memory for recomputation;
the values and gradients are those of running the function directly, which is what ember does.
"""


def checkpoint(function, *args, use_reentrant=None, context_fn=None, determinism_check="default",
               debug=False, preserve_rng_state=True, **kwargs):
    """Mirrors `torch.utils.checkpoint.checkpoint`: function(*args, **kwargs)."""
    return function(*args, **kwargs)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Mirrors `torch.utils.checkpoint.checkpoint_sequential`: the functions applied in turn."""
    from ..nn import Sequential

    if isinstance(functions, Sequential):
        functions = list(functions.children())
    for fn in functions:
        input = fn(input)
    return input
