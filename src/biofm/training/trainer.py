"""The HuggingFace Trainer as fine-tuning uses it: settings from ``cfg.train``, a head learning rate,
early stopping on validation, DP-SGD where asked, and experiment tracking inside the run folder.

Shared by ordinary, multi-process and federated fine-tuning (a federated site overrides a few
settings through ``training_arguments(**changes)``).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import torch
from transformers import EarlyStoppingCallback, PrinterCallback, Trainer, TrainingArguments

from biofm.core import layout
from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.progress import RichProgress
from biofm.data.tasks import Task
from biofm.modeling.encoding import use_bf16
from biofm.modeling.metrics import GREATER_IS_BETTER, compute_metrics
from biofm.training import distributed
from biofm.training.privacy import PrivateHeadTrainer


def hf_trainer(cfg: RunConfig, run_dir: Path, model, task: Task, train_set, val_set, val_targets: np.ndarray,
                primary: str, collator, group_by_length: bool, checkpoints: Path | None = None) -> Trainer:
    """The Trainer for one fine-tuning run: early stopping and best-epoch selection on validation.

    ``checkpoints``: where its epoch checkpoints go (default ``RUN/checkpoints``; an ensemble member has its own).
    """
    t = cfg.train
    selector = primary if defined_on(task, val_targets, primary) else "loss"
    if selector == "loss":
        console.print(f"[yellow]warning:[/] {primary} is undefined on the validation split (one class); "
                      "selecting the best epoch by validation loss")
    args = training_arguments(cfg, checkpoints or run_dir / layout.CHECKPOINTS, selector, group_by_length,
                              report_to=tracking(cfg.train.track, run_dir))

    def score(prediction) -> dict:
        values, _ = compute_metrics(task, prediction.label_ids, task.decode(prediction.predictions))
        return {k: v for k, v in values.items() if isinstance(v, float)}

    if t.dp_epsilon is not None:  # DP-SGD on the probe's head (biofm.training.privacy)
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


def defined_on(task: Task, targets: np.ndarray, metric: str) -> bool:
    """Whether ``metric`` can be computed on these targets (ROC-AUC needs two classes)."""
    dummy = np.full((len(targets), task.n_outputs), 1.0 / max(task.n_outputs, 1))
    values, _ = compute_metrics(task, targets, dummy)
    return values.get(metric) is not None
