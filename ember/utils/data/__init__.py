"""Mirrors `torch.utils.data`: datasets, samplers, collate and DataLoader."""

from .dataset import (  # noqa: F401
    Dataset,
    IterableDataset,
    TensorDataset,
    StackDataset,
    ConcatDataset,
    ChainDataset,
    Subset,
    random_split,
)
from .sampler import (  # noqa: F401
    Sampler,
    SequentialSampler,
    RandomSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
    BatchSampler,
)
from ._collate import default_collate, default_convert  # noqa: F401
from .dataloader import DataLoader, get_worker_info, WorkerInfo  # noqa: F401
from . import distributed  # noqa: F401,E402
from .distributed import DistributedSampler  # noqa: F401,E402
