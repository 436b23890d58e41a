"""The notebook API: scikit-learn's estimator shape over the same train and predict as the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from typer.testing import CliRunner

from biofm.cli import app
from biofm.core.errors import ConfigError
from biofm.use.estimator import FineTuner


@pytest.fixture(scope="module")
def fitted(tmp_path_factory, data_dir):
    frame = pd.read_csv(data_dir / "bbb_small.csv")
    tuner = FineTuner(epochs=2, baseline=False, settings={"explain_examples": 0},
                      workdir=str(tmp_path_factory.mktemp("tuner")))
    return tuner.fit(frame, input="smiles", label="bbb_permeable"), frame


def test_fit_predict_save_load_predict_matches_the_cli(fitted, tmp_path, data_dir):
    tuner, frame = fitted
    new = frame.head(12).drop(columns=["bbb_permeable"])
    probabilities = tuner.predict_proba(new)
    assert list(probabilities.columns) == ["prob_0", "prob_1"] and list(probabilities.index) == list(new.index)
    classes = tuner.predict(new)
    assert list(classes) == [("0", "1")[i] for i in probabilities.to_numpy().argmax(axis=1)]

    saved = tuner.save(tmp_path / "saved")
    again = FineTuner.load(saved)
    np.testing.assert_allclose(again.predict_proba(new).to_numpy(), probabilities.to_numpy(), atol=1e-6)
    assert again.get_params()["epochs"] == 2

    run = tmp_path / "cli"  # the same settings and seed through the command line: the same model
    result = CliRunner().invoke(app, ["train", str(data_dir / "bbb_small.csv"), "--label", "bbb_permeable",
                                      "--out", str(run), "--set", "train.epochs=2", "--set", "train.seed=0",
                                      "--set", "explain_examples=0", "--no-baseline"])
    assert result.exit_code == 0, result.output
    np.testing.assert_allclose(FineTuner.load(run).predict_proba(new).to_numpy(), probabilities.to_numpy(), atol=1e-5)


def test_evaluate_scores_labelled_rows_and_the_sklearn_contract_holds(fitted):
    tuner, frame = fitted
    result = tuner.evaluate(frame.tail(40))
    assert result["n"] == 40 and 0.0 <= result["metrics"]["roc_auc"] <= 1.0
    twin = clone(tuner)  # __init__ only stores parameters, so clone gives an unfitted twin
    assert twin.get_params() == tuner.get_params() and not hasattr(twin, "run_dir_")
    assert "train.epochs=2" in tuner.overrides() and "explain_examples=0" in tuner.overrides()


def test_labels_may_come_as_y_and_regression_has_no_probabilities(tmp_path, data_dir):
    frame = pd.read_csv(data_dir / "solubility_small.csv")
    tuner = FineTuner(epochs=1, baseline=False, workdir=str(tmp_path),
                      settings={"explain_examples": 0, "model.extra_features": []})
    tuner.fit(frame[["smiles"]], frame["log_solubility"])
    values = tuner.predict(frame.head(5)[["smiles"]])
    assert values.name == "log_solubility" and values.notna().all()
    with pytest.raises(ConfigError, match="regression"):
        tuner.predict_proba(frame.head(5))
    with pytest.raises(ConfigError, match="name the label column"):
        FineTuner().fit(frame)
