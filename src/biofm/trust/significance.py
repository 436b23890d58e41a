"""Is the model really better than the baseline?  A paired bootstrap over the test set.

Why paired: model and baseline are scored on the same test items, so resampling the items (not the
two scores apart) cancels the difficulty they share, and a 95 % interval of the difference that
excludes zero says the gap would survive another draw of test molecules, sequences or notes.
Small scaffold-split test sets make differences of 0.02–0.03 ROC-AUC common noise; this says so.
"""

from __future__ import annotations

import numpy as np

from biofm.data.tasks import Task
from biofm.modeling.metrics import GREATER_IS_BETTER, compute_metrics, mean_over_tasks

RESAMPLES = 1000


def paired_bootstrap(task: Task, targets: np.ndarray, model: np.ndarray, baseline: np.ndarray, metric: str,
                     resamples: int = RESAMPLES, seed: int = 0) -> dict:
    """``metric`` of model and baseline on the test set, their difference (model − baseline) with a 95 %
    percentile interval over ``resamples`` seeded resamples of the items, and a one-word verdict."""
    rng = np.random.default_rng(seed)
    n = len(targets)
    observed = _score(task, targets, model, metric), _score(task, targets, baseline, metric)
    if None in observed:
        return {"metric": metric, "verdict": "undefined", "reason": f"{metric} is undefined on this test set"}
    differences = []
    for _ in range(resamples):
        index = rng.integers(0, n, n)
        pair = _score(task, targets[index], model[index], metric), _score(task, targets[index], baseline[index], metric)
        if None not in pair:  # a resample with one class leaves ROC-AUC undefined: skipped, counted below
            differences.append(pair[0] - pair[1])
    low, high = np.percentile(differences, [2.5, 97.5]) if differences else (np.nan, np.nan)
    return {"metric": metric, "model": round(observed[0], 5), "baseline": round(observed[1], 5),
            "difference": round(observed[0] - observed[1], 5), "ci95": [round(float(low), 5), round(float(high), 5)],
            "resamples": len(differences), "seed": seed, "n_test": n,
            "verdict": verdict(float(low), float(high), GREATER_IS_BETTER.get(metric, False))}


def verdict(low: float, high: float, greater_is_better: bool) -> str:
    """"better" / "worse" for the model when the whole interval is on one side of zero."""
    if not np.isfinite(low) or not np.isfinite(high):
        return "undefined"
    if low > 0:
        return "better" if greater_is_better else "worse"
    if high < 0:
        return "worse" if greater_is_better else "better"
    return "not distinguishable"


def verdict_line(result: dict, baseline_name: str, who: str = "model") -> str:
    """The one line a summary shows: figures, interval and verdict (``who``: what was compared)."""
    if result.get("verdict") == "undefined":
        return f"{who} vs baseline: no verdict ({result.get('reason', 'undefined')})"
    low, high = result["ci95"]
    return (f"{who} vs baseline ({baseline_name}) on test {result['metric']}: {result['model']:.4f} vs "
            f"{result['baseline']:.4f}, difference {result['difference']:+.4f} (95 % CI {low:+.4f} to {high:+.4f}, "
            f"paired bootstrap, {result['resamples']} resamples): {result['verdict'].upper()}")


def blend_label(blend: dict) -> str:
    """What a blend is, for its verdict line: its weights, and where they were chosen."""
    return f"blend {blend['weight']:.1f}·model + {1 - blend['weight']:.1f}·baseline ({blend['chosen_on']})"


def _score(task: Task, targets: np.ndarray, outputs: np.ndarray, metric: str) -> float | None:
    """One metric, fast for every primary metric (the bootstrap calls this 2,000 times, and scikit-learn's
    input checks made that most of a small run's wall time); anything else goes through ``compute_metrics``."""
    if task.mode == "multiclass":
        y, predicted = targets.astype(int).ravel(), outputs.argmax(axis=1)
        if metric == "accuracy":  # 200 diagnoses: every metric would take minutes
            return float(np.mean(predicted == y))
        if metric == "mcc":
            return _mcc(y, predicted, outputs.shape[1])
        if metric == "roc_auc" and outputs.shape[1] == 2:
            return _binary_auc(y, outputs[:, 1])
    elif (task.mode, metric) in (("multilabel", "roc_auc"), ("regression", "rmse")):
        return _mean_over_columns(task, targets, outputs, metric)
    return compute_metrics(task, targets, outputs)[0].get(metric)


def _mean_over_columns(task: Task, targets: np.ndarray, outputs: np.ndarray, metric: str) -> float | None:
    """Multi-task ROC-AUC or RMSE by ``compute_metrics``' own per-column mean, each column scored fast."""
    if task.mode == "regression":
        targets = targets * np.asarray(task.std) + np.asarray(task.mean)  # the user's units

    def column(y: np.ndarray, out: np.ndarray, notes: list[str], name: str) -> dict:
        if task.mode == "multilabel":
            return {metric: _binary_auc(y.astype(int), out)}
        return {metric: float(np.sqrt(np.mean((out - y) ** 2)))}

    return mean_over_tasks(task, targets, outputs, [], column).get(metric)


def _mcc(y: np.ndarray, predicted: np.ndarray, k: int) -> float:
    """Matthews correlation from the k×k confusion matrix (scikit-learn's multiclass formula; 0 when undefined)."""
    confusion = np.bincount(y * k + predicted, minlength=k * k).reshape(k, k).astype(float)
    true, chosen, n = confusion.sum(axis=1), confusion.sum(axis=0), confusion.sum()
    denominator = np.sqrt((n**2 - chosen @ chosen) * (n**2 - true @ true))
    return float((np.trace(confusion) * n - true @ chosen) / denominator) if denominator > 0 else 0.0


def _binary_auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """ROC-AUC as the Mann–Whitney statistic with tied scores counted half (equal to scikit-learn's)."""
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    average = first + (counts + 1) / 2.0  # 1-based average rank of each tie group
    ranks[order] = np.repeat(average, counts)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))
