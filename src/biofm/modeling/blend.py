"""The model averaged with its own classical baseline: ``w * model + (1 - w) * baseline``, ``w`` chosen on
validation.

Why: a fine-tuned transformer and a forest or SVM on fingerprints err on different inputs.  On MoleculeACE's
30 sets (seed 0) the model alone beat the validation-chosen classical model on 7, their validation-weighted
average on 20.  The weight is chosen on the validation split only, so the test figures stay an honest estimate;
``w = 1`` is the model alone and ``w = 0`` the baseline, so a blend never has to be worse on validation than
either.  Both outputs are in the task's layout (probabilities or values in the user's units), and a convex
combination of probabilities is again a probability.
"""

from __future__ import annotations

import numpy as np

from biofm.core.errors import RunFolderError
from biofm.data.tasks import Task
from biofm.modeling.metrics import GREATER_IS_BETTER, compute_metrics

WEIGHTS = tuple(round(1 - i / 10, 1) for i in range(11))  # the model's share, from the model alone down


def blended(model: np.ndarray, baseline: np.ndarray, weight: float) -> np.ndarray:
    """The weighted average of two output arrays of one layout."""
    return weight * model + (1 - weight) * baseline


def choose_weight(task: Task, targets: np.ndarray, model: np.ndarray, baseline: np.ndarray, primary: str) -> float:
    """The model's share with the best validation ``primary``; a tie keeps the larger share (the model's)."""
    sign = 1.0 if GREATER_IS_BETTER.get(primary, False) else -1.0
    best_score, best_weight = -np.inf, 1.0
    for weight in WEIGHTS:
        score = compute_metrics(task, targets, blended(model, baseline, weight))[0].get(primary)
        if score is not None and sign * score > best_score + 1e-12:
            best_score, best_weight = sign * score, weight
    return best_weight


def blend_weight(metrics: dict, run_dir: object) -> float:
    """The weight a finished run chose (``metrics.json``'s ``blend``), or a clear error for a run without one."""
    blend = metrics.get("blend")
    if not isinstance(blend, dict) or not isinstance(blend.get("weight"), int | float):
        raise RunFolderError(f"{run_dir}: no blend weight in metrics.json (trained with --no-baseline, or before "
                             "biofm chose one); --blend needs a run that fitted its baseline")
    return float(blend["weight"])
