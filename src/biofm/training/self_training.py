"""Self-training: a teacher's confident, augmentation-consistent predictions become extra labels.

Why: unlabelled molecules, sequences and notes are plentiful; labels are not.  Pseudo-labels are
only as good as the teacher, so an item joins the student's data only when the teacher is sure of
it (``threshold``) and gives the same class for every random augmentation of it (``views``) — a
cheap consistency check that filters predictions resting on one token or one atom order.

Layout inside the student's run folder: ``teacher/`` (an ordinary run on the labelled data),
``self_training/`` (the exact train/val/test files of the student and ``pseudo_labels.csv``).  The
student is scored on the teacher's validation and test items, and pool items that also occur in
any labelled split are dropped (counted), so nothing leaks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.config import RunConfig, SelfTrainingConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path, read_json, write_json, write_yaml
from biofm.data.records import Records, read_records
from biofm.data.splits import load_splits, pinned_config, write_records
from biofm.modalities import get_modality
from biofm.modeling.loaded_run import load_run
from biofm.training.finetune import fine_tune

FOLDER = "self_training"
TEACHER = "teacher"


def check_self_training(cfg: RunConfig) -> None:
    """Before any work: pseudo-labels need one class column (a probability to be sure of)."""
    if cfg.self_training.unlabelled and (cfg.data.task != "classification" or len(cfg.data.label_columns) != 1):
        raise ConfigError("self_training.unlabelled: pseudo-labelling needs a classification task with one label "
                          f"column (got {cfg.data.task} with {len(cfg.data.label_columns)} columns)")


def student_config(cfg: RunConfig, run_dir: Path) -> RunConfig:
    """Train the teacher (once: a resumed student reuses it) and return the student's config."""
    folder = run_dir / FOLDER
    if (folder / "student.yaml").exists():
        return RunConfig.from_file(folder / "student.yaml")
    teacher_cfg = replace(cfg, self_training=SelfTrainingConfig(), explain_examples=0)
    console.print("[bold]self-training[/]: training the teacher on the labelled data …")
    teacher = fine_tune(teacher_cfg, run_dir / TEACHER, overwrite=True)
    splits = load_splits(cfg.data, get_modality(cfg.modality))
    student = pinned_config(cfg, splits, folder)
    pseudo, summary = pseudo_label(run_dir / TEACHER, cfg.self_training, splits)
    combined = Records(source="", inputs=splits.train.inputs + pseudo.inputs, rows=[],
                       labels=np.concatenate([splits.train.labels, pseudo.labels]))
    write_records(combined, cfg.data, folder / "train.csv")
    summary["teacher"] = {part: teacher.metrics[part] for part in ("val", "test")}
    write_json(folder / "summary.json", summary)
    student = replace(student, data=replace(student.data, train=str(folder / "train.csv")),
                      self_training=SelfTrainingConfig())
    write_yaml(folder / "student.yaml", student.to_dict())  # last: its presence means the teacher's work is done
    return student


def pseudo_label(teacher_dir: Path, settings: SelfTrainingConfig, splits) -> tuple[Records, dict]:
    """The pool items the teacher labels confidently and consistently, as records with those labels."""
    run = load_run(teacher_dir)
    pool = read_records(run.modality, settings.unlabelled, run.config.data.input_column, skip_invalid=True)
    known = set(splits.train.inputs) | set(splits.val.inputs) | set(splits.test.inputs)
    fresh = [x for x in dict.fromkeys(pool.inputs) if x not in known]
    console.print(f"pseudo-labelling {len(fresh)} pool items ({settings.views} augmented views each) …")
    probabilities, agree = _consistent_probabilities(run, fresh, settings.views)
    confident = (probabilities.max(axis=1) >= settings.threshold) & agree
    classes = np.asarray(run.task.classes, dtype=object)[probabilities.argmax(axis=1)]
    keep = np.flatnonzero(confident)
    pseudo = Records(source=str(settings.unlabelled), inputs=[fresh[i] for i in keep], rows=[],
                     labels=classes[keep][:, None])
    frame = pd.DataFrame({"input": fresh, "pseudo_label": classes, "confidence": probabilities.max(axis=1).round(4),
                          "views_agree": agree, "used": confident})
    with atomic_path(teacher_dir.parent / FOLDER / "pseudo_labels.csv") as tmp:
        frame.to_csv(tmp, index=False)
    summary = {"pool_rows": len(pool) + len(pool.skipped), "invalid_skipped": len(pool.skipped),
               "duplicates_or_labelled_dropped": len(pool) - len(fresh), "scored": len(fresh),
               "pseudo_labelled": int(confident.sum()), "threshold": settings.threshold, "views": settings.views,
               "pseudo_label_counts": pd.Series(classes[keep]).value_counts().to_dict()}
    console.print(f"{summary['pseudo_labelled']} of {len(fresh)} pool items pseudo-labelled "
                  f"(≥ {settings.threshold:.2f} and consistent over {settings.views} views)")
    return pseudo, summary


def _consistent_probabilities(run, items: list[str], views: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean class probabilities over the item and ``views`` augmentations, and whether all agree."""
    rng = np.random.default_rng(seed)
    draws = [run.outputs(items)]
    for _ in range(views):
        draws.append(run.outputs([run.modality.augment(x, rng) for x in items]))
    draws = np.stack(draws)
    votes = draws.argmax(axis=2)
    return draws.mean(axis=0), (votes == votes[0]).all(axis=0)


def prelude(cfg: RunConfig, run_dir: Path) -> tuple[RunConfig, dict]:
    """Fine-tuning's prelude: with ``self_training.unlabelled`` set, the teacher's work and the student's
    config; the run folder then holds the student.  Otherwise ``cfg`` unchanged."""
    if not cfg.self_training.unlabelled:
        return cfg, {}
    student = student_config(cfg, run_dir)
    return student, {"self_training": self_training_summary(run_dir)}


def self_training_summary(run_dir: Path) -> dict | None:
    """What pseudo-labelling did, for the student's metrics.json (None for ordinary runs)."""
    path = Path(run_dir) / FOLDER / "summary.json"
    return read_json(path) if path.exists() else None
