"""Calibrated probabilities and distribution-free uncertainty, fitted on the validation split.

Temperature scaling (one parameter, fitted by validation log-loss) makes probabilities honest
without changing which class wins.  Split conformal prediction then turns outputs into prediction
*sets* (classification: every class whose probability clears a threshold) or *intervals*
(regression: prediction ± a half-width) that contain the truth with the requested probability —
guaranteed on exchangeable data, and checked here on the test split.  Written to
``calibration.json`` in the run; ``predict`` and ``serve`` use it when present.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

from biofm.core.errors import ConfigError
from biofm.core.io import write_json
from biofm.data.splits import load_splits
from biofm.modeling.loaded_run import CALIBRATION_FILE, load_run, with_temperature

CHECK_LEVELS = (0.8, 0.9, 0.95)
SHIFT_TOLERANCE = 0.03  # a larger miss than this (and than sampling noise) means the split shifted


def calibrate(run_dir: str | Path, coverage: float = 0.9, temperature: bool = True) -> dict:
    """Fit temperature (multiclass) and conformal thresholds on validation; measure them on test."""
    if not 0.5 <= coverage < 1:
        raise ConfigError(f"--coverage: expected a level in [0.5, 1), e.g. 0.9, got {coverage}")
    run = load_run(run_dir)
    run.calibration = None  # fit on the model's own outputs
    if run.task.mode == "multilabel":
        raise ConfigError("calibrate: multi-label tasks are not supported yet (multiclass and regression are)")
    splits = load_splits(run.config.data, run.modality)
    val, test = (_truth_and_outputs(run, getattr(splits, p)) for p in ("val", "test"))
    result: dict = {"coverage": coverage, "mode": run.task.mode, "n_validation": len(val[0])}
    levels = sorted({*CHECK_LEVELS, coverage})
    if run.task.mode == "multiclass":
        t = fit_temperature(*val) if temperature else 1.0
        (yv, pv), (yt, pt) = (val[0], with_temperature(val[1], t)), (test[0], with_temperature(test[1], t))
        result["temperature"] = round(t, 4)
        result["log_loss"] = {"val_before": _nll(*val), "val_after": _nll(yv, pv),
                              "test_before": _nll(*test), "test_after": _nll(yt, pt)}
        scores = 1.0 - pv[np.arange(len(yv)), yv]
        result["qhat"] = conformal_quantile(scores, coverage)
        result["test"] = {f"{level:g}": _set_check(yt, pt, conformal_quantile(scores, level))
                          for level in levels}
    else:
        residuals = np.abs(val[0] - val[1])  # (n, targets), NaN where a label is missing
        known = [r[~np.isnan(r)] for r in residuals.T]
        result["qhat"] = [conformal_quantile(r, coverage) for r in known]
        result["test"] = {f"{level:g}": _interval_check(test[0], test[1], [conformal_quantile(r, level) for r in known])
                          for level in levels}
    warning = shift_warning(result["test"][f"{coverage:g}"]["coverage"], coverage, len(test[0]))
    if warning:
        result["warning"] = warning
    if np.isinf(np.asarray(result["qhat"], dtype=float)).any():
        result["note"] = (f"validation has too few items for {coverage:.0%} coverage: sets hold every class, "
                          "intervals are unbounded; more validation data fixes it")
    result = _finite(result)
    write_json(run.run_dir / CALIBRATION_FILE, result)
    return result


def shift_warning(achieved: float, coverage: float, n_test: int) -> str | None:
    """Say so when test coverage misses the level by more than sampling noise: the split shifted."""
    noise = 3 * math.sqrt(coverage * (1 - coverage) / max(n_test, 1))  # 3 binomial s.d.
    if abs(achieved - coverage) <= max(SHIFT_TOLERANCE, noise):
        return None
    return (f"test coverage {achieved:.1%} for the requested {coverage:.0%}: validation and test are not "
            "exchangeable (a scaffold/region split, or a test file from elsewhere); the conformal guarantee "
            "assumes they are, so trust the test figure, not the level")


def _finite(value):
    """JSON has no infinity: an unbounded threshold is written as null (read back as unbounded)."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return None if isinstance(value, float) and math.isinf(value) else value


def unbounded(qhat: float | None) -> float:
    """A stored threshold read back: None (JSON has no infinity) means unbounded."""
    return math.inf if qhat is None else qhat


def _truth_and_outputs(run, records) -> tuple[np.ndarray, np.ndarray]:
    outputs = run.outputs(records.inputs)
    if run.task.mode == "multiclass":
        return run.task.encode(records).astype(int).ravel(), outputs
    return records.labels.astype(float), outputs


def conformal_quantile(scores: np.ndarray, coverage: float) -> float:
    """The ⌈(n+1)·coverage⌉-th smallest score: the finite-sample-valid split-conformal threshold."""
    n = len(scores)
    if n == 0:
        raise ConfigError("calibrate: the validation split has no labelled items")
    rank = math.ceil((n + 1) * coverage)
    return float(np.inf) if rank > n else float(np.sort(scores)[rank - 1])


def fit_temperature(y: np.ndarray, probs: np.ndarray) -> float:
    """The T minimising validation log-loss of softmax(log p / T)."""
    found = minimize_scalar(lambda log_t: _nll(y, with_temperature(probs, math.exp(log_t))),
                            bounds=(-3.0, 3.0), method="bounded")
    return float(math.exp(found.x))


def prediction_sets(probs: np.ndarray, qhat: float | None) -> list[list[int]]:
    """Classes with 1 - p ≤ qhat; never empty (the most probable class is always in)."""
    sets, qhat = [], unbounded(qhat)
    for row in probs:
        members = np.flatnonzero(1.0 - row <= qhat).tolist()
        sets.append(members or [int(row.argmax())])
    return sets


def _nll(y: np.ndarray, probs: np.ndarray) -> float:
    return round(float(-np.mean(np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)))), 5)


def _set_check(y: np.ndarray, probs: np.ndarray, qhat: float) -> dict:
    sets = prediction_sets(probs, qhat)
    covered = np.mean([label in members for label, members in zip(y, sets, strict=True)])
    return {"coverage": round(float(covered), 4), "mean_set_size": round(float(np.mean([len(s) for s in sets])), 3),
            "qhat": qhat if math.isinf(qhat) else round(qhat, 5)}


def _interval_check(y: np.ndarray, values: np.ndarray, qhat: list[float]) -> dict:
    known = ~np.isnan(y)
    inside = np.abs(y - values) <= np.asarray(qhat)
    return {"coverage": round(float(inside[known].mean()), 4),
            "half_width": [q if math.isinf(q) else round(q, 5) for q in qhat]}

