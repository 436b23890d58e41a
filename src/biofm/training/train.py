"""The front door of fine-tuning: ``train`` and ``resume`` as the CLI and the public API offer them.

Why a module of its own: self-training is a layer above plain fine-tuning (it trains a teacher with
``fine_tune`` before the student), so the function that offers both lives above both, and
``finetune.py`` knows nothing of self-training.
"""

from __future__ import annotations

from pathlib import Path

from biofm.core.config import RunConfig
from biofm.training import self_training
from biofm.training.finetune import TrainResult, checked_config, fine_tune, resume_fine_tuning


def train(config: RunConfig, out: str | Path, overwrite: bool = False, baseline: bool | None = None,
          callbacks: list | None = None) -> TrainResult:
    """Fine-tune per ``config`` and write a complete run folder at ``out`` (see ``fine_tune``).

    With ``self_training.unlabelled`` set, a teacher is trained first and its confident,
    augmentation-consistent pseudo-labels join the student's training data.
    """
    self_training.check_self_training(checked_config(config))
    return fine_tune(config, out, overwrite=overwrite, baseline=baseline, callbacks=callbacks,
                     prelude=self_training.prelude)


def resume(run_dir: str | Path) -> TrainResult:
    """Continue an interrupted or failed run from its last complete checkpoint (see ``resume_fine_tuning``)."""
    return resume_fine_tuning(run_dir, prelude=self_training.prelude)
