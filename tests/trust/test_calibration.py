"""Temperature scaling and split conformal prediction."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from biofm.core.errors import ConfigError
from biofm.modeling.loaded_run import with_temperature
from biofm.training.train import train
from biofm.trust.calibration import calibrate, conformal_quantile, fit_temperature, prediction_sets, shift_warning
from biofm.use.predict import predict
from conftest import tiny_config


def test_split_conformal_covers_at_the_requested_rate_on_exchangeable_data():
    rng = np.random.default_rng(0)
    for level in (0.8, 0.9, 0.95):
        covered = []
        for _ in range(400):
            scores = rng.exponential(size=300)
            qhat = conformal_quantile(scores[:200], level)
            covered.append(np.mean(scores[200:] <= qhat))
        assert level - 0.01 < np.mean(covered) < level + 0.03, (level, np.mean(covered))


def test_temperature_recovers_an_overconfident_model():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(4000, 3)) * 2
    true_probs = with_temperature(np.exp(logits) / np.exp(logits).sum(1, keepdims=True), 1.0)
    y = np.array([rng.choice(3, p=p) for p in true_probs])
    overconfident = with_temperature(true_probs, 0.5)  # logits doubled
    assert fit_temperature(y, overconfident) == pytest.approx(2.0, rel=0.15)


def test_prediction_sets_are_never_empty():
    probs = np.array([[0.5, 0.3, 0.2], [0.34, 0.33, 0.33]])
    assert prediction_sets(probs, qhat=0.75) == [[0, 1], [0, 1, 2]]
    assert prediction_sets(probs, qhat=0.0) == [[0], [0]]


def test_calibrated_classification_run_predicts_sets(trained_run, data_dir, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(trained_run, run)
    result = calibrate(run, coverage=0.9)
    assert result["temperature"] > 0 and set(result["test"]) == {"0.8", "0.9", "0.95"}
    assert json.loads((run / "calibration.json").read_text())["coverage"] == 0.9
    frame = predict(run, data_dir / "bbb_small.csv", tmp_path / "p.csv")
    assert "set_90" in frame.columns and frame["set_90"].str.len().min() > 0


def test_calibrated_regression_run_predicts_intervals(data_dir, tmp_path):
    cfg = tiny_config(data_dir / "solubility_small.csv",
                      data={"label_columns": ["log_solubility"], "task": "regression", "split": "random"})
    run = train(cfg, tmp_path / "reg").run_dir
    result = calibrate(run, coverage=0.8)
    assert result["qhat"][0] > 0 and 0 <= result["test"]["0.8"]["coverage"] <= 1
    assert result["test"]["0.95"]["half_width"] == [None]  # 12 validation items cannot bound 95 %
    frame = predict(run, data_dir / "solubility_small.csv", tmp_path / "p.csv")
    low, high = frame.filter(like="_lower_80").iloc[:, 0], frame.filter(like="_upper_80").iloc[:, 0]
    assert (high - low).round(6).nunique() == 1 and (high > low).all()
    assert len(pd.read_csv(tmp_path / "p.csv")) == len(frame)


def test_bad_coverage_is_refused(trained_run):
    with pytest.raises(ConfigError, match="coverage"):
        calibrate(trained_run, coverage=1.2)


def test_mc_dropout_gives_a_spread_per_output(trained_run, data_dir, tmp_path):
    frame = predict(trained_run, data_dir / "bbb_small.csv", tmp_path / "mc.csv", mc_samples=8)
    spread = frame.filter(like="_std")
    assert spread.shape[1] == 2 and (spread.to_numpy() >= 0).all() and spread.to_numpy().max() > 0
    again = predict(trained_run, data_dir / "bbb_small.csv", tmp_path / "mc2.csv", mc_samples=8)
    assert np.allclose(spread.to_numpy(), again.filter(like="_std").to_numpy())  # seeded



def test_coverage_missed_beyond_noise_is_flagged_as_a_shift():
    assert "not exchangeable" in shift_warning(0.761, 0.9, 781)  # B3DB, deterministic scaffold split
    assert shift_warning(0.887, 0.9, 781) is None  # within 3 points
    assert shift_warning(0.80, 0.9, 20) is None  # 20 test items: 10 points is sampling noise
