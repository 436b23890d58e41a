"""The model's blend with its baseline: the weight is chosen on validation, recorded, and applied by predict."""

import json

import numpy as np
import pandas as pd
import pytest

from biofm.core.errors import RunFolderError
from biofm.data.tasks import Task
from biofm.modeling.blend import blend_weight, blended, choose_weight

TASK = Task("regression", ["y"], mean=[0.0], std=[1.0])


def _noisy(truth: np.ndarray, scale: float, seed: int) -> np.ndarray:
    return (truth + np.random.default_rng(seed).normal(0, scale, truth.shape))


def test_the_weight_follows_validation_whichever_side_is_better():
    truth = np.random.default_rng(0).normal(size=(400, 1))
    good, bad = _noisy(truth, 0.1, 1), _noisy(truth, 2.0, 2)
    assert choose_weight(TASK, truth, good, bad, "rmse") >= 0.9
    assert choose_weight(TASK, truth, bad, good, "rmse") <= 0.1
    alike = choose_weight(TASK, truth, _noisy(truth, 0.5, 3), _noisy(truth, 0.5, 4), "rmse")
    assert 0.3 <= alike <= 0.7  # two independent, equally good sides: the average beats either
    assert choose_weight(TASK, truth, truth, truth, "rmse") == 1.0  # a tie keeps the model alone


def test_a_blend_of_probabilities_is_a_probability_and_auc_picks_the_weight():
    task = Task("classification", ["label"], classes=["0", "1"])
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    informative = np.clip(0.5 + 0.3 * (y - 0.5) + rng.normal(0, 0.15, 300), 0.01, 0.99)
    random = rng.uniform(0.01, 0.99, 300)
    model, baseline = (np.stack([1 - p, p], axis=1) for p in (informative, random))
    mixed = blended(model, baseline, 0.3)
    np.testing.assert_allclose(mixed.sum(axis=1), 1.0)
    assert choose_weight(task, y, model, baseline, "roc_auc") >= 0.8


def test_a_run_without_a_blend_is_refused_by_name():
    with pytest.raises(RunFolderError, match="runs/x: no blend weight"):
        blend_weight({"val": {}}, "runs/x")
    assert blend_weight({"blend": {"weight": 0.4}}, "runs/x") == 0.4


def test_a_run_records_its_blend_and_predict_applies_it(trained_run, data_dir, tmp_path):
    from biofm import predict
    from biofm.use.predict import evaluate

    metrics = json.loads((trained_run / "metrics.json").read_text())
    blend = metrics["blend"]
    assert blend["weight"] in [i / 10 for i in range(11)] and blend["chosen_on"] == "validation roc_auc"
    assert blend["verdict"]["baseline"] == pytest.approx(metrics["baseline"]["test"]["roc_auc"], abs=1e-4)
    plain = predict(trained_run, data_dir / "bbb_small.csv", tmp_path / "p.csv", baseline=True)
    mixed = predict(trained_run, data_dir / "bbb_small.csv", tmp_path / "b.csv", blend=True)
    expected = blend["weight"] * plain.prob_1 + (1 - blend["weight"]) * plain.baseline_prob_1
    np.testing.assert_allclose(mixed.prob_1, expected, atol=1e-6)
    assert "baseline_prob_1" not in mixed.columns
    assert set(evaluate(trained_run, data_dir / "bbb_small.csv")["blend"]) == {"weight", "metrics", "verdict"}
    assert pd.read_csv(tmp_path / "b.csv").prob_1.between(0, 1).all()
