"""Fine-tuning: config in, complete run folder out.

``train(config, out)`` reads and splits the data, builds tokenizer and model, optimises with the
HuggingFace Trainer (AdamW, warm-up + linear decay, early stopping on validation, best checkpoint
kept, bf16 autocast where the hardware has it), fits the classical baseline on the same split and
writes everything a later command needs into the run folder.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import torch
import transformers
from transformers import AutoTokenizer, EarlyStoppingCallback, PrinterCallback, Trainer, TrainingArguments

from biofm import distributed
from biofm.adaptation import (
    CachedFeatures,
    HeadOnly,
    adapt,
    check_adaptation,
    finish,
    stack_features,
    trainable_fraction,
)
from biofm.baselines import run_baseline
from biofm.config import RunConfig
from biofm.datasets import resolve
from biofm.domain import save_domain
from biofm.encoding import Collator, EncodedDataset, count_truncated, use_bf16
from biofm.errors import ConfigError
from biofm.explain import explain_loaded
from biofm.inference import predict_outputs, tokenizer_texts
from biofm.metrics import GREATER_IS_BETTER, compute_metrics
from biofm.modalities import get_modality
from biofm.model import adopt_checkpoint, build_predictor, save_predictor
from biofm.predict import LoadedRun
from biofm.privacy import PrivateHeadTrainer, check_privacy
from biofm.progress import RichProgress, console
from biofm.report import write_report
from biofm.runs import (
    check_data_unchanged,
    check_resumable,
    finish_run,
    last_checkpoint,
    prepare_run_dir,
    provenance,
    read_run_config,
    run_lock,
    set_state,
    write_json,
    write_yaml,
)
from biofm.self_training import check_self_training, self_training_summary, student_config
from biofm.splits import Splits, load_splits
from biofm.tasks import Task
from biofm.writing import write_predictions

transformers.logging.set_verbosity_error()
logging.getLogger("transformers").setLevel(logging.ERROR)


@dataclass
class TrainResult:
    run_dir: Path
    metrics: dict


def train(config: RunConfig, out: str | Path, overwrite: bool = False, baseline: bool | None = None,
          callbacks: list | None = None) -> TrainResult:
    """Fine-tune per ``config`` and write a complete run folder at ``out``.

    ``callbacks``: extra HuggingFace ``TrainerCallback``s (a sweep's pruning hook, a user's logger).

    The folder's ``state.json`` says ``complete`` only when every file is in place; a failure
    marks it ``failed`` with the reason, so later commands refuse it.  A checkpoint is kept
    after every epoch, so an interrupted run continues with ``resume``.
    """
    cfg = checked_config(config)
    distributed.check_config(cfg)
    if baseline is not None:
        cfg = replace(cfg, baseline=baseline)
    distributed.init()
    if not distributed.is_main():  # under torchrun: rank 0 prepares the folder, the others only train
        distributed.barrier()
        return TrainResult(Path(out), _run(cfg, Path(out), None, callbacks))
    run_dir = prepare_run_dir(Path(out), overwrite)
    with run_lock(run_dir):
        write_run_config(run_dir, cfg)
        distributed.barrier()
        return _guarded(cfg, run_dir, checkpoint=None, callbacks=callbacks)


def checked_config(config: RunConfig) -> RunConfig:
    """``config`` resolved (bundled dataset, the checkpoint's tokenizer spec) and checked before any work,
    so a wrong combination fails in a second, not after an hour of training."""
    cfg = resolve(config)
    cfg = replace(cfg, model=adopt_checkpoint(cfg.model, cfg.modality))
    check_adaptation(cfg.model)
    check_self_training(cfg)
    check_privacy(cfg)
    check_tracker(cfg.train.track)
    return cfg


def resume(run_dir: str | Path) -> TrainResult:
    """Continue an interrupted or failed run from its last complete checkpoint.

    Weights, optimizer, scheduler, RNG states and data position come from the checkpoint, so the
    result equals an uninterrupted run with the same seed.  Refuses if the data files changed.
    """
    distributed.init()
    if not distributed.is_main():  # rank 0 checks the folder and drops partial checkpoints first
        distributed.barrier()
        cfg = read_run_config(Path(run_dir))
        return TrainResult(Path(run_dir), _run(cfg, Path(run_dir), last_checkpoint(Path(run_dir) / "checkpoints")))
    run_dir = check_resumable(run_dir)
    cfg = read_run_config(run_dir)
    check_data_unchanged(run_dir, data_files(cfg))
    with run_lock(run_dir):
        checkpoint = last_checkpoint(run_dir / "checkpoints")
        console.print(f"resuming {run_dir} from {checkpoint.name if checkpoint else 'the start (no checkpoint yet)'}")
        set_state(run_dir, "running")
        distributed.barrier()
        return _guarded(cfg, run_dir, checkpoint)


def _guarded(cfg: RunConfig, run_dir: Path, checkpoint: Path | None, callbacks: list | None = None) -> TrainResult:
    def work() -> dict:
        # with self-training the run folder holds the student; the teacher is trained first
        student = student_config(cfg, run_dir) if cfg.self_training.unlabelled else cfg
        return _run(student, run_dir, checkpoint, callbacks)

    return TrainResult(run_dir, finish_run(run_dir, work))


@dataclass
class Setup:
    """Everything training needs before the first step: data, task, tokenizer texts, tokenizer and model."""

    modality: object
    splits: Splits
    task: Task
    texts: dict[str, list[str]]
    tokenizer: object
    model: object
    primary: str


def setup(cfg: RunConfig, task: Task | None = None) -> Setup:
    """Read and split the data, fit the task (unless given: a federated site gets the server's) and
    build the tokenizer and the adapted model.  Shared by ordinary, multi-process and federated training."""
    modality = get_modality(cfg.modality)
    splits = load_splits(cfg.data, modality)
    task = task or Task.fit(cfg.data.task, cfg.data.label_columns, splits.train)
    texts = {p: tokenizer_texts(modality, cfg.model.tokenizer, getattr(splits, p)) for p in ("train", "val", "test")}
    tokenizer = _tokenizer(cfg, modality, texts["train"])
    model = adapt(build_predictor(cfg.model, tokenizer, task.n_outputs, task.mode), cfg.model)
    return Setup(modality, splits, task, texts, tokenizer, model, modality.primary_metric(task.kind))


def _run(cfg: RunConfig, run_dir: Path, checkpoint: Path | None, callbacks: list | None = None) -> dict:
    started = time.perf_counter()
    transformers.set_seed(cfg.train.seed)
    if cfg.train.threads:
        torch.set_num_threads(cfg.train.threads)
    s = setup(cfg)
    fit_start = time.perf_counter()
    trainer = _trainer(cfg, run_dir, s)
    for callback in callbacks or []:
        trainer.add_callback(callback)
    if distributed.is_main():
        console.print(f"[bold]biofm[/] {cfg.modality} · {s.task.mode} · train {len(s.splits.train)} / val "
                      f"{len(s.splits.val)} / test {len(s.splits.test)} · {_param_count(s.model)} parameters "
                      f"({cfg.model.adaptation}, {trainable_fraction(s.model):.1%} trained) · "
                      f"{'bf16' if trainer.args.bf16 else 'fp32'}")
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    fit_seconds = time.perf_counter() - fit_start
    s.model.eval()  # the Trainer trained it in place (a probe trains the shared head)
    ranks = distributed.gather(distributed.rank_record(trainer, s.model)) if distributed.world_size() > 1 else []
    if not distributed.is_main():
        return {}  # rank 0 evaluates and writes the run folder

    extra: dict = {"epochs_run": round(float(trainer.state.epoch or 0), 2)}
    if ranks:
        extra["distributed"] = {"world_size": len(ranks), "ranks": ranks,
                                "per_process_batch_size": trainer.args.per_device_train_batch_size}
    if privacy := getattr(trainer, "privacy", None):
        extra["privacy"] = privacy
    if summary := self_training_summary(run_dir):
        extra["self_training"] = summary
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
        outputs[part] = predict_outputs(model, s.tokenizer, s.task, s.modality, cfg, records.inputs, bf16)
        metrics[part], notes = compute_metrics(s.task, s.task.encode(records), outputs[part])
        metrics["warnings"] += [f"{part}: {n}" for n in notes]
    if cfg.baseline:
        console.print("fitting the classical baseline on the same split …")
        metrics["baseline"] = run_baseline(s.modality, s.task, s.splits, cfg.train.seed)
    metrics["data"] = _data_summary(cfg, s.splits, s.texts, s.tokenizer)
    metrics["seconds"] = seconds
    metrics.update(extra)
    metrics["adaptation"] = {"method": cfg.model.adaptation, "trainable_fraction": round(trainable_fraction(model), 5)}
    model = finish(model, cfg.model)

    _save(run_dir, cfg, model, s.tokenizer, s.task, s.splits, outputs, metrics)
    save_domain(s.modality, s.splits.train.inputs, run_dir)
    _explain_examples(cfg, run_dir, model, s.tokenizer, s.task, s.modality, s.splits.test.inputs, outputs["test"])
    write_json(run_dir / "history.json", history)
    write_report(run_dir)
    return metrics


def _explain_examples(cfg: RunConfig, run_dir: Path, model, tokenizer, task: Task, modality, inputs: list[str],
                      outputs: np.ndarray) -> None:
    """Explain the test inputs the model is most sure about, for the report (``explanations/``)."""
    if cfg.explain_examples <= 0 or not inputs:
        return
    order = np.argsort(-outputs.max(axis=1)) if task.mode == "multiclass" else np.arange(len(inputs))
    chosen = [inputs[i] for i in order[: cfg.explain_examples]]
    console.print(f"explaining {len(chosen)} test example(s) for the report …")
    run = LoadedRun(run_dir, cfg, task, modality, tokenizer, model)
    try:
        explain_loaded(run, chosen, run_dir / "explanations")
    except Exception as exc:  # a drawing or attribution problem must not cost a finished model
        console.print(f"[yellow]warning:[/] could not explain examples for the report ({type(exc).__name__}: {exc})")


def _tokenizer(cfg: RunConfig, modality, train_texts: list[str]):
    if cfg.model.pretrained:
        try:
            return AutoTokenizer.from_pretrained(cfg.model.pretrained)
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"model.pretrained: cannot load a tokenizer from {cfg.model.pretrained!r}: {exc}"
            ) from None
    return modality.build_tokenizer(train_texts, cfg.model.tokenizer)


def _trainer(cfg: RunConfig, run_dir: Path, s: Setup) -> Trainer:
    model, train_set, val_set, collator, grouped = training_sets(cfg, s)
    val_targets = s.task.encode(s.splits.val)
    return _hf_trainer(cfg, run_dir, model, s.task, train_set, val_set, val_targets, s.primary, collator, grouped)


def training_sets(cfg: RunConfig, s: Setup, validation: bool = True) -> tuple:
    """What the Trainer optimises and on what: (model, train set, val set, collator, group by length).

    A probe trains only the head, on embeddings the frozen encoder computes once (no augmentation:
    one pass); otherwise the whole predictor trains on token ids, augmented afresh per access.
    ``validation=False`` (a federated site: the server validates) leaves the val set out (None).
    """
    train_targets, val_targets = s.task.encode(s.splits.train), s.task.encode(s.splits.val)
    if cfg.model.adaptation == "probe":
        if cfg.data.augment:
            console.print("[yellow]warning:[/] data.augment is ignored by adaptation: probe "
                          "(embeddings are cached once)")
        bf16 = use_bf16(cfg.train.precision)
        console.print("embedding the training and validation sets once with the frozen encoder …")
        train_set = CachedFeatures(s.model, s.texts["train"], train_targets, s.tokenizer, cfg.model.max_length, bf16)
        val_set = CachedFeatures(s.model, s.texts["val"], val_targets, s.tokenizer, cfg.model.max_length,
                                 bf16) if validation else None
        return HeadOnly(s.model), train_set, val_set, stack_features, False
    spec, modality = cfg.model.tokenizer, s.modality
    if cfg.data.augment:  # a fresh variant per access, prepared for the tokenizer after augmenting
        train_set = EncodedDataset(s.splits.train.inputs, train_targets, s.tokenizer, cfg.model.max_length,
                                   augment=lambda x, rng: modality.tokenizer_text(modality.augment(x, rng), spec))
    else:
        train_set = EncodedDataset(s.texts["train"], train_targets, s.tokenizer, cfg.model.max_length)
    val_set = EncodedDataset(s.texts["val"], val_targets, s.tokenizer, cfg.model.max_length) if validation else None
    return s.model, train_set, val_set, Collator(s.tokenizer.pad_token_id), True


def _hf_trainer(cfg: RunConfig, run_dir: Path, model, task: Task, train_set, val_set, val_targets: np.ndarray,
                primary: str, collator, group_by_length: bool) -> Trainer:
    t = cfg.train
    selector = primary if _defined_on(task, val_targets, primary) else "loss"
    if selector == "loss":
        console.print(f"[yellow]warning:[/] {primary} is undefined on the validation split (one class); "
                      "selecting the best epoch by validation loss")
    args = training_arguments(cfg, run_dir / "checkpoints", selector, group_by_length,
                              report_to=tracking(cfg.train.track, run_dir))

    def score(prediction) -> dict:
        values, _ = compute_metrics(task, prediction.label_ids, task.decode(prediction.predictions))
        return {k: v for k, v in values.items() if isinstance(v, float)}

    if t.dp_epsilon is not None:  # DP-SGD on the probe's head (biofm.privacy)
        trainer_class, extra = PrivateHeadTrainer, {"epsilon": t.dp_epsilon, "delta": t.dp_delta,
                                                    "max_grad_norm": t.dp_max_grad_norm}
    else:
        trainer_class, extra = HeadRateTrainer, {"head_learning_rate": t.head_learning_rate}
    trainer = trainer_class(
        **extra,
        model=model,
        args=args,
        train_dataset=train_set,
        eval_dataset=val_set,
        data_collator=collator,
        compute_metrics=score,
        callbacks=[EarlyStoppingCallback(early_stopping_patience=t.patience), RichProgress(selector)],
    )
    trainer.remove_callback(PrinterCallback)  # RichProgress reports instead of raw log dicts
    return trainer


def training_arguments(cfg: RunConfig, output_dir: Path, selector: str | None, group_by_length: bool,
                       **changes) -> TrainingArguments:
    """The Trainer's settings from ``cfg.train``: epoch-wise evaluation, checkpoints and best-epoch
    selection on ``selector``; ``changes`` override (a federated site trains a few epochs, unselected)."""
    t = cfg.train
    settings = dict(
        output_dir=str(output_dir),
        num_train_epochs=t.epochs,
        per_device_train_batch_size=t.batch_size // distributed.world_size(),  # batch_size is the global batch
        per_device_eval_batch_size=t.batch_size * 2 // distributed.world_size(),
        learning_rate=t.learning_rate,
        weight_decay=t.weight_decay,
        warmup_steps=t.warmup_ratio,
        lr_scheduler_type="linear",
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=1,
        load_best_model_at_end=True,
        metric_for_best_model=selector,
        greater_is_better=GREATER_IS_BETTER.get(selector, False),
        logging_strategy="epoch",
        bf16=use_bf16(t.precision),
        use_cpu=not torch.cuda.is_available(),
        seed=t.seed,
        data_seed=t.seed,
        report_to="none",
        disable_tqdm=True,
        remove_unused_columns=False,
        label_names=["labels"],
        train_sampling_strategy="group_by_length" if group_by_length else "random",
    )
    return TrainingArguments(**{**settings, **changes})


class HeadRateTrainer(Trainer):
    """The HuggingFace Trainer, with the task head (parameters named ``head.*``) optionally on its own
    learning rate: discriminative rates, so a random many-class head can learn fast on top of an
    encoder that must move slowly.  Weight-decay grouping and the schedule stay the Trainer's."""

    def __init__(self, *args, head_learning_rate: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.head_learning_rate = head_learning_rate

    def create_optimizer(self, model=None):
        if self.head_learning_rate is None or self.optimizer is not None:
            return super().create_optimizer(model)
        model = self.model if model is None else model
        decay = set(self.get_decay_parameter_names(model))
        groups: dict[tuple[bool, bool], list] = {}
        for name, param in model.named_parameters():
            if param.requires_grad:
                groups.setdefault((name.startswith("head."), name in decay), []).append(param)
        optimizer_cls, kwargs = Trainer.get_optimizer_cls_and_kwargs(self.args, model)
        self.optimizer = optimizer_cls(
            [{"params": params, "lr": self.head_learning_rate if is_head else self.args.learning_rate,
              "weight_decay": self.args.weight_decay if decays else 0.0}
             for (is_head, decays), params in groups.items()], **kwargs)
        return self.optimizer


def check_tracker(track: str) -> None:
    """Before any work: the tracker's package must be installed (it is optional)."""
    if track != "none" and importlib.util.find_spec(track) is None:
        raise ConfigError(f"train.track: {track} needs the {track!r} package (pip install {track})")


def tracking(track: str, run_dir: Path) -> str:
    """Where the Trainer logs: nowhere, TensorBoard event files, or a local MLflow file store —
    always inside the run folder, so the run stays self-contained and nothing leaves the machine."""
    if track == "none":
        return "none"
    check_tracker(track)
    os.environ["TENSORBOARD_LOGGING_DIR"] = str((run_dir / "tensorboard").absolute())  # read by the HF callback
    if track == "mlflow":  # a tracking server the user configured is respected
        os.environ.setdefault("MLFLOW_TRACKING_URI", (run_dir / "mlruns").absolute().as_uri())
        os.environ.setdefault("MLFLOW_EXPERIMENT_NAME", run_dir.name)
    return track


def _defined_on(task: Task, targets: np.ndarray, metric: str) -> bool:
    """Whether ``metric`` can be computed on these targets (ROC-AUC needs two classes)."""
    dummy = np.full((len(targets), task.n_outputs), 1.0 / max(task.n_outputs, 1))
    values, _ = compute_metrics(task, targets, dummy)
    return values.get(metric) is not None


def _save(run_dir: Path, cfg: RunConfig, model, tokenizer, task: Task, splits: Splits, outputs: dict,
          metrics: dict) -> None:
    save_predictor(model, run_dir, cfg.model.adaptation, cfg.model.pretrained)
    tokenizer.save_pretrained(str(run_dir / "tokenizer"))
    write_json(run_dir / "labels.json", task.to_json())
    write_json(run_dir / "splits.json", {p: {"source": getattr(splits, p).source, "rows": getattr(splits, p).rows}
                                         for p in ("train", "val", "test")})
    write_predictions(run_dir / "predictions.csv", task, splits.test, outputs["test"])
    write_json(run_dir / "metrics.json", metrics)
    shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)  # the best weights are saved above


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


def write_run_config(run_dir: Path, cfg: RunConfig) -> None:
    """``config.yaml``: the resolved config, with the data files' hashes so a resume can refuse changed data."""
    write_yaml(run_dir / "config.yaml", {**cfg.to_dict(), "provenance": provenance(data_files(cfg))})


def data_files(cfg: RunConfig) -> list[str]:
    return [f for f in (cfg.data.train, cfg.data.val, cfg.data.test, cfg.self_training.unlabelled) if f]


def _param_count(model) -> str:
    n = sum(p.numel() for p in model.parameters())
    return f"{n / 1e6:.2f} M"
