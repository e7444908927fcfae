"""Mirrors `torch.utils.data.distributed`: `DistributedSampler`."""

import math

from .sampler import Sampler


def _torch_cpu_randperm(n, seed):
    """`torch.randperm(n, generator=torch.Generator().manual_seed(seed))`: ember's CPU generator
    and randperm are torch's (ember/_cpu_rng.py), so every replica gets torch's indices."""
    from ... import _random

    return _random.randperm(n, generator=_random.Generator().manual_seed(seed)).tolist()


class DistributedSampler(Sampler):
    """Mirrors `torch.utils.data.distributed.DistributedSampler`: the share of the dataset's
    indices for replica `rank` of `num_replicas`, shuffled with seed + epoch as torch does
    (the same indices as torch for the same arguments)."""

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0,
                 drop_last=False):
        from ... import distributed as dist

        if num_replicas is None:
            num_replicas = dist.get_world_size()
        if rank is None:
            rank = dist.get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        if self.drop_last and len(self.dataset) % self.num_replicas != 0:
            # drop the tail so that every replica gets the same number of samples
            self.num_samples = math.ceil((len(self.dataset) - self.num_replicas)
                                         / self.num_replicas)
        else:
            self.num_samples = math.ceil(len(self.dataset) / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self):
        if self.shuffle:
            indices = _torch_cpu_randperm(len(self.dataset), self.seed + self.epoch)
        else:
            indices = list(range(len(self.dataset)))
        if not self.drop_last:
            # pad with the first indices (repeated if needed) to divide evenly
            padding_size = self.total_size - len(indices)
            if padding_size <= len(indices):
                indices += indices[:padding_size]
            else:
                indices += (indices * math.ceil(padding_size / len(indices)))[:padding_size]
        else:
            indices = indices[: self.total_size]
        if len(indices) != self.total_size:
            raise AssertionError(
                f"Number of indices ({len(indices)}) does not match total_size "
                f"({self.total_size})")
        indices = indices[self.rank: self.total_size: self.num_replicas]
        if len(indices) != self.num_samples:
            raise AssertionError(
                f"Number of subsampled indices ({len(indices)}) does not match num_samples "
                f"({self.num_samples})")
        return iter(indices)

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Mirrors `DistributedSampler.set_epoch`: a new shuffle each epoch."""
        self.epoch = epoch
