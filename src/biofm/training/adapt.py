"""Domain adaptation (``train.adapt_steps: N``): continue pretraining on the task's own training inputs,
then fine-tune from there.

Why: Sultan et al. 2025 found further MTR pretraining on a task's few thousand molecules helped on all
seven ADME sets they tried, where more generic pretraining data had stopped helping.  Only the
*training* inputs are used (no labels; validation and test inputs never), so the split stays honest.
The adapted checkpoint is an ordinary pretraining run inside the run folder (``adapted/``): a killed
run resumes it, a finished one is reused.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from biofm.core import layout
from biofm.core.config import PretrainConfig, RunConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError, RunFolderError
from biofm.core.io import atomic_path, read_json
from biofm.core.runfolder import check_run
from biofm.data.splits import load_splits
from biofm.modalities import get_modality
from biofm.training.mtr import check_objective
from biofm.training.pretrain import pretrain, resume_pretraining

ADAPTED = layout.ADAPTED  # the adapted checkpoint (a pretraining run folder)
CORPUS_FILE = "train_inputs.csv"  # inside layout.ADAPT_DATA: the training inputs, and MTR's descriptor cache
COLUMN = "item"


def check_adaptation_steps(cfg: RunConfig) -> None:
    """Before any work: adaptation continues a pretrained checkpoint with an objective the modality has."""
    t = cfg.train
    if t.adapt_steps and not cfg.model.pretrained:
        raise ConfigError("train.adapt_steps: domain adaptation continues a pretrained checkpoint; set "
                          "model.pretrained (or adapt_steps: 0)")
    if t.adapt_steps:
        check_objective(t.adapt_objective, get_modality(cfg.modality))


def adapt_to_domain(cfg: RunConfig, run_dir: Path) -> tuple[RunConfig, dict]:
    """Pretrain ``cfg.model.pretrained`` further on the training inputs; the config to fine-tune from it."""
    if not cfg.train.adapt_steps:
        return cfg, {}
    folder = Path(run_dir) / ADAPTED
    corpus = Path(run_dir) / layout.ADAPT_DATA / CORPUS_FILE
    corpus.parent.mkdir(exist_ok=True)
    if not corpus.is_file():
        inputs = load_splits(cfg.data, get_modality(cfg.modality)).train.inputs
        with atomic_path(corpus) as tmp:
            pd.DataFrame({COLUMN: inputs}).to_csv(tmp, index=False)
    console.print(f"domain adaptation: {cfg.train.adapt_steps} steps of {cfg.train.adapt_objective} on the "
                  "training inputs …")
    metrics = _pretrained(_adaptation_config(cfg, corpus), folder)
    summary = {"steps": metrics["steps"], "objective": cfg.train.adapt_objective, "val_loss": metrics["val_loss"],
               "seconds": metrics["seconds"], "corpus": f"{layout.ADAPT_DATA}/{CORPUS_FILE}"}
    return replace(cfg, model=replace(cfg.model, pretrained=str(folder.absolute()))), {"domain_adaptation": summary}


def _pretrained(pcfg: PretrainConfig, folder: Path) -> dict:
    """A finished adaptation is reused; an interrupted one resumes; otherwise it starts."""
    if not folder.exists():
        return pretrain(pcfg, folder).metrics
    try:
        check_run(folder)
        return read_json(folder / "metrics.json")
    except RunFolderError:
        return resume_pretraining(folder).metrics


def _adaptation_config(cfg: RunConfig, corpus: Path) -> PretrainConfig:
    t, m = cfg.train, cfg.model
    every = max(1, t.adapt_steps // 4)
    return PretrainConfig.from_dict({
        "modality": cfg.modality,
        "corpus": {"files": [str(corpus.absolute())], "input_column": COLUMN, "val_fraction": 0.05, "max_val": 500,
                   "shuffle_buffer": 50_000, "augment": cfg.data.augment,
                   "description": "the fine-tuning run's own training inputs (no labels)"},
        "model": {"pretrained": m.pretrained, "max_length": m.max_length, "tokenizer": m.tokenizer,
                  "dropout": m.dropout},
        "train": {"steps": t.adapt_steps, "batch_size": t.batch_size, "learning_rate": t.adapt_learning_rate,
                  "objective": t.adapt_objective, "eval_every": every, "save_every": every, "seed": t.seed,
                  "precision": t.precision, "threads": t.threads},
    })
