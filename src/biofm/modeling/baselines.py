"""The classical baseline beside every model, fitted on exactly the same split.

Why always: most pretrained molecular embeddings do not beat ECFP fingerprints (Praski et al.
2025).  A user must see, in the same run, whether the transformer earned its cost.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.base import clone

from biofm.data.splits import Splits
from biofm.data.tasks import Task
from biofm.modalities.base import Modality
from biofm.modeling.metrics import compute_metrics


def run_baseline(modality: Modality, task: Task, splits: Splits, seed: int) -> dict:
    """Fit the modality's baseline on train; metrics on val and test, as for the model."""
    start = time.perf_counter()
    name, estimator = modality.baseline(task.kind, seed)
    fitted = _fit(estimator, task, splits.train)
    result: dict = {"name": name}
    for part in ("val", "test"):
        records = getattr(splits, part)
        outputs = _predict(fitted, task, records.inputs)
        result[part], notes = compute_metrics(task, task.encode(records), outputs)
        if notes:
            result.setdefault("warnings", []).extend(f"{part}: {n}" for n in notes)
    result["seconds"] = round(time.perf_counter() - start, 2)
    return result


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
