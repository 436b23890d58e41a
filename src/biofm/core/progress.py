"""Rich progress for long work: a bar over optimisation steps and one line per validation."""

from __future__ import annotations

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from transformers import TrainerCallback

from biofm.core.console import console


class RichProgress(TrainerCallback):
    """Replaces the Trainer's tqdm bar; prints the validation metrics at each evaluation.

    ``unit`` says how evaluations are counted: per "epoch" (fine-tuning) or per "step" (pretraining).
    """

    def __init__(self, primary_metric: str, unit: str = "epoch"):
        self.primary, self.unit = primary_metric, unit
        self.progress: Progress | None = None
        self.task_id = None
        self.last_loss: float | None = None
        self.parts: dict[str, float] = {}  # a pretraining objective's component losses (mlm_loss, mtr_loss)

    def on_train_begin(self, args, state, control, **kwargs):
        if not state.is_world_process_zero:  # under torchrun, one process reports
            return
        self.progress = Progress(
            TextColumn("[bold]training"), BarColumn(), MofNCompleteColumn(), TextColumn("steps"),
            TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
            console=console, transient=True,
        )
        self.progress.start()
        self.task_id = self.progress.add_task("train", total=state.max_steps, note="")

    def on_step_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.update(self.task_id, completed=state.global_step)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and "loss" in logs:
            self.last_loss = logs["loss"]
            self.parts = {k: v for k, v in logs.items() if k.endswith("_loss") and isinstance(v, float)}

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        value = (metrics or {}).get(f"eval_{self.primary}")
        shown = f"{value:.4f}" if isinstance(value, float) else "n/a"
        loss = f"{self.last_loss:.4f}" if self.last_loss is not None else "n/a"
        where = f"epoch {state.epoch:5.1f}" if self.unit == "epoch" else f"step {state.global_step:>7}"
        val_loss = (metrics or {}).get("eval_loss")
        shown_loss = (f"  val loss {val_loss:.4f}" if self.unit == "step" and val_loss is not None
                      and self.primary != "loss" else "")
        parts = "".join(f" ({k.removesuffix('_loss')} {v:.4f})" for k, v in self.parts.items())
        line = f"{where}  train loss {loss}{parts}{shown_loss}  val {self.primary} {shown}"
        if self.progress is not None:
            self.progress.update(self.task_id, note=f"val {self.primary} {shown}")
            console.print(line)

    def on_train_end(self, args, state, control, **kwargs):
        if self.progress is not None:
            self.progress.stop()
