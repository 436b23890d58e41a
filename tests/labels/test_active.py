"""Active learning: scores mean what they say, batches are diverse, and the simulation resumes."""

import json
import sys

import numpy as np
import pandas as pd
import pytest

from biofm.core.errors import ConfigError
from biofm.data.tasks import Task
from biofm.labels.active import PoolScores, k_center, margin, select, suggest, uncertainty
from biofm.labels.simulation import simulate_active_learning
from biofm.training.train import train
from conftest import tiny_config

BINARY = Task(kind="classification", columns=["y"], classes=["0", "1"])


def test_uncertainty_and_margin_peak_at_the_decision_boundary():
    outputs = np.array([[0.5, 0.5], [0.9, 0.1], [0.99, 0.01]])
    assert np.argmax(uncertainty(BINARY, outputs)) == 0 and np.argmin(uncertainty(BINARY, outputs)) == 2
    assert uncertainty(BINARY, outputs)[0] == pytest.approx(1.0)
    assert margin(BINARY, outputs).tolist() == pytest.approx([1.0, 0.2, 0.02])


def test_k_center_takes_one_item_per_cluster_not_near_duplicates():
    rng = np.random.default_rng(0)
    centres = np.eye(3) * 10
    points = np.concatenate([c + rng.normal(0, 0.1, (20, 3)) for c in centres])
    chosen = k_center(points, np.zeros((0, 3)), 3)
    assert sorted(i // 20 for i in chosen) == [0, 1, 2]
    # the cluster already labelled is avoided
    chosen = k_center(points, centres[:1], 2)
    assert sorted(i // 20 for i in chosen) == [1, 2]


def test_hybrid_picks_only_uncertain_items_and_spreads_them():
    rng = np.random.default_rng(1)
    embeddings = rng.normal(size=(100, 4))
    unsure = np.linspace(0, 1, 100)  # the last items are the most uncertain
    scores = PoolScores(unsure, unsure, np.ones(100), embeddings, np.zeros((0, 4)), np.zeros((100, 2)))
    chosen = select("hybrid", 5, scores)
    assert len(set(chosen)) == 5 and min(chosen) >= 100 - 5 * 5
    assert select("uncertainty", 3, scores) == [99, 98, 97]
    with pytest.raises(ConfigError, match="strategy"):
        select("clever", 3, scores)


def test_suggest_writes_a_ranked_csv_with_reasons(trained_run, data_dir, tmp_path):
    out = tmp_path / "next.csv"
    frame = suggest(trained_run, data_dir / "bbb_small.csv", 12, out, strategy="hybrid")
    written = pd.read_csv(out)
    assert len(written) == 12 and written["rank"].tolist() == list(range(1, 13))
    assert written["input"].is_unique and written["reason"].str.len().min() > 0
    assert {"uncertainty", "margin", "novelty", "prob_1"} <= set(written.columns)
    assert frame["row"].between(2, 201).all()


def test_simulation_reveals_labels_round_by_round_and_resumes(tmp_path, monkeypatch):
    cfg = tiny_config(train={"epochs": 1})
    summary = simulate_active_learning(cfg, tmp_path, start=40, step=20, rounds=1,
                                       strategies=("random", "uncertainty"), seeds=(0,))
    curves = json.loads((tmp_path / "curves.json").read_text())
    sizes = [(r["strategy"], r["round"], r["n_labelled"]) for r in curves["rounds"]]
    assert sizes == [("random", 0, 40), ("random", 1, 60), ("uncertainty", 0, 40), ("uncertainty", 1, 60)]
    first = {r["strategy"]: r["labelled"][:40] for r in curves["rounds"] if r["round"] == 0}
    assert first["random"] == first["uncertainty"]  # same starting set for every strategy of a seed
    assert len(set(curves["rounds"][-1]["labelled"])) == 60
    assert curves["full"][0]["n_labelled"] > 60
    assert (tmp_path / "learning_curves.png").stat().st_size > 0 and (tmp_path / "curves.csv").exists()
    assert set(summary["strategies"]) == {"random", "uncertainty"}

    def no_training(*args, **kwargs):
        raise AssertionError("a finished round was trained again")

    monkeypatch.setattr(sys.modules["biofm.labels.simulation"], "train", no_training)
    again = simulate_active_learning(cfg, tmp_path, start=40, step=20, rounds=1,
                                     strategies=("random", "uncertainty"), seeds=(0,))
    assert again == summary


def test_regression_pool_is_ranked_by_dropout_spread(tmp_path, data_dir):
    cfg = tiny_config(data_dir / "solubility_small.csv",
                      data={"label_columns": ["log_solubility"], "task": "regression"})
    run = train(cfg, tmp_path / "run").run_dir
    frame = suggest(run, data_dir / "solubility_small.csv", 10, tmp_path / "next.csv", strategy="uncertainty")
    assert (frame.uncertainty > 0).all() and frame.uncertainty.is_monotonic_decreasing
    assert "pred_log_solubility" in frame.columns
