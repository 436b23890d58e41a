"""What the federation's server and sites share: the checks, and the trainable weights that travel.

Only the trainable weights travel: all of them (full), LoRA adapters and head (lora), or the head of
a frozen probe — in a fixed order, by name, so the server and every site agree on what each array is.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from safetensors.numpy import save_file

from biofm.core.config import RunConfig
from biofm.core.errors import BiofmError, ConfigError
from biofm.core.io import atomic_path
from biofm.training.finetune import checked_config

FOLDER = "federated"  # inside the run folder: rounds.json, logs and (simulation) the sites' data
GLOBAL_WEIGHTS, BEST_WEIGHTS = "global.safetensors", "best.safetensors"  # the trainable weights, for resume


class FederationError(BiofmError):
    """A site or the server failed, or a round never completed; the message names the log to read."""


class _QuietDeprecations(logging.Filter):
    """Flower's legacy start_server/start_client print a deprecation banner; the API still works."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "deprecated" not in record.getMessage()


def check_federated(cfg: RunConfig) -> None:
    """Before any work: what federated training cannot do (yet)."""
    if not cfg.model.pretrained:
        raise ConfigError("federated training needs model.pretrained: every site must start from the same "
                          "weights and tokenizer (a tokenizer built from one site's data would not fit the others)")
    if cfg.train.dp_epsilon is not None or cfg.self_training.unlabelled:
        raise ConfigError("federated training does not combine with train.dp_epsilon or self_training yet")
    if cfg.train.ensemble > 1 or cfg.train.adapt_steps:
        raise ConfigError("federated training does not combine with train.ensemble or train.adapt_steps yet")
    if cfg.model.extra_features:  # each site would scale them by its own statistics
        raise ConfigError("federated training does not combine with model.extra_features yet (the sites would "
                          "put the features on different scales)")


def federation_config(cfg: RunConfig) -> RunConfig:
    """``cfg`` resolved and checked as for training, then for federated use."""
    cfg = checked_config(cfg)
    check_federated(cfg)
    return cfg


logging.getLogger("flwr").addFilter(_QuietDeprecations())


def trainable_names(model: torch.nn.Module) -> list[str]:
    """Names of the parameters that train, in model order: the weights that travel each round."""
    return [name for name, p in model.named_parameters() if p.requires_grad]


def get_weights(model: torch.nn.Module, names: list[str]) -> list[np.ndarray]:
    """The named parameters as float32 numpy arrays (copies), in the order of ``names``."""
    params = dict(model.named_parameters())
    return [params[n].detach().float().cpu().numpy().copy() for n in names]


def set_weights(model: torch.nn.Module, names: list[str], arrays: list[np.ndarray]) -> None:
    """Copy ``arrays`` into the named parameters; a count that does not match is a clear error."""
    params = dict(model.named_parameters())
    if len(arrays) != len(names):
        raise FederationError(f"received {len(arrays)} weight arrays, expected {len(names)}: the server and the "
                              "sites must use the same model.pretrained and model.adaptation")
    with torch.no_grad():
        for name, array in zip(names, arrays, strict=True):
            params[name].copy_(torch.from_numpy(np.asarray(array, dtype=np.float32)))


def save_arrays(path: Path, names: list[str], arrays: list[np.ndarray], meta: dict) -> None:
    """Write named arrays with metadata (round, score) as safetensors, atomically."""
    with atomic_path(path) as tmp:
        save_file({n: np.ascontiguousarray(a) for n, a in zip(names, arrays, strict=True)}, str(tmp),
                  metadata={k: str(v) for k, v in meta.items()})


def load_arrays(path: Path, names: list[str]) -> tuple[list[np.ndarray], dict]:
    """Read named arrays and their metadata back from a safetensors file."""
    with safe_open(str(path), "np") as handle:
        return [handle.get_tensor(n) for n in names], handle.metadata()
