"""Mirrors `torch.distributed` for one process.

`is_available()` is True as on PyTorch's CPU build, and nothing is initialised until
`init_process_group` is called, so the common guards (`dist.is_available() and
dist.is_initialized()`) and the not-initialised errors behave as in PyTorch. ember has no
communication back end: `init_process_group` accepts a world of size 1 only (rank 0), where every
collective is what it is on one process (all_reduce leaves the tensor as it is, all_gather
copies it, broadcast and barrier do nothing). A larger world raises NotImplementedError.
"""

import os
from datetime import timedelta

_NOT_INIT = ("Default process group has not been initialized, please make sure to call "
             "init_process_group.")

default_pg_timeout = timedelta(minutes=30)


class ReduceOp:
    """Mirrors `torch.distributed.ReduceOp`: names of the reductions."""

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"
    PREMUL_SUM = "premul_sum"


# the old name
reduce_op = ReduceOp


class Backend(str):
    """Mirrors `torch.distributed.Backend`: a lower-case back-end name."""

    GLOO = "gloo"
    NCCL = "nccl"
    MPI = "mpi"
    UCC = "ucc"

    def __new__(cls, name):
        return str.__new__(cls, name.lower())


class ProcessGroup:
    """The one-process group that `init_process_group` creates."""

    def __init__(self, backend, rank, world_size):
        self._backend = backend
        self._rank = rank
        self._world_size = world_size

    def rank(self):
        return self._rank

    def size(self):
        return self._world_size

    def name(self):
        return self._backend


class GroupMember:
    """Mirrors `torch.distributed.GroupMember`: WORLD is the default group once initialised."""

    WORLD = None
    NON_GROUP_MEMBER = -100


group = GroupMember


class _Work:
    """What an `async_op=True` collective returns: the work is already done."""

    def wait(self, timeout=None):
        return True

    def is_completed(self):
        return True

    def is_success(self):
        return True


def is_available():
    """Mirrors `torch.distributed.is_available`: True, as on PyTorch's CPU build."""
    return True


def is_initialized():
    """Mirrors `torch.distributed.is_initialized`."""
    return GroupMember.WORLD is not None


def is_nccl_available():
    return False


def is_gloo_available():
    return True


def is_mpi_available():
    return False


def is_ucc_available():
    return False


def is_backend_available(backend):
    return backend.lower() == "gloo"


def is_torchelastic_launched():
    """Mirrors `torch.distributed.is_torchelastic_launched`: torchrun sets TORCHELASTIC_RUN_ID."""
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def get_default_backend_for_device(device):
    return "gloo"


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None):
    """Mirrors `torch.distributed.init_process_group` for a world of one process."""
    if GroupMember.WORLD is not None:
        raise ValueError("trying to initialize the default process group twice!")
    if world_size == -1:
        world_size = int(os.environ.get("WORLD_SIZE", 1))
    if rank == -1:
        rank = int(os.environ.get("RANK", 0))
    if world_size != 1 or rank != 0:
        raise NotImplementedError(
            "ember.distributed runs one process only (world_size=1, rank=0): it has no "
            "communication back end"
        )
    GroupMember.WORLD = ProcessGroup(Backend(backend or "gloo"), rank, world_size)


def destroy_process_group(group=None):
    """Mirrors `torch.distributed.destroy_process_group`."""
    if GroupMember.WORLD is None:
        raise AssertionError("Process group cannot be None")
    GroupMember.WORLD = None


def _world(group=None):
    if GroupMember.WORLD is None:
        raise ValueError(_NOT_INIT)
    return group if group is not None else GroupMember.WORLD


def get_rank(group=None):
    """Mirrors `torch.distributed.get_rank`."""
    return _world(group).rank()


def get_world_size(group=None):
    """Mirrors `torch.distributed.get_world_size`."""
    return _world(group).size()


def get_backend(group=None):
    return _world(group).name()


def get_global_rank(group, group_rank):
    return group_rank


def get_process_group_ranks(group):
    return list(range(_world(group).size()))


def new_group(ranks=None, timeout=None, backend=None, pg_options=None, **kwargs):
    world = _world()
    return ProcessGroup(world.name(), 0, world.size())


def _done(async_op):
    return _Work() if async_op else None


def barrier(group=None, async_op=False, device_ids=None):
    _world(group)
    return _done(async_op)


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    # the reduction over one process is the tensor itself, whatever the op
    _world(group)
    return _done(async_op)


def reduce(tensor, dst=0, op=ReduceOp.SUM, group=None, async_op=False):
    _world(group)
    return _done(async_op)


def broadcast(tensor, src=0, group=None, async_op=False):
    _world(group)
    return _done(async_op)


def all_gather(tensor_list, tensor, group=None, async_op=False):
    _world(group)
    tensor_list[0].copy_(tensor)
    return _done(async_op)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    _world(group)
    output_tensor.copy_(input_tensor.reshape(output_tensor.shape))
    return _done(async_op)


def gather(tensor, gather_list=None, dst=0, group=None, async_op=False):
    _world(group)
    if gather_list is not None:
        gather_list[0].copy_(tensor)
    return _done(async_op)


def scatter(tensor, scatter_list=None, src=0, group=None, async_op=False):
    _world(group)
    if scatter_list is not None:
        tensor.copy_(scatter_list[0])
    return _done(async_op)


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    _world(group)
    output.copy_(input_list[0])
    return _done(async_op)


def all_gather_object(object_list, obj, group=None):
    _world(group)
    object_list[0] = obj


def broadcast_object_list(object_list, src=0, group=None, device=None):
    _world(group)


def gather_object(obj, object_gather_list=None, dst=0, group=None):
    _world(group)
    if object_gather_list is not None:
        object_gather_list[0] = obj
