"""`ember.random`: mirrors `torch.random` (seeding, state and `fork_rng`)."""

import contextlib

from ._random import (
    _CUDA_GENERATORS,
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__all__ = [
    "Generator",
    "default_generator",
    "fork_rng",
    "get_rng_state",
    "initial_seed",
    "manual_seed",
    "seed",
    "set_rng_state",
]


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type=None):
    """Mirrors `torch.random.fork_rng`: restore the CPU (and CUDA) generators' states on exit."""
    if not enabled:
        yield
        return
    cpu_state = default_generator.get_state()
    cuda = [(g, g.get_state()) for i, g in _CUDA_GENERATORS.items()
            if devices is None or i in devices]
    try:
        yield
    finally:
        default_generator.set_state(cpu_state)
        for g, state in cuda:
            g.set_state(state)
