"""Multi-task regression (MTR) pretraining: predict every descriptor of the modality's feature set.

Why: regressing ~200 RDKit descriptors beat masked-LM as a pretraining objective in ChemBERTa-2, and
MTR on a task's own few thousand molecules helped on every ADME set of Sultan et al. 2025.  The
targets are the modality's first feature set (molecules: ``rdkit2d``), put on one scale with
statistics of a corpus sample (signed log, standardised, clipped: NaN-safe), and cached on disk in
SQLite keyed by the item, so memory stays flat while streaming and a second run reuses them.
``mlm+mtr`` adds both losses; ``mtr`` alone sees unmasked inputs.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import torch
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from torch import nn
from transformers import PreTrainedModel, TrainerCallback

from biofm.core import layout
from biofm.core.config import PretrainConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.data.corpus import Corpus
from biofm.modalities.base import Modality
from biofm.modeling.features import ExtraFeatures

OBJECTIVES = ("mlm", "mtr", "mlm+mtr")
FILL_CHUNK = 20_000  # items described per batch of worker-process work (~20 MB of rows)


def check_objective(objective: str, modality: Modality) -> None:
    """Before any work: the objective exists and the modality has descriptors to regress."""
    if objective not in OBJECTIVES:
        raise ConfigError(f"train.objective: expected one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if "mtr" in objective and not modality.feature_sets:
        raise ConfigError(f"train.objective: {objective!r} regresses the modality's descriptors, and "
                          f"{modality.name} has none; use mlm")


class FeatureCache:
    """Raw feature rows by item, in SQLite on disk: computed once, read back by later passes and runs."""

    def __init__(self, path: Path, modality: Modality, name: str):
        self.path, self.modality, self.name = Path(path), modality, name
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS features (item TEXT PRIMARY KEY, row BLOB)")

    def raw(self, items: list[str]) -> np.ndarray:
        found = dict(self._lookup(items))
        missing = sorted({i for i in items if i not in found})
        if missing:
            found.update(zip(missing, self._compute(missing), strict=True))
        return np.stack([found[i] for i in items])

    def fill(self, items: list[str]) -> int:
        """Compute and store the rows not cached yet; how many that was."""
        known = {item for item, in self._stored(items, "item")}
        missing = sorted({i for i in items if i not in known})
        if missing:
            self._compute(missing)
        return len(missing)

    def _compute(self, items: list[str]) -> np.ndarray:
        computed = self.modality.extra_features(self.name, items).astype(np.float32)
        self.db.executemany("INSERT OR REPLACE INTO features VALUES (?, ?)",
                            [(i, r.tobytes()) for i, r in zip(items, computed, strict=True)])
        self.db.commit()
        return computed

    def _lookup(self, items: list[str]):
        yield from ((item, np.frombuffer(blob, dtype=np.float32)) for item, blob in self._stored(items, "item, row"))

    def _stored(self, items: list[str], columns: str):
        """``columns`` of the stored rows among ``items`` (``fill`` needs only the keys, not ~1 KB rows)."""
        unique = list(set(items))
        for start in range(0, len(unique), 500):  # SQLite caps the number of bound parameters
            part = unique[start : start + 500]
            query = f"SELECT {columns} FROM features WHERE item IN ({','.join('?' * len(part))})"
            rows = self.db.execute(query, part).fetchall()
            yield from rows

    def __getstate__(self):  # a DataLoader worker opens its own connection
        return {k: v for k, v in self.__dict__.items() if k != "db"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.db = sqlite3.connect(self.path)


class DescriptorTargets:
    """Normalised regression targets for items: cached raw rows, scaled by corpus-sample statistics."""

    def __init__(self, cache: FeatureCache, sample: list[str]):
        self.cache = cache
        self.scaler = ExtraFeatures.from_raw(cache.modality, [cache.name], cache.raw(sample))

    @property
    def width(self) -> int:
        return self.scaler.width

    def __call__(self, items: list[str]) -> np.ndarray:
        return self.scaler.standardise(self.cache.raw(items))


class PretrainingModel(nn.Module):
    """A masked LM plus a descriptor head on the mean-pooled last hidden state.

    Only the masked LM is saved (``save_pretrained``), so the checkpoint is an ordinary HuggingFace
    encoder that ``AutoModel.from_pretrained`` loads; the descriptor head is pretraining scaffolding.
    """

    def __init__(self, mlm: PreTrainedModel, objective: str, n_targets: int, mtr_weight: float = 1.0):
        super().__init__()
        self.mlm, self.objective, self.mtr_weight = mlm, objective, mtr_weight
        width = mlm.config.hidden_size
        self.descriptor_head = nn.Sequential(nn.Linear(width, width), nn.GELU(), nn.Linear(width, n_targets))
        self.sums = {"mlm_loss": 0.0, "mtr_loss": 0.0, "batches": 0}  # since the last log line

    def forward(self, input_ids, attention_mask, labels=None, descriptors=None, **_unused) -> dict:
        out = self.mlm(input_ids=input_ids, attention_mask=attention_mask,
                       labels=labels if "mlm" in self.objective else None, output_hidden_states=True)
        losses = {}
        if "mlm" in self.objective and labels is not None:
            losses["mlm_loss"] = out.loss
        if "mtr" in self.objective and descriptors is not None:
            hidden = out.hidden_states[-1]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            predicted = self.descriptor_head(pooled).float()
            losses["mtr_loss"] = nn.functional.mse_loss(predicted, descriptors.float())
        total = losses.get("mlm_loss", 0.0) + self.mtr_weight * losses.get("mtr_loss", 0.0)
        if self.training:
            for key, value in losses.items():
                self.sums[key] += float(value.detach())
            self.sums["batches"] += 1
        return {"loss": total, **({"logits": out.logits} if "mlm" in self.objective else {})}

    def save_pretrained(self, folder: str) -> None:
        self.mlm.save_pretrained(folder)

    def state_dict(self, *args, **kwargs):
        """Tied tensors (the LM decoder is the embedding table) copied apart: the Trainer writes a plain
        module's checkpoint with safetensors, which refuses tensors that share memory."""
        state, seen = super().state_dict(*args, **kwargs), set()
        for key, tensor in state.items():
            if isinstance(tensor, torch.Tensor):
                if tensor.data_ptr() in seen:
                    state[key] = tensor.clone()
                seen.add(tensor.data_ptr())
        return state

    def take_losses(self) -> dict[str, float]:
        """Mean component losses since the last call (for the log line), then start counting again."""
        n = max(self.sums["batches"], 1)
        taken = {k: round(v / n, 4) for k, v in self.sums.items() if k != "batches" and v}
        self.sums = {"mlm_loss": 0.0, "mtr_loss": 0.0, "batches": 0}
        return taken


class ComponentLosses(TrainerCallback):
    """Adds the MLM and MTR losses to each training log line (the progress bar and history show both)."""

    def __init__(self, model: PretrainingModel):
        self.model = model

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            parts = self.model.take_losses()
            logs.update(parts)
            state.log_history[-1].update(parts)


def descriptor_targets(cfg: PretrainConfig, modality: Modality, corpus: Corpus, out_dir: Path) -> DescriptorTargets:
    """MTR targets: the modality's first feature set, scaled by a corpus sample, cached on disk."""
    path = Path(cfg.corpus.feature_cache) if cfg.corpus.feature_cache else _cache_path(corpus, out_dir)
    console.print(f"MTR targets: {modality.feature_sets[0]} (cache {path}) …")
    cache = FeatureCache(path, modality, modality.feature_sets[0])
    fill_cache(cache, corpus, items_to_see(cfg))
    return DescriptorTargets(cache, corpus.sample("train", min(cfg.corpus.vocab_sample, 5000)))


def items_to_see(cfg: PretrainConfig) -> int:
    """The training items a run reads from the start of the corpus: its steps' worth plus the shuffle buffer
    read ahead, at most ``corpus.max_items`` (later passes read the same items again)."""
    wanted = cfg.train.steps * cfg.train.batch_size + cfg.corpus.shuffle_buffer
    return min(wanted, cfg.corpus.max_items) if cfg.corpus.max_items else wanted


def fill_cache(cache: FeatureCache, corpus: Corpus, n_items: int) -> None:
    """Descriptors of the first ``n_items`` training items, computed before training starts.

    Why up front: computed while training, they share the cores with the model and ran at ~90 molecules/s
    on 2 cores; in worker processes on every core with no model beside them, as a screen computes them,
    170-330 a second on the same machine.  A second run (or a resumed one) finds them cached and skips this.
    """
    columns = (TextColumn("[bold]MTR targets"), BarColumn(), MofNCompleteColumn(), TextColumn("items"),
               TimeElapsedColumn(), TimeRemainingColumn())
    computed = 0
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("targets", total=n_items)
        for chunk in chunks(itertools.islice(corpus.items("train"), n_items), FILL_CHUNK):
            computed += cache.fill(chunk)
            progress.advance(bar, len(chunk))
    if computed:
        console.print(f"MTR targets: {computed} item(s) described and cached")


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last one shorter), drawn lazily from any iterable."""
    items = iter(items)
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _cache_path(corpus: Corpus, out_dir: Path) -> Path:
    """Beside the first corpus file, so a second run on that corpus reuses it; in the run folder when that
    folder cannot be written (a corpus inside a read-only installation)."""
    first = corpus.paths[0]
    beside = first.with_name(f"{first.name}.features.sqlite")
    return beside if os.access(first.parent, os.W_OK) else out_dir / layout.FEATURE_CACHE


def stack_descriptors(items: list[dict]) -> torch.Tensor | None:
    """Pop each item's descriptor targets (the LM collator must not see them) and stack them."""
    if "descriptors" not in items[0]:
        return None
    return torch.as_tensor(np.stack([item.pop("descriptors") for item in items]))
