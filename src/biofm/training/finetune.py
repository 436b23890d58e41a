"""Fine-tuning: config in, complete run folder out.

``fine_tune(config, out)`` reads and splits the data, builds tokenizer and model, optimises with the
HuggingFace Trainer (``trainer.py``: AdamW, warm-up + linear decay, early stopping on validation,
best checkpoint kept, bf16 autocast where the hardware has it), fits the classical baseline on the
same split and writes everything a later command needs into the run folder.

Add-ons that need work inside the run folder before fitting (self-training trains a teacher first)
pass a ``prelude``; this module knows nothing of them.  ``setup`` → ``training_sets`` → ``conclude``
are public because federated training runs the same three steps around its own loop (``setup`` and
``training_sets`` live in ``training/setup.py``; ensemble members train in ``training/members.py``).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
import transformers

from biofm.core import layout
from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.io import write_json
from biofm.core.runfolder import last_checkpoint, read_run_config, resume_point, resume_run, start_run
from biofm.data.datasets import resolve
from biofm.data.splits import Splits
from biofm.data.tasks import Task
from biofm.modalities import get_modality
from biofm.modeling.adaptation import (
    check_adaptation,
    finish,
    trainable_fraction,
)
from biofm.modeling.baselines import Yardstick, check_baseline_choice, run_baselines, save_baseline
from biofm.modeling.blend import blended, choose_weight
from biofm.modeling.checkpoint import adopt_checkpoint, save_predictor
from biofm.modeling.domain import save_domain
from biofm.modeling.encoding import count_truncated, use_bf16
from biofm.modeling.features import check_extra_features
from biofm.modeling.inference import predict_outputs
from biofm.modeling.loaded_run import LoadedRun
from biofm.modeling.metrics import compute_metrics
from biofm.modeling.model import check_max_length
from biofm.training import distributed
from biofm.training.adapt import adapt_to_domain, check_adaptation_steps
from biofm.training.members import train_ensemble
from biofm.training.privacy import check_privacy
from biofm.training.setup import Setup, make_trainer, setup
from biofm.training.trainer import check_tracker
from biofm.trust.explain import explain_loaded
from biofm.trust.predictions import write_predictions
from biofm.trust.report import write_report
from biofm.trust.significance import paired_bootstrap
from biofm.trust.subgroups import subgroup_metrics

transformers.logging.set_verbosity_error()
logging.getLogger("transformers").setLevel(logging.ERROR)


@dataclass
class TrainResult:
    """What ``train`` returns: the run folder and the metrics written to its ``metrics.json``
    (empty on the non-zero ranks of a multi-process launch, which write nothing)."""

    run_dir: Path
    metrics: dict


Prelude = Callable[[RunConfig, Path], tuple[RunConfig, dict]]
"""Work inside the run folder before fitting: returns the config to fit and extra ``metrics.json`` entries."""


def fine_tune(config: RunConfig, out: str | Path, overwrite: bool = False, baseline: bool | None = None,
              callbacks: list | None = None, prelude: Prelude | None = None) -> TrainResult:
    """Fine-tune per ``config`` and write a complete run folder at ``out``.

    ``callbacks``: extra HuggingFace ``TrainerCallback``s (a sweep's pruning hook, a user's logger).

    The folder's ``state.json`` says ``complete`` only when every file is in place; a failure
    marks it ``failed`` with the reason, so later commands refuse it.  A checkpoint is kept
    after every epoch, so an interrupted run continues with ``resume_fine_tuning``.
    """
    cfg = checked_config(config)
    distributed.check_config(cfg)
    if baseline is not None:
        cfg = replace(cfg, baseline=baseline)
    distributed.init()
    if not distributed.is_main():  # under torchrun: rank 0 prepares the folder, the others only train
        distributed.barrier()
        metrics = _run(cfg, Path(out), None, callbacks)
        distributed.finish()
        return TrainResult(Path(out), metrics)

    def work(run_dir: Path) -> dict:
        distributed.barrier()
        return _fit(cfg, run_dir, None, callbacks, prelude)

    result = TrainResult(Path(out), start_run(out, overwrite, cfg, data_files(cfg), work))
    distributed.finish()
    return result


def resume_fine_tuning(run_dir: str | Path, prelude: Prelude | None = None) -> TrainResult:
    """Continue an interrupted or failed run from its last complete checkpoint.

    Weights, optimizer, scheduler, RNG states and data position come from the checkpoint, so the
    result equals an uninterrupted run with the same seed.  Refuses if the data files changed.
    """
    distributed.init()
    if not distributed.is_main():  # rank 0 checks the folder and drops partial checkpoints first
        distributed.barrier()
        cfg = read_run_config(Path(run_dir))
        checkpoint = last_checkpoint(Path(run_dir) / layout.CHECKPOINTS)
        metrics = _run(cfg, Path(run_dir), checkpoint)
        distributed.finish()
        return TrainResult(Path(run_dir), metrics)

    def work(cfg: RunConfig, folder: Path) -> dict:
        checkpoint = resume_point(folder)
        distributed.barrier()
        return _fit(cfg, folder, checkpoint, None, prelude)

    result = TrainResult(Path(run_dir), resume_run(run_dir, RunConfig, data_files, work))
    distributed.finish()
    return result


def _fit(cfg: RunConfig, run_dir: Path, checkpoint: Path | None, callbacks: list | None,
         prelude: Prelude | None) -> dict:
    cfg, extra = adapt_to_domain(cfg, run_dir)
    if prelude is not None:
        cfg, more = prelude(cfg, run_dir)
        extra.update(more)
    return _run(cfg, run_dir, checkpoint, callbacks, extra)


def checked_config(config: RunConfig) -> RunConfig:
    """``config`` resolved (bundled dataset, the checkpoint's tokenizer spec) and checked before any work,
    so a wrong combination fails in a second, not after an hour of training."""
    cfg = resolve(config)
    cfg = replace(cfg, model=adopt_checkpoint(cfg.model, cfg.modality))
    check_max_length(cfg.model)
    check_adaptation(cfg.model)
    check_baseline_choice(get_modality(cfg.modality), cfg.data.task, cfg.baseline)
    check_extra_features(get_modality(cfg.modality), cfg.model.extra_features)
    check_adaptation_steps(cfg)
    if cfg.train.ensemble > 1 and (cfg.model.adaptation == "lora" or cfg.train.dp_epsilon is not None):
        raise ConfigError("train.ensemble: members are full or probe models (LoRA members would each need their "
                          "own adapter folder; DP members would spend the privacy budget once each)")
    check_privacy(cfg)
    check_tracker(cfg.train.track)
    return cfg


def _run(cfg: RunConfig, run_dir: Path, checkpoint: Path | None, callbacks: list | None = None,
         extra: dict | None = None) -> dict:
    started = time.perf_counter()
    transformers.set_seed(cfg.train.seed)
    if cfg.train.threads:
        torch.set_num_threads(cfg.train.threads)
    s = setup(cfg)
    fit_start = time.perf_counter()
    if distributed.is_main():
        console.print(f"[bold]biofm[/] {cfg.modality} · {s.task.summary} · train {len(s.splits.train)} / val "
                      f"{len(s.splits.val)} / test {len(s.splits.test)} · {_param_count(s.model)} parameters "
                      f"({cfg.model.adaptation}, {trainable_fraction(s.model):.1%} trained) · "
                      f"{'bf16' if use_bf16(cfg.train.precision) else 'fp32'}"
                      + (f" · ensemble of {cfg.train.ensemble}" if cfg.train.ensemble > 1 else ""))
    extra = dict(extra or {})
    if cfg.train.ensemble > 1:
        history, extra["ensemble"] = train_ensemble(cfg, run_dir, s, callbacks)
        fit_seconds = time.perf_counter() - fit_start
        return conclude(cfg, run_dir, s, use_bf16(cfg.train.precision), history, extra,
                        seconds={"train": round(fit_seconds, 1), "total": round(time.perf_counter() - started, 1)})
    trainer = make_trainer(cfg, run_dir, s)
    for callback in callbacks or []:
        trainer.add_callback(callback)
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    fit_seconds = time.perf_counter() - fit_start
    s.model.eval()  # the Trainer trained it in place (a probe trains the shared head)
    ranks = distributed.gather(distributed.rank_record(trainer, s.model)) if distributed.world_size() > 1 else []
    if not distributed.is_main():
        return {}  # rank 0 evaluates and writes the run folder

    extra = {"epochs_run": round(float(trainer.state.epoch or 0), 2), **extra}
    if ranks:
        extra["distributed"] = {"world_size": len(ranks), "ranks": ranks,
                                "per_process_batch_size": trainer.args.per_device_train_batch_size}
    if privacy := getattr(trainer, "privacy", None):
        extra["privacy"] = privacy
    return conclude(cfg, run_dir, s, trainer.args.bf16, trainer.state.log_history, extra,
                    seconds={"train": round(fit_seconds, 1), "total": round(time.perf_counter() - started, 1)})


def conclude(cfg: RunConfig, run_dir: Path, s: Setup, bf16: bool, history: list[dict], extra: dict,
             seconds: dict) -> dict:
    """Score the trained model on validation and test, fit the baseline on the same split, and write the
    complete run folder (weights, tokenizer, metrics, predictions, explanations, report).

    Why one function: an ordinary, a multi-process and a federated run end in the same kind of folder,
    so every later command (predict, explain, export, serve) works on each of them.
    """
    model = s.model.eval()
    metrics: dict = {"primary_metric": s.primary, "warnings": []}
    outputs = {}
    for part in ("val", "test"):
        records = getattr(s.splits, part)
        outputs[part] = predict_outputs(model, s.tokenizer, s.task, s.modality, cfg, records.inputs, bf16, s.features)
        metrics[part], notes = compute_metrics(s.task, s.task.encode(records), outputs[part])
        metrics["warnings"] += [f"{part}: {n}" for n in notes]
    metrics.update(_yardstick(cfg, run_dir, s, outputs))
    metrics["data"] = _data_summary(cfg, s.splits, s.texts, s.tokenizer)
    metrics["seconds"] = seconds
    metrics.update(extra)
    metrics["adaptation"] = {"method": cfg.model.adaptation, "trainable_fraction": round(trainable_fraction(model), 5)}
    model = finish(model, cfg.model)

    _save(run_dir, cfg, model, s.tokenizer, s.task, s.splits, outputs, metrics)
    if s.features is not None:
        s.features.save(run_dir)
    save_domain(s.modality, s.splits.train.inputs, run_dir)
    _explain_examples(cfg, run_dir, LoadedRun(run_dir, cfg, s.task, s.modality, s.tokenizer, model,
                                              features=s.features), s.splits.test.inputs, outputs["test"])
    write_json(run_dir / layout.HISTORY, history)
    write_report(run_dir)
    return metrics


def _yardstick(cfg: RunConfig, run_dir: Path, s: Setup, outputs: dict[str, np.ndarray]) -> dict:
    """The classical baseline (chosen on validation, saved with the run), the paired-bootstrap verdict of
    model vs baseline on test, the model's blend with the baseline, and metrics per group of
    ``data.group_columns``."""
    found: dict = {}
    test_outputs, theirs = outputs["test"], None
    if cfg.baseline:
        pin = cfg.baseline if isinstance(cfg.baseline, str) else None
        yardstick = run_baselines(s.modality, s.task, s.splits, cfg.train.seed, s.primary, pin)
        save_baseline(run_dir, yardstick)
        theirs = yardstick.test_outputs
        found["baseline"] = yardstick.summary
        found["verdict"] = paired_bootstrap(s.task, s.task.encode(s.splits.test), test_outputs, theirs, s.primary,
                                            seed=cfg.train.seed)
        found["blend"] = _blend(cfg, s, outputs, yardstick)
    if cfg.data.group_columns:
        found["groups"] = subgroup_metrics(s.task, s.splits.test, test_outputs, theirs, cfg.data.group_columns,
                                           s.primary)
    return found


def _blend(cfg: RunConfig, s: Setup, outputs: dict[str, np.ndarray], yardstick: Yardstick) -> dict:
    """The model's share in its average with the baseline, chosen on validation; the blend's figures and its
    paired-bootstrap verdict against the baseline alone on test (``biofm predict --blend`` applies it)."""
    weight = choose_weight(s.task, s.task.encode(s.splits.val), outputs["val"], yardstick.val_outputs, s.primary)
    mixed = {part: blended(outputs[part], theirs, weight)
             for part, theirs in (("val", yardstick.val_outputs), ("test", yardstick.test_outputs))}
    test_targets = s.task.encode(s.splits.test)
    return {"weight": weight, "chosen_on": f"validation {s.primary}",
            "val": compute_metrics(s.task, s.task.encode(s.splits.val), mixed["val"])[0],
            "test": compute_metrics(s.task, test_targets, mixed["test"])[0],
            "verdict": paired_bootstrap(s.task, test_targets, mixed["test"], yardstick.test_outputs, s.primary,
                                        seed=cfg.train.seed)}


def _explain_examples(cfg: RunConfig, run_dir: Path, run: LoadedRun, inputs: list[str], outputs: np.ndarray) -> None:
    """Explain the test inputs the model is most sure about, for the report (``explanations/``)."""
    if cfg.explain_examples <= 0 or not inputs:
        return
    order = np.argsort(-outputs.max(axis=1)) if run.task.mode == "multiclass" else np.arange(len(inputs))
    chosen = [inputs[i] for i in order[: cfg.explain_examples]]
    console.print(f"explaining {len(chosen)} test example(s) for the report …")
    try:
        explain_loaded(run, chosen, run_dir / layout.EXPLANATIONS)
    except Exception as exc:  # a drawing or attribution problem must not cost a finished model
        console.print(f"[yellow]warning:[/] could not explain examples for the report ({type(exc).__name__}: {exc})")


def _save(run_dir: Path, cfg: RunConfig, model, tokenizer, task: Task, splits: Splits, outputs: dict,
          metrics: dict) -> None:
    save_predictor(model, run_dir, cfg.model.adaptation, cfg.model.pretrained)
    tokenizer.save_pretrained(str(run_dir / layout.TOKENIZER))
    write_json(run_dir / layout.LABELS, task.to_json())
    write_json(run_dir / layout.SPLITS, {p: {"source": getattr(splits, p).source, "rows": getattr(splits, p).rows}
                                         for p in ("train", "val", "test")})
    write_predictions(run_dir / layout.PREDICTIONS, task, splits.test, outputs["test"])
    write_json(run_dir / layout.METRICS, metrics)
    shutil.rmtree(run_dir / layout.CHECKPOINTS, ignore_errors=True)  # the best weights are saved above


def _data_summary(cfg: RunConfig, splits: Splits, texts: dict[str, list[str]], tokenizer) -> dict:
    skipped = [{"file": r.source, "row": s.row, "reason": s.reason} for r in splits for s in r.skipped]
    truncated = {part: count_truncated(texts[part], tokenizer, cfg.model.max_length) for part in texts}
    if sum(truncated.values()):
        console.print(f"[yellow]warning:[/] inputs longer than model.max_length={cfg.model.max_length} "
                      f"tokens were truncated: {truncated}")
    if skipped:
        console.print(f"[yellow]warning:[/] skipped {len(skipped)} invalid row(s); listed in metrics.json")
    return {"n_train": len(splits.train), "n_val": len(splits.val), "n_test": len(splits.test),
            "skipped_rows": len(skipped), "skipped": skipped[:1000], "truncated": truncated,
            "split": cfg.data.split, "split_seed": cfg.data.split_seed}


def data_files(cfg: RunConfig) -> list[str]:
    """The files a run reads, whose hashes ``config.yaml`` records so a resume can refuse changed data."""
    return [f for f in (cfg.data.train, cfg.data.val, cfg.data.test, cfg.self_training.unlabelled) if f]


def _param_count(model) -> str:
    n = sum(p.numel() for p in model.parameters())
    return f"{n / 1e6:.2f} M"
