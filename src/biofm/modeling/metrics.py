"""Metrics under stable snake_case keys, computed by scikit-learn / SciPy.

Why ``None`` instead of a number sometimes: ROC-AUC on a test set with one class is undefined.
We return ``None`` with a warning that says why, rather than a misleading 0.5 or a crash.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    matthews_corrcoef,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    roc_auc_score,
    top_k_accuracy_score,
)
from sklearn.preprocessing import label_binarize

from biofm.data.tasks import Task

GREATER_IS_BETTER = {"roc_auc": True, "pr_auc": True, "accuracy": True, "f1_macro": True, "mcc": True,
                     "top5_accuracy": True, "rmse": False, "mae": False, "r2": True, "spearman": True}


def compute_metrics(task: Task, targets: np.ndarray, outputs: np.ndarray) -> tuple[dict, list[str]]:
    """``targets`` as from ``Task.encode``; ``outputs`` as from ``Task.decode``. Returns (metrics, warnings)."""
    notes: list[str] = []
    if task.mode == "multiclass":
        metrics = _classification(targets.astype(int), outputs, len(task.classes), notes, "")
    elif task.mode == "multilabel":
        metrics = mean_over_tasks(task, targets, outputs, notes, _binary_column)
    else:
        real = targets * np.asarray(task.std) + np.asarray(task.mean)  # back to the user's units
        metrics = mean_over_tasks(task, real, outputs, notes, _regression_column)
    return metrics, notes


def _classification(y: np.ndarray, prob: np.ndarray, k: int, notes: list[str], name: str) -> dict:
    predicted = prob.argmax(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one class present: sklearn warns, the note below says it plainly
        metrics = {
            "accuracy": accuracy_score(y, predicted),
            "f1_macro": f1_score(y, predicted, average="macro", labels=list(range(k)), zero_division=0),
            "mcc": matthews_corrcoef(y, predicted),
            "roc_auc": None,
            "pr_auc": None,
        }
    if k > 5:  # many classes (diagnoses): is the right one among the five a clinician would read?
        metrics["top5_accuracy"] = top_k_accuracy_score(y, prob, k=5, labels=list(range(k)))
    if len(np.unique(y)) < 2:
        notes.append(f"{name or 'labels'}: only one class present, so ROC-AUC and PR-AUC are undefined")
        return _floats(metrics)
    if k == 2:
        metrics["roc_auc"] = roc_auc_score(y, prob[:, 1])
        metrics["pr_auc"] = average_precision_score(y, prob[:, 1])
    else:
        present = np.unique(y)
        onehot = label_binarize(y, classes=list(range(k)))[:, present]
        metrics["roc_auc"] = roc_auc_score(onehot, prob[:, present], average="macro")
        metrics["pr_auc"] = average_precision_score(onehot, prob[:, present], average="macro")
    return _floats(metrics)


def _binary_column(y: np.ndarray, prob: np.ndarray, notes: list[str], name: str) -> dict:
    return _classification(y.astype(int), np.stack([1 - prob, prob], axis=1), 2, notes, name)


def _regression_column(y: np.ndarray, pred: np.ndarray, notes: list[str], name: str) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant input: spearman is nan, reported as None
        rho = spearmanr(y, pred).statistic if len(y) > 1 else float("nan")
    return _floats({
        "rmse": float(np.sqrt(mean_squared_error(y, pred))),
        "mae": mean_absolute_error(y, pred),
        "r2": r2_score(y, pred) if len(y) > 1 else None,
        "spearman": rho,
    })


def mean_over_tasks(task: Task, y: np.ndarray, out: np.ndarray, notes: list[str], column_metrics) -> dict:
    """Per-column metrics on labelled rows only, then the mean of each metric over columns."""
    per_column = {}
    for j, name in enumerate(task.columns):
        known = ~np.isnan(y[:, j])
        if known.sum() == 0:
            notes.append(f"{name}: no labelled rows, skipped")
            continue
        per_column[name] = column_metrics(y[known, j], out[known, j], notes, name)
    keys = next(iter(per_column.values())).keys() if per_column else []
    mean = {}
    for key in keys:
        values = [m[key] for m in per_column.values() if m[key] is not None]
        mean[key] = float(np.mean(values)) if values else None
    if len(task.columns) > 1:
        mean["per_task"] = per_column
    return mean


def _floats(metrics: dict) -> dict:
    """Plain floats (JSON-safe); NaN becomes None."""
    return {k: (None if v is None or not np.isfinite(v) else float(v)) for k, v in metrics.items()}
