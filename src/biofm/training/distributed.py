"""Multi-process training through the standard launchers (``torchrun``, ``accelerate launch``).

Why nothing home-made: once a launcher has set ``RANK``/``WORLD_SIZE``, the HuggingFace Trainer shards
every epoch with a ``DistributedSampler`` and averages gradients with DDP (gloo on CPU, NCCL on GPUs).
What biofm adds is run-folder discipline: rank 0 alone prepares and writes the folder, the others
wait for it, the configured batch size stays the *global* batch, and ``distributed.json`` records
that every rank trained on its own shard and ended with identical weights.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import torch
import torch.distributed as dist

from biofm.core.config import RunConfig
from biofm.core.errors import ConfigError


def world_size() -> int:
    """Processes in this launch (1 without torchrun / accelerate)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def rank() -> int:
    """This process's rank in the launch (0 without torchrun / accelerate)."""
    return int(os.environ.get("RANK", "0"))


def is_main() -> bool:
    """Whether this process writes the run folder (rank 0)."""
    return rank() == 0


def init() -> None:
    """Join the launcher's process group before any work, so rank 0 can prepare the run folder
    while the others wait (the Trainer reuses this group)."""
    if world_size() > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")


def barrier() -> None:
    """Wait for every process of the launch (no-op in one process)."""
    if dist.is_initialized():
        dist.barrier()


def finish() -> None:
    """Leave the launch together: every rank waits until rank 0 has written the run folder, then each
    closes the group.  A rank that exits with the group still open can be aborted by gloo's threads
    ("terminate called without an active exception"), and torchrun then kills rank 0 mid-write."""
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def gather(value: Any) -> list[Any]:
    """``value`` from every rank, in rank order (just ``[value]`` in a single process)."""
    if not dist.is_initialized():
        return [value]
    out: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(out, value)
    return out


def check_config(cfg: RunConfig) -> None:
    """Before any work, under a multi-process launcher: the batch must split evenly across processes."""
    n = world_size()
    if n > 1 and cfg.train.batch_size % n:
        raise ConfigError(f"train.batch_size: {cfg.train.batch_size} is the global batch and must divide evenly "
                          f"among {n} processes")
    if n > 1 and cfg.self_training.unlabelled:
        raise ConfigError("self_training: run pseudo-labelling in one process (not under torchrun)")
    if n > 1 and cfg.train.adapt_steps:
        raise ConfigError("train.adapt_steps: adapt to the domain in one process first (not under torchrun)")
    if n > 1 and cfg.train.ensemble > 1:
        raise ConfigError("train.ensemble: train ensemble members in one process (not under torchrun)")


def rank_record(trainer, model: torch.nn.Module) -> dict:
    """What this process did: optimisation steps, a fingerprint of its first training batch (shards
    differ) and of its final weights (equal on every rank when gradients were averaged)."""
    first = next(iter(trainer.get_train_dataloader()))
    batch = {k: v for k, v in first.items() if isinstance(v, torch.Tensor)}
    return {"rank": rank(), "steps": trainer.state.global_step, "first_batch": digest(batch),
            "weights": digest(model.state_dict())}


def digest(tensors: dict[str, torch.Tensor]) -> str:
    """A short fingerprint of named tensors: equal on every rank iff the weights are equal."""
    h = hashlib.sha256()
    for name in sorted(tensors):
        h.update(name.encode())
        h.update(tensors[name].detach().float().cpu().numpy().tobytes())
    return h.hexdigest()[:16]
