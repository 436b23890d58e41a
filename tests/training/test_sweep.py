"""Optuna sweep: trials are real runs, the best is chosen on validation, a second call resumes the study."""

import json

import pandas as pd
import pytest
import yaml

from biofm.core.config import RunConfig
from biofm.core.errors import ConfigError
from biofm.training.sweep import read_space, sweep
from conftest import tiny_config


def test_sweep_writes_trials_and_the_best_config_and_resumes(tmp_path):
    space_file = tmp_path / "space.yaml"
    space_file.write_text(yaml.safe_dump({"train.learning_rate": {"low": 1e-4, "high": 3e-3, "log": True},
                                          "model.dropout": [0.0, 0.2]}))
    out = tmp_path / "sweep"
    summary = sweep(tiny_config(), read_space(space_file), out, trials=3)
    table = pd.read_csv(out / "trials.csv")
    assert len(table) == 3 and {"train.learning_rate", "model.dropout", "val_roc_auc"} <= set(table.columns)
    complete = table[table.state == "COMPLETE"]
    assert summary["best_value"] == pytest.approx(complete.val_roc_auc.max())
    best = RunConfig.from_file(out / "best_config.yaml")
    assert best.train.learning_rate == pytest.approx(summary["best_params"]["train.learning_rate"])
    assert (out / "trials" / "trial-0" / "metrics.json").exists()
    again = sweep(tiny_config(), read_space(space_file), out, trials=1)
    assert again["trials"] == 4 and json.loads((out / "sweep.json").read_text())["trials"] == 4


def test_bad_search_space_is_refused_before_any_trial(tmp_path):
    space_file = tmp_path / "space.yaml"
    space_file.write_text(yaml.safe_dump({"train.learning_rat": {"low": 1e-4, "high": 1e-3}}))
    with pytest.raises(ConfigError, match="learning_rat"):
        sweep(tiny_config(), read_space(space_file), tmp_path / "sweep", trials=1)
    space_file.write_text(yaml.safe_dump({"train.learning_rate": {"low": 1e-4}}))
    with pytest.raises(ConfigError, match="low, high"):
        read_space(space_file)


def test_a_trial_below_the_median_is_stopped_after_its_epoch():
    import optuna
    from transformers import TrainerState

    from biofm.training.sweep import PruneOnValidation

    study = optuna.create_study(direction="maximize", pruner=optuna.pruners.MedianPruner(n_startup_trials=1))
    for value in (0.9, 0.8):
        trial = study.ask()
        trial.report(value, step=1)
        study.tell(trial, value)
    hook = PruneOnValidation(study.ask(), "roc_auc")
    state = TrainerState()
    state.epoch = 1.0
    with pytest.raises(optuna.TrialPruned, match=r"0\.5000"):
        hook.on_evaluate(None, state, None, metrics={"eval_roc_auc": 0.5})
