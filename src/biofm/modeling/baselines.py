"""The classical yardstick beside every model: the strongest of the field's standard models, fitted on
exactly the same split and chosen on validation.

Why the strongest and not one: a forest on ECFP bits flatters a molecular transformer, since a forest
on RDKit descriptors halves its error on physicochemical endpoints; most pretrained molecular
embeddings do not beat such baselines (Praski et al. 2025).  Every candidate the modality offers is
fitted; the one with the best *validation* primary metric is the baseline (test is only reported),
and every candidate's figures are kept so a reader sees what each is worth.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
from sklearn.base import clone

from biofm.core import layout
from biofm.core.console import console
from biofm.core.errors import ConfigError, RunFolderError, one_line
from biofm.core.io import atomic_path
from biofm.data.splits import Splits
from biofm.data.tasks import Task
from biofm.modalities.base import Modality
from biofm.modeling.metrics import GREATER_IS_BETTER, compute_metrics


class Yardstick(NamedTuple):
    """The chosen baseline's figures for ``metrics.json``, its test outputs (for the paired bootstrap), the
    fitted estimators (one per task column; one for a multi-class task), saved with the run, and its
    validation outputs (to choose the blend's weight)."""

    summary: dict
    test_outputs: np.ndarray
    fitted: list
    val_outputs: np.ndarray | None = None


def check_baseline_choice(modality: Modality, task_kind: str, choice: bool | str) -> None:
    """Before any work: a pinned ``baseline: KEY`` must be one the modality offers."""
    if isinstance(choice, str) and choice not in modality.baselines(task_kind, 0):
        known = ", ".join(modality.baselines(task_kind, 0))
        raise ConfigError(f"baseline: {choice!r} is not a {modality.name} baseline (known: {known}; or true / false)")


def run_baselines(modality: Modality, task: Task, splits: Splits, seed: int, primary: str,
                  pin: str | None = None) -> Yardstick:
    """Fit every candidate (or only ``pin``) on train; choose on validation; report val and test."""
    offered = modality.baselines(task.kind, seed)
    wanted = {pin: offered[pin]} if pin else offered
    candidates, outputs, fitted = {}, {}, {}
    for key, (name, estimator) in wanted.items():
        console.print(f"fitting baseline {name} …")
        candidates[key], outputs[key], fitted[key] = _fit_and_score(estimator, task, splits)
        candidates[key]["name"] = name
    chosen = pin or _best_on_validation(candidates, primary)
    summary = {"name": candidates[chosen]["name"], "key": chosen,
               "chosen_on": "pinned by the config" if pin else f"validation {primary}",
               "val": candidates[chosen]["val"], "test": candidates[chosen]["test"],
               "seconds": round(sum(c["seconds"] for c in candidates.values()), 2), "candidates": candidates}
    warnings = candidates[chosen].get("warnings")
    if warnings:
        summary["warnings"] = warnings
    return Yardstick(summary, outputs[chosen]["test"], fitted[chosen], outputs[chosen]["val"])


def _best_on_validation(candidates: dict[str, dict], primary: str) -> str:
    """The key with the best validation ``primary`` (an undefined one never wins); ties: the first offered."""
    sign = 1.0 if GREATER_IS_BETTER.get(primary, False) else -1.0
    scored = [(sign * c["val"][primary], -i, key) for i, (key, c) in enumerate(candidates.items())
              if c["val"].get(primary) is not None]
    return max(scored)[2] if scored else next(iter(candidates))


def _fit_and_score(estimator, task: Task, splits: Splits) -> tuple[dict, dict[str, np.ndarray], list]:
    start = time.perf_counter()
    models = _fit(estimator, task, splits.train)
    result: dict = {}
    outputs = {}
    for part in ("val", "test"):
        records = getattr(splits, part)
        outputs[part] = _predict(models, task, records.inputs)
        result[part], notes = compute_metrics(task, task.encode(records), outputs[part])
        if notes:
            result.setdefault("warnings", []).extend(f"{part}: {n}" for n in notes)
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result, outputs, models


def save_baseline(run_dir: Path, yardstick: Yardstick) -> None:
    """The chosen baseline in the run folder as skops (no pickle), so it travels with the run."""
    import skops.io as sio  # here, not at the top: importing it costs every biofm process ~4 s of CPU

    with atomic_path(Path(run_dir) / layout.BASELINE) as tmp:  # compressed: a 500-tree forest is 74 → 12 MB
        sio.dump({"key": yardstick.summary["key"], "name": yardstick.summary["name"], "models": yardstick.fitted},
                 tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=6)


def load_baseline(run_dir: Path, modality: Modality, task: Task) -> tuple[str, list] | None:
    """The saved baseline (name, fitted estimators); None for a run without one.

    skops loads only types it is told to trust: scikit-learn's own classes, and the modality's own feature and
    kernel functions (ECFP4, descriptors, Tanimoto) that its baselines use, by exact name; a file naming anything
    else is refused.
    """
    path = Path(run_dir) / layout.BASELINE
    if not path.is_file():
        return None
    import skops.io as sio

    allowed = {f"{f.__module__}.{f.__name__}" for _, pipeline in modality.baselines(task.kind, 0).values()
               for f in _functions(pipeline)}
    try:
        untrusted = sio.get_untrusted_types(file=path)
        foreign = sorted(t for t in set(untrusted) - allowed if not t.startswith("sklearn."))
        if foreign:
            raise RunFolderError(f"{path}: holds types biofm does not trust ({', '.join(foreign[:3])}); not loaded")
        saved = sio.load(path, trusted=untrusted)
    except RunFolderError:
        raise
    except Exception as exc:  # a damaged archive: skops and zipfile raise many types
        raise RunFolderError(f"{path}: not a biofm baseline file ({one_line(exc)})") from None
    return saved["name"], saved["models"]


def baseline_outputs(models: list, task: Task, inputs: list[str]) -> np.ndarray:
    """The saved baseline's probabilities or values, in the same layout as the model's outputs."""
    return _predict(models, task, inputs)


def _functions(pipeline) -> list:
    """The functions a baseline pipeline calls: feature transformers' ``func`` and SVMs' ``kernel``."""
    steps = [step for _, step in getattr(pipeline, "steps", [])]
    return [f for step in steps for f in (getattr(step, "func", None), getattr(step, "kernel", None)) if callable(f)]


def _fit(estimator, task: Task, train) -> list:
    """One estimator for a multi-class task; one per column (on its labelled rows) otherwise."""
    targets = task.encode(train)
    if task.mode == "multiclass":
        return [clone(estimator).fit(train.inputs, targets)]
    labels = train.labels.astype(float) if task.mode == "regression" else targets
    models = []
    for j in range(len(task.columns)):
        known = ~np.isnan(labels[:, j])
        inputs = [x for x, keep in zip(train.inputs, known, strict=True) if keep]
        models.append(clone(estimator).fit(inputs, labels[known, j]))
    return models


def _predict(models: list, task: Task, inputs: list[str]) -> np.ndarray:
    if task.mode == "multiclass":
        return models[0].predict_proba(inputs)
    if task.mode == "multilabel":
        return np.stack([m.predict_proba(inputs)[:, 1] for m in models], axis=1)
    return np.stack([m.predict(inputs) for m in models], axis=1)
