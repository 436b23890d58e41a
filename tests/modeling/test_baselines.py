"""The yardstick: every candidate fitted on train, the best on *validation* chosen, test only reported."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import roc_auc_score

from biofm.core.errors import ConfigError
from biofm.data.records import Records
from biofm.data.splits import Splits
from biofm.data.tasks import Task
from biofm.modalities import get_modality
from biofm.modeling.baselines import check_baseline_choice, run_baselines
from conftest import tiny_config


class Leaning(BaseEstimator, ClassifierMixin):
    """Ignores training; P(class 1) rises with the number in the input (direction +1) or falls (-1)."""

    def __init__(self, direction: int = 1):
        self.direction = direction

    def fit(self, inputs, targets):
        self.classes_ = np.array([0, 1])
        return self

    def predict_proba(self, inputs):
        x = np.array([float(s[1:]) for s in inputs])
        p = 1 / (1 + np.exp(-self.direction * (x - 50) / 10))
        return np.stack([1 - p, p], axis=1)


class TwoCandidates:
    name = "toy"

    def baselines(self, task_kind, seed):
        return {"rises": ("rises with x", Leaning(1)), "falls": ("falls with x", Leaning(-1))}


def records(xs, labels):
    return Records(source="toy", inputs=[f"x{x}" for x in xs], rows=list(range(len(xs))),
                   labels=np.array([[str(v)] for v in labels], dtype=object))


def test_the_candidate_best_on_validation_wins_even_when_test_says_otherwise():
    xs = list(range(100))
    rises = [int(x > 50) for x in xs]
    splits = Splits(records(xs, rises), records(xs, rises), records(xs, [1 - v for v in rises]))  # test inverted
    task = Task("classification", ["y"], classes=["0", "1"])
    yardstick = run_baselines(TwoCandidates(), task, splits, seed=0, primary="roc_auc")
    summary = yardstick.summary
    assert summary["key"] == "rises" and summary["chosen_on"] == "validation roc_auc"  # a peek at test picks "falls"
    assert summary["candidates"]["falls"]["test"]["roc_auc"] > summary["test"]["roc_auc"]
    assert yardstick.test_outputs.shape == (100, 2)
    pinned = run_baselines(TwoCandidates(), task, splits, seed=0, primary="roc_auc", pin="falls")
    assert pinned.summary["key"] == "falls" and set(pinned.summary["candidates"]) == {"falls"}


def test_molecules_offer_descriptor_and_fingerprint_forests_and_a_pin_is_checked(tmp_path):
    molecule = get_modality("molecule")
    assert set(molecule.baselines("regression", 0)) == {"ecfp4_rf", "rdkit2d_rf", "ecfp4_rdkit2d_rf", "ecfp4_svm"}
    assert set(molecule.baselines("classification", 0)) == {"ecfp4_rf", "rdkit2d_rf", "ecfp4_rdkit2d_rf"}
    check_baseline_choice(molecule, "classification", "rdkit2d_rf")
    check_baseline_choice(molecule, "classification", True)
    with pytest.raises(ConfigError, match="'tfidf' is not a molecule baseline"):
        check_baseline_choice(molecule, "classification", "tfidf")
    cfg = tiny_config(baseline="rdkit2d_rf")
    assert cfg.baseline == "rdkit2d_rf" and tiny_config(baseline=False).baseline is False


def test_a_run_reports_every_candidate_and_the_verdict(trained_run):
    import json

    metrics = json.loads((trained_run / "metrics.json").read_text())
    baseline = metrics["baseline"]
    assert set(baseline["candidates"]) == {"ecfp4_rf", "rdkit2d_rf", "ecfp4_rdkit2d_rf"}
    best = max(baseline["candidates"].values(), key=lambda c: c["val"]["roc_auc"])
    assert baseline["val"]["roc_auc"] == best["val"]["roc_auc"]
    verdict = metrics["verdict"]
    assert verdict["metric"] == "roc_auc" and verdict["resamples"] > 900
    assert verdict["verdict"] in ("better", "worse", "not distinguishable")
    assert verdict["ci95"][0] <= verdict["difference"] <= verdict["ci95"][1]
    assert "paired bootstrap" in (trained_run / "report.html").read_text()


def test_the_saved_baseline_reloads_without_pickle_and_predicts_as_in_training(trained_run, data_dir, tmp_path):
    import json

    import pandas as pd

    from biofm.modeling.baselines import baseline_outputs, load_baseline
    from biofm.modeling.loaded_run import load_run
    from biofm.modeling.metrics import compute_metrics
    from biofm.use.predict import evaluate, predict

    run = load_run(trained_run)
    name, models = load_baseline(trained_run, run.modality, run.task)
    metrics = json.loads((trained_run / "metrics.json").read_text())
    assert name == metrics["baseline"]["name"]
    test_rows = pd.read_csv(trained_run / "predictions.csv", dtype={"bbb_permeable": str})
    again = baseline_outputs(models, run.task, test_rows["input"].tolist())  # the test split, reloaded
    positive = (test_rows["bbb_permeable"] == run.task.classes[1]).to_numpy()
    assert np.isclose(roc_auc_score(positive, again[:, 1]), metrics["baseline"]["test"]["roc_auc"])
    targets = run.task.encode(run.read(data_dir / "bbb_small.csv", with_labels=True))
    frame = predict(trained_run, data_dir / "bbb_small.csv", tmp_path / "p.csv", baseline=True)
    assert {"baseline_prob_0", "baseline_prob_1"} <= set(frame.columns)
    result = evaluate(trained_run, data_dir / "bbb_small.csv")
    assert result["baseline"]["name"] == name and result["verdict"]["metric"] == "roc_auc"
    full = compute_metrics(run.task, targets, frame[["baseline_prob_0", "baseline_prob_1"]].to_numpy())[0]
    assert np.isclose(full["roc_auc"], result["baseline"]["metrics"]["roc_auc"])


def test_a_baseline_file_naming_foreign_code_is_refused(trained_run, tmp_path):
    import shutil

    import skops.io as sio

    from biofm.core.errors import RunFolderError
    from biofm.modeling.baselines import load_baseline
    from biofm.modeling.loaded_run import load_run

    run_dir = tmp_path / "run"
    shutil.copytree(trained_run, run_dir)
    from sklearn.preprocessing import FunctionTransformer

    sio.dump({"key": "x", "name": "x", "models": [FunctionTransformer(shutil.rmtree)]}, run_dir / "baseline.skops")
    run = load_run(trained_run)
    with pytest.raises(RunFolderError, match="holds types biofm does not trust"):
        load_baseline(run_dir, run.modality, run.task)


def test_the_tanimoto_svm_saves_without_pickle_and_predicts_as_fitted(tmp_path):
    from biofm.modeling.baselines import Yardstick, baseline_outputs, load_baseline, save_baseline

    molecule = get_modality("molecule")
    name, svm = molecule.baselines("regression", 0)["ecfp4_svm"]
    smiles = ["CCO", "CCCO", "CCCCO", "c1ccccc1", "c1ccccc1O", "c1ccccc1N", "CC(=O)O", "CCN"]
    svm.fit(smiles, np.arange(len(smiles), dtype=float))
    task = Task("regression", ["y"], mean=[0.0], std=[1.0])
    save_baseline(tmp_path, Yardstick({"key": "ecfp4_svm", "name": name}, np.zeros((0, 1)), [svm]))
    loaded_name, models = load_baseline(tmp_path, molecule, task)
    queries = ["CCCCCO", "c1ccccc1C"]
    assert loaded_name == name and "Tanimoto" in name
    np.testing.assert_array_equal(baseline_outputs(models, task, queries)[:, 0], svm.predict(queries))
    assert baseline_outputs(models, task, ["CCCCCO"])[0, 0] < baseline_outputs(models, task, ["c1ccccc1C"])[0, 0]


def test_a_molecular_regression_run_weighs_the_svm_beside_the_forests(data_dir, tmp_path):
    from biofm import train

    cfg = tiny_config(data_dir / "solubility_small.csv", baseline=True,
                      data={"label_columns": ["log_solubility"], "task": "regression"}, train={"epochs": 1})
    baseline = train(cfg, tmp_path / "run").metrics["baseline"]
    svm = baseline["candidates"]["ecfp4_svm"]
    assert "Tanimoto" in svm["name"] and svm["val"]["rmse"] > 0 and svm["test"]["rmse"] > 0
    best = min(baseline["candidates"].values(), key=lambda c: c["val"]["rmse"])
    assert baseline["val"]["rmse"] == best["val"]["rmse"]  # chosen on validation among all four
