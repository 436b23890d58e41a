"""Masked-LM pretraining: an unlabelled corpus in, a HuggingFace checkpoint folder out.

``pretrain(config, out)`` streams the corpus (memory does not grow with its size), masks 15 % of
tokens with HuggingFace's ``DataCollatorForLanguageModeling`` (BERT's 80/10/10 recipe; our
tokens are whole atoms or k-mers, so token masking is whole-unit masking), optimises with the
Trainer (bf16 autocast where native, warm-up + linear decay, a checkpoint every ``save_every``
steps) and writes a folder that ``AutoModel.from_pretrained(folder)`` loads offline — weights,
tokenizer, ``biofm.json`` (modality + tokenizer spec, adopted by fine-tuning) and a model card.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
import transformers
from torch.utils.data import IterableDataset
from transformers import (
    AutoModelForMaskedLM,
    BertForMaskedLM,
    DataCollatorForLanguageModeling,
    PrinterCallback,
    Trainer,
    TrainerCallback,
    TrainingArguments,
)

from biofm.core import layout
from biofm.core.config import PretrainConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError, DataError, one_line
from biofm.core.io import write_json
from biofm.core.progress import RichProgress
from biofm.core.runfolder import resume_point, resume_run, start_run
from biofm.data.corpus import Corpus, shuffled
from biofm.modalities import get_modality
from biofm.modalities.base import InvalidInput, Modality
from biofm.modeling.checkpoint import CHECKPOINT_INFO, adopt_checkpoint, pretrained_tokenizer
from biofm.modeling.encoding import use_bf16
from biofm.modeling.foreign import load_options, plain_pytorch
from biofm.modeling.model import check_max_length, preset_config
from biofm.training.model_card import write_model_card
from biofm.training.mtr import (
    ComponentLosses,
    DescriptorTargets,
    PretrainingModel,
    check_objective,
    chunks,
    descriptor_targets,
    stack_descriptors,
)

TOKENIZE_CHUNK = 256  # items tokenised per call: the fast tokenizer's per-call overhead is paid once


@dataclass
class PretrainResult:
    """What ``pretrain`` returns: the checkpoint folder and its ``metrics.json`` contents."""

    out_dir: Path
    metrics: dict


def pretrain(config: PretrainConfig, out: str | Path, overwrite: bool = False) -> PretrainResult:
    """Pretrain per ``config`` and write a checkpoint folder at ``out``; ``resume_pretraining`` continues it."""
    cfg = _resolved(config)
    return PretrainResult(Path(out), start_run(out, overwrite, cfg, _corpus_files(cfg),
                                               lambda out_dir: _run(cfg, out_dir, checkpoint=None)))


def resume_pretraining(out_dir: str | Path) -> PretrainResult:
    """Continue an interrupted pretraining run from its last complete checkpoint (same data order)."""
    def work(cfg: PretrainConfig, folder: Path) -> dict:
        return _run(cfg, folder, resume_point(folder))

    return PretrainResult(Path(out_dir), resume_run(out_dir, PretrainConfig, _corpus_files, work))


def _resolved(cfg: PretrainConfig) -> PretrainConfig:
    modality = get_modality(cfg.modality)
    check_objective(cfg.train.objective, modality)
    model = adopt_checkpoint(cfg.model, modality.name)
    check_max_length(model)
    return replace(cfg, model=model)


def _corpus_files(cfg: PretrainConfig) -> list[str]:
    return [str(p) for p in Corpus(cfg.corpus, get_modality(cfg.modality)).paths]


def _run(cfg: PretrainConfig, out_dir: Path, checkpoint: Path | None) -> dict:
    started = time.perf_counter()
    transformers.set_seed(cfg.train.seed)
    if cfg.train.threads:
        torch.set_num_threads(cfg.train.threads)
    modality = get_modality(cfg.modality)
    corpus = Corpus(cfg.corpus, modality)
    spec = cfg.model.tokenizer
    tokenizer = _tokenizer(cfg, modality, corpus)
    objective = cfg.train.objective
    targets = descriptor_targets(cfg, modality, corpus, out_dir) if "mtr" in objective else None
    model = _masked_lm(cfg, tokenizer)
    if targets is not None:
        model = PretrainingModel(model, objective, targets.width, cfg.train.mtr_weight)
    val_set = masked_validation(cfg, modality, corpus, tokenizer, targets)
    train_set = MaskedLMStream(corpus, tokenizer, spec, cfg.model.max_length, cfg.corpus.augment,
                               cfg.corpus.shuffle_buffer, cfg.train.seed, targets)
    counter = TokenCounter(tokenizer, cfg.train.mask_probability, cfg.train.seed, mask="mlm" in objective)
    meter = Throughput(counter)
    trainer = _trainer(cfg, out_dir, model, train_set, val_set, counter, meter)
    console.print(f"[bold]biofm pretrain[/] {cfg.modality} · {objective} · "
                  f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f} M "
                  f"parameters · vocabulary {len(tokenizer)} · {len(val_set)} validation items · "
                  f"{'bf16' if trainer.args.bf16 else 'fp32'}")
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    final = _last_evaluation(trainer) or trainer.evaluate()
    metrics = {
        "steps": trainer.state.global_step,
        "items_seen": trainer.state.global_step * cfg.train.batch_size,
        "objective": objective,
        "val_loss": round(final["eval_loss"], 4),
        # perplexity and masked accuracy describe the masked-LM part alone
        "val_perplexity": round(float(np.exp(final["eval_loss"])), 3) if objective == "mlm" else None,
        "val_masked_accuracy": round(final["eval_masked_accuracy"], 4) if "mlm" in objective else None,
        "tokens_per_second": meter.summary(),
        "peak_memory_mb": peak_memory_mb(),
        "skipped_items": {"train_current_pass": f"{corpus.skipped['train']} of {corpus.read['train']} read",
                          "validation": f"{corpus.skipped['val']} of {corpus.read['val']} read",
                          "examples": corpus.examples},
        "excluded_items": {"listed": len(corpus.forbidden), "train_current_pass": corpus.excluded["train"],
                           "validation": corpus.excluded["val"]},
        "seconds": round(time.perf_counter() - started, 1),
        "vocabulary": len(tokenizer),
    }
    _save(out_dir, cfg, trainer.model, tokenizer, metrics, trainer.state.log_history)
    return metrics


def _last_evaluation(trainer: Trainer) -> dict | None:
    """The evaluation already run at the final step, if any (no need to score twice)."""
    history = trainer.state.log_history
    last = next((h for h in reversed(history) if "eval_loss" in h), None)
    return last if last and last["step"] == trainer.state.global_step else None


def _tokenizer(cfg: PretrainConfig, modality: Modality, corpus: Corpus):
    if cfg.model.pretrained:  # continued pretraining keeps the checkpoint's vocabulary
        return pretrained_tokenizer(cfg.model.pretrained)
    sample = corpus.sample("train", cfg.corpus.vocab_sample)
    if not sample:
        raise DataError(corpus.paths[0], "no usable items in the corpus " + "; ".join(corpus.examples[:2]))
    spec = cfg.model.tokenizer
    return modality.build_tokenizer([_text(modality, s, spec) or "" for s in sample], spec)


def _masked_lm(cfg: PretrainConfig, tokenizer) -> transformers.PreTrainedModel:
    if cfg.model.pretrained:
        try:
            with plain_pytorch():
                return AutoModelForMaskedLM.from_pretrained(
                    cfg.model.pretrained, **load_options(cfg.model.trust_remote_code, cfg.model.allow_pickle))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"model.pretrained: cannot load {cfg.model.pretrained!r} as a masked LM "
                              f"({one_line(exc)})") from None
    return BertForMaskedLM(preset_config(cfg.model.preset, len(tokenizer), tokenizer.pad_token_id, cfg.model.dropout))


def _text(modality: Modality, item: str, spec: str | None) -> str | None:
    """The tokenizer text of an item, or None for one the tokenizer cannot take (e.g. DNA shorter than k)."""
    try:
        return modality.tokenizer_text(item, spec)
    except InvalidInput:
        return None


class MaskedLMStream(IterableDataset):
    """Endless token-id stream: pass after pass over the corpus, shuffled in a bounded buffer.

    Each pass is seeded by (seed, pass number), and FASTA windows start at a different phase per
    pass, so the order is reproducible — which is what makes resuming exact — and every pass new.
    """

    def __init__(self, corpus: Corpus, tokenizer, spec: str | None, max_length: int, augment: bool,
                 buffer: int, seed: int, targets: DescriptorTargets | None = None):
        self.corpus, self.tokenizer, self.spec = corpus, tokenizer, spec
        self.max_length, self.augment, self.buffer, self.seed = max_length, augment, buffer, seed
        self.targets = targets  # MTR: each item's descriptors (of the item itself, not its augmented form)

    def __iter__(self):
        for pass_number in range(10**9):
            rng = np.random.default_rng([self.seed, pass_number])
            phase = int(rng.integers(1 << 30)) if pass_number else 0
            items = shuffled(self.corpus.items("train", phase), self.buffer, rng)
            produced = False
            for chunk in chunks(self._texts(items, rng), TOKENIZE_CHUNK):
                texts = [text for _, text in chunk]
                encoded = self.tokenizer(texts, truncation=True, max_length=self.max_length)["input_ids"]
                targets = self.targets([item for item, _ in chunk]) if self.targets else [None] * len(chunk)
                for ids, target in zip(encoded, targets, strict=True):
                    produced = True
                    yield {"input_ids": ids} if target is None else {"input_ids": ids, "descriptors": target}
            if not produced:
                raise DataError(self.corpus.paths[0], "the corpus has no training items (all held out or invalid)")

    def _texts(self, items, rng: np.random.Generator):
        modality = self.corpus.modality
        for item in items:
            text = _text(modality, modality.augment(item, rng) if self.augment else item, self.spec)
            if text is not None:
                yield item, text


def masked_validation(cfg: PretrainConfig, modality: Modality, corpus: Corpus, tokenizer,
                       targets: DescriptorTargets | None = None) -> list[dict]:
    """Validation items masked once with a fixed seed, so every evaluation scores the same positions
    (with MTR, each with its descriptor targets; ``mtr`` alone masks nothing)."""
    sample = corpus.sample("val", cfg.corpus.max_val)
    kept = [(s, t) for s, t in ((s, _text(modality, s, cfg.model.tokenizer)) for s in sample) if t]
    texts = [t for _, t in kept]
    if not texts:
        raise DataError(corpus.paths[0], "no validation items; raise corpus.val_fraction or add data")
    masker = DataCollatorForLanguageModeling(tokenizer, mlm_probability=cfg.train.mask_probability,
                                             seed=cfg.train.seed + 1)
    encoded = tokenizer(texts, truncation=True, max_length=cfg.model.max_length)["input_ids"]
    items = [{"input_ids": ids} for ids in encoded]
    if "mlm" in cfg.train.objective:
        batch = masker(items)
        items = [{"input_ids": batch["input_ids"][i, : len(ids)].tolist(), "labels": batch["labels"][i, : len(ids)]
                  .tolist()} for i, ids in enumerate(encoded)]
    if targets is not None:
        for item, target in zip(items, targets([s for s, _ in kept]), strict=True):
            item["descriptors"] = target
    return items


class TokenCounter:
    """Masks training batches (seeded generator: a resumed run masks as an uninterrupted one) and pads
    pre-masked validation batches; counts the real tokens that pass through, for throughput."""

    def __init__(self, tokenizer, mask_probability: float, seed: int, mask: bool = True):
        self.masker = DataCollatorForLanguageModeling(tokenizer, mlm_probability=mask_probability, seed=seed)
        self.pad_id, self.mask = tokenizer.pad_token_id, mask
        self.tokens = 0

    def __call__(self, items: list[dict]) -> dict[str, torch.Tensor]:
        items = [dict(item) for item in items]  # validation items are reused: never pop from them
        descriptors = stack_descriptors(items)
        batch = self._tokens(items)
        if descriptors is not None:
            batch["descriptors"] = descriptors
        return batch

    def _tokens(self, items: list[dict]) -> dict[str, torch.Tensor]:
        if "labels" not in items[0] and self.mask:
            batch = self.masker(items)
            self.tokens += int(batch["attention_mask"].sum())
            return batch
        if "labels" not in items[0]:  # MTR alone: the inputs stay whole
            ids = self._padded(items, "input_ids", self.pad_id)
            self.tokens += int((ids != self.pad_id).sum())
            return {"input_ids": ids, "attention_mask": (ids != self.pad_id).long()}
        ids = self._padded(items, "input_ids", self.pad_id)
        return {"input_ids": ids, "attention_mask": (ids != self.pad_id).long(),
                "labels": self._padded(items, "labels", -100)}

    @staticmethod
    def _padded(items: list[dict], key: str, fill: int) -> torch.Tensor:
        width = max(len(item["input_ids"]) for item in items)
        out = torch.full((len(items), width), fill, dtype=torch.long)
        for row, item in enumerate(items):
            out[row, : len(item[key])] = torch.tensor(item[key])
        return out


class HeadFirst(TrainerCallback):
    """Freezes the encoder for the first ``steps`` steps: a sentence encoder ships without a masked-LM head,
    whose random first gradients would move the representations the checkpoint was chosen for.  Decided from
    the step count, so a resumed run freezes as an uninterrupted one (a tied decoder stays frozen too)."""

    def __init__(self, model: torch.nn.Module, steps: int):
        self.encoder = getattr(model, "mlm", model).base_model
        self.steps = steps

    def on_step_begin(self, args, state, control, **kwargs):
        trainable = state.global_step >= self.steps
        for parameter in self.encoder.parameters():
            parameter.requires_grad_(trainable)


class Throughput(TrainerCallback):
    """Tokens per second between logs, and peak memory, added to the Trainer's log history."""

    def __init__(self, counter: TokenCounter):
        self.counter = counter
        self.mark: tuple[float, int] | None = None
        self.rates: list[float] = []

    def on_step_begin(self, args, state, control, **kwargs):
        if self.mark is None:  # first step of this process (after any resume skip)
            self.mark = (time.perf_counter(), self.counter.tokens)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if self.mark is None or not logs or "loss" not in logs:
            return
        now, tokens = time.perf_counter(), self.counter.tokens
        rate = (tokens - self.mark[1]) / max(now - self.mark[0], 1e-9)
        self.mark = (now, tokens)
        self.rates.append(rate)
        state.log_history[-1].update(tokens_per_second=round(rate, 1), peak_memory_mb=peak_memory_mb())

    def summary(self) -> float | None:
        """Median over logging intervals: robust to the first (warm-up) one."""
        return round(float(np.median(self.rates)), 1) if self.rates else None


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _trainer(cfg: PretrainConfig, out_dir: Path, model, train_set, val_set, collator, meter) -> Trainer:
    t = cfg.train
    args = TrainingArguments(
        output_dir=str(out_dir / layout.CHECKPOINTS),
        max_steps=t.steps,
        per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.batch_size * 2,
        learning_rate=t.learning_rate,
        weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio,
        lr_scheduler_type="linear",
        eval_strategy="steps",
        eval_steps=t.eval_every,
        save_strategy="steps",
        save_steps=t.save_every,
        save_total_limit=2,
        logging_strategy="steps",
        logging_steps=max(1, min(t.eval_every, t.steps) // 5),
        bf16=use_bf16(t.precision),
        use_cpu=not torch.cuda.is_available(),
        seed=t.seed,
        report_to="none",
        disable_tqdm=True,
        remove_unused_columns=False,
        dataloader_num_workers=0,
        # MTR alone: the descriptors are the labels and validation reports its loss only
        **({"label_names": ["descriptors"], "prediction_loss_only": True} if t.objective == "mtr" else {}),
    )
    masked = "mlm" in t.objective
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_set,
        eval_dataset=val_set,
        data_collator=collator,
        compute_metrics=_masked_accuracy if masked else None,
        preprocess_logits_for_metrics=(lambda logits, labels: logits.argmax(-1)) if masked else None,
        callbacks=[meter, *([ComponentLosses(model)] if isinstance(model, PretrainingModel) else []),
                   *([HeadFirst(model, t.head_steps)] if t.head_steps else []),
                   RichProgress("masked_accuracy" if masked else "loss", unit="step")],
    )
    trainer.remove_callback(PrinterCallback)
    return trainer


def _masked_accuracy(prediction) -> dict:
    predicted, labels = prediction.predictions, prediction.label_ids
    scored = labels != -100
    return {"masked_accuracy": float((predicted[scored] == labels[scored]).mean()) if scored.any() else 0.0}


def _save(out_dir: Path, cfg: PretrainConfig, model, tokenizer, metrics: dict, history: list) -> None:
    """HuggingFace layout at the top of the folder, so ``from_pretrained(out_dir)`` just works."""
    staging = out_dir / ".saving"
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(str(staging))
    tokenizer.save_pretrained(str(staging))
    for file in staging.iterdir():  # each file appears whole or not at all
        os.replace(file, out_dir / file.name)
    staging.rmdir()
    write_json(out_dir / CHECKPOINT_INFO, {"modality": cfg.modality, "tokenizer": cfg.model.tokenizer,
                                           "max_length": cfg.model.max_length, "made_by": "biofm pretrain"})
    write_json(out_dir / layout.METRICS, metrics)
    write_json(out_dir / layout.HISTORY, history)
    write_model_card(out_dir, cfg, metrics, history)
    shutil.rmtree(out_dir / layout.CHECKPOINTS, ignore_errors=True)
