"""Before the first step: data read and split, task, tokenizer, model (+ extra features), and the Trainer.

Why apart from ``finetune``: ordinary, ensemble, multi-process and federated training all start
from the same ``Setup`` and the same ``training_sets``; keeping them here lets each of those loops
live in its own short module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import torch
from torch.utils.data import Dataset
from transformers import PreTrainedTokenizerBase, Trainer

from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.data.splits import Splits, load_splits
from biofm.data.tasks import Task
from biofm.modalities import Modality, get_modality
from biofm.modeling.adaptation import CachedFeatures, HeadOnly, adapt, stack_features
from biofm.modeling.checkpoint import pretrained_tokenizer
from biofm.modeling.encoding import Collator, EncodedDataset, use_bf16
from biofm.modeling.features import ExtraFeatures
from biofm.modeling.inference import tokenizer_texts
from biofm.modeling.model import Predictor, build_predictor
from biofm.training.trainer import hf_trainer


@dataclass
class Setup:
    """Everything training needs before the first step: data, task, tokenizer texts, tokenizer and model."""

    modality: Modality
    splits: Splits
    task: Task
    texts: dict[str, list[str]]  # the tokenizer's text per split ("train", "val", "test")
    tokenizer: PreTrainedTokenizerBase
    model: Predictor
    primary: str  # the metric that selects the best epoch
    features: ExtraFeatures | None = None  # model.extra_features, on the training set's scale


class TrainingSets(NamedTuple):
    """What the Trainer optimises and on what."""

    model: torch.nn.Module  # the predictor, or only its head (a probe trains on cached embeddings)
    train: Dataset
    val: Dataset | None  # None for a federated site: the server validates
    collator: Callable[[list[dict]], dict]
    group_by_length: bool  # length-grouped batches (token ids); off for fixed-size cached embeddings


def setup(cfg: RunConfig, task: Task | None = None) -> Setup:
    """Read and split the data, fit the task (unless given: a federated site gets the server's) and
    build the tokenizer and the adapted model.  Shared by ordinary, multi-process and federated training."""
    modality = get_modality(cfg.modality)
    splits = load_splits(cfg.data, modality)
    task = task or Task.fit(cfg.data.task, cfg.data.label_columns, splits.train)
    texts = {p: tokenizer_texts(modality, cfg.model.tokenizer, getattr(splits, p)) for p in ("train", "val", "test")}
    tokenizer = _tokenizer(cfg, modality, texts["train"])
    features = ExtraFeatures.fit(modality, cfg.model.extra_features, splits.train.inputs)
    model = build_predictor(cfg.model, tokenizer, task.n_outputs, task.mode, features.width if features else 0)
    return Setup(modality, splits, task, texts, tokenizer, adapt(model, cfg.model), modality.primary_metric(task.kind),
                 features)


def training_sets(cfg: RunConfig, s: Setup, validation: bool = True) -> TrainingSets:
    """What the Trainer optimises and on what.

    A probe trains only the head, on embeddings the frozen encoder computes once (no augmentation:
    one pass); otherwise the whole predictor trains on token ids, augmented afresh per access.
    ``validation=False`` (a federated site: the server validates) leaves the val set out (None).
    """
    train_targets, val_targets = s.task.encode(s.splits.train), s.task.encode(s.splits.val)
    extra = {p: s.features(getattr(s.splits, p).inputs) if s.features else None for p in ("train", "val")}
    if cfg.model.adaptation == "probe":
        if cfg.data.augment:
            console.print("[yellow]warning:[/] data.augment is ignored by adaptation: probe "
                          "(embeddings are cached once)")
        bf16 = use_bf16(cfg.train.precision)
        console.print("embedding the training and validation sets once with the frozen encoder …")
        train_set = CachedFeatures(s.model, s.texts["train"], train_targets, s.tokenizer, cfg.model.max_length, bf16,
                                   extra["train"])
        val_set = CachedFeatures(s.model, s.texts["val"], val_targets, s.tokenizer, cfg.model.max_length,
                                 bf16, extra["val"]) if validation else None
        return TrainingSets(HeadOnly(s.model), train_set, val_set, stack_features, False)
    spec, modality = cfg.model.tokenizer, s.modality
    if cfg.data.augment:  # a fresh variant per access, prepared for the tokenizer after augmenting
        train_set = EncodedDataset(s.splits.train.inputs, train_targets, s.tokenizer, cfg.model.max_length,
                                   augment=lambda x, rng: modality.tokenizer_text(modality.augment(x, rng), spec),
                                   extra=extra["train"])
    else:
        train_set = EncodedDataset(s.texts["train"], train_targets, s.tokenizer, cfg.model.max_length,
                                   extra=extra["train"])
    val_set = EncodedDataset(s.texts["val"], val_targets, s.tokenizer, cfg.model.max_length,
                             extra=extra["val"]) if validation else None
    return TrainingSets(s.model, train_set, val_set, Collator(s.tokenizer.pad_token_id), True)


def _tokenizer(cfg: RunConfig, modality, train_texts: list[str]):
    if cfg.model.pretrained:
        return pretrained_tokenizer(cfg.model.pretrained, cfg.model.trust_remote_code)
    return modality.build_tokenizer(train_texts, cfg.model.tokenizer)


def make_trainer(cfg: RunConfig, run_dir: Path, s: Setup, checkpoints: Path | None = None) -> Trainer:
    """The HuggingFace Trainer of this setup (``checkpoints``: where its epoch checkpoints go)."""
    sets = training_sets(cfg, s)
    return hf_trainer(cfg, run_dir, sets.model, s.task, sets.train, sets.val, s.task.encode(s.splits.val), s.primary,
                      sets.collator, sets.group_by_length, checkpoints)
