"""The paired bootstrap: covers a known difference, is seeded, and says 'not distinguishable' for noise."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from biofm.data.tasks import Task
from biofm.modeling.metrics import compute_metrics
from biofm.trust.significance import _binary_auc, _score, paired_bootstrap, verdict

REGRESSION = Task("regression", ["y"], mean=[0.0], std=[1.0])


def test_the_interval_covers_a_known_difference_and_is_seeded():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(2000, 1))
    model, baseline = y + rng.normal(0, 0.5, y.shape), y + rng.normal(0, 1.0, y.shape)  # true RMSE 0.5 vs 1.0
    result = paired_bootstrap(REGRESSION, y, model, baseline, "rmse", seed=3)
    low, high = result["ci95"]
    assert low <= -0.5 <= high and high < 0 and result["verdict"] == "better"  # lower RMSE is better
    assert paired_bootstrap(REGRESSION, y, model, baseline, "rmse", seed=3) == result
    assert paired_bootstrap(REGRESSION, y, model, baseline, "rmse", seed=4)["ci95"] != result["ci95"]
    assert paired_bootstrap(REGRESSION, y, baseline, model, "rmse", seed=3)["verdict"] == "worse"


def test_two_equally_good_models_are_not_distinguishable():
    rng = np.random.default_rng(1)
    y = rng.normal(size=(300, 1))
    a, b = y + rng.normal(0, 1, y.shape), y + rng.normal(0, 1, y.shape)
    assert paired_bootstrap(REGRESSION, y, a, b, "rmse")["verdict"] == "not distinguishable"


def test_fast_auc_equals_scikit_learn_with_ties():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 500)
    score = np.round(rng.random(500), 1)  # many ties
    assert np.isclose(_binary_auc(y, score), roc_auc_score(y, score))
    assert _binary_auc(np.ones(5, int), score[:5]) is None
    assert verdict(0.01, 0.02, True) == "better" and verdict(-0.02, 0.01, True) == "not distinguishable"


def test_fast_accuracy_equals_the_full_metrics_for_many_classes():
    task = Task("classification", ["dx"], classes=[f"d{i}" for i in range(12)])
    rng = np.random.default_rng(3)
    y = rng.integers(0, 12, (400, 1)).astype(float)  # as Task.encode gives them
    prob = rng.dirichlet(np.ones(12), 400)
    assert np.isclose(_score(task, y, prob, "accuracy"), compute_metrics(task, y, prob)[0]["accuracy"])


def test_fast_mcc_equals_the_full_metrics_for_three_classes():
    rng = np.random.default_rng(4)
    task = Task("classification", ["dx"], classes=["x", "y", "z"])
    y = rng.integers(0, 3, (300, 1)).astype(float)
    out = np.eye(3)[np.where(rng.random(300) < 0.6, y[:, 0].astype(int), rng.integers(0, 3, 300))] + 0.01
    assert np.isclose(_score(task, y, out, "mcc"), compute_metrics(task, y, out)[0]["mcc"])
    assert _score(task, np.zeros((5, 1)), np.tile([1.0, 0, 0], (5, 1)), "mcc") == 0.0  # undefined: 0


@pytest.mark.parametrize("kind, metric", [("classification", "roc_auc"), ("regression", "rmse")])
def test_fast_multi_task_metrics_equal_the_full_metrics(kind, metric):
    """With gaps, and a last column wholly unlabelled (regression) or of one class (ROC-AUC undefined)."""
    rng = np.random.default_rng(4)
    columns = ["a", "b", "c"]
    task = Task(kind, columns, mean=[1.0, -2.0, 0.0], std=[2.0, 0.5, 1.0]) if kind == "regression" else \
        Task(kind, columns)
    y = rng.integers(0, 2, (300, len(columns))).astype(float)
    y[rng.random(y.shape) < 0.3] = np.nan
    y[:, -1] = np.nan if kind == "regression" else 1.0
    out = rng.random(y.shape)
    expected = compute_metrics(task, y, out)[0][metric]
    assert np.isclose(_score(task, y, out, metric), expected)
