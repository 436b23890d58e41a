"""``biofm sweep``: hyperparameter search with Optuna, judged on the validation split only.

Why Optuna: TPE sampling and median pruning are the field's standard, and its SQLite study makes a
killed sweep resumable.  Each trial is an ordinary run folder (``trials/trial-N``), pruned when its
validation metric after an epoch falls below the median of earlier trials at that epoch.  The
search space is a small YAML mapping of config keys:

    train.learning_rate: {low: 1.0e-5, high: 1.0e-3, log: true}
    train.head_learning_rate: {low: 1.0e-4, high: 1.0e-2, log: true}
    model.dropout: {low: 0.0, high: 0.3}
    train.batch_size: [16, 32, 64]           # a list: one of these values
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import optuna
import pandas as pd
from transformers import TrainerCallback

from biofm.core.config import RunConfig, apply_overrides
from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path, write_json, write_yaml
from biofm.core.yaml_safe import read_yaml
from biofm.data.datasets import resolve
from biofm.modalities import get_modality
from biofm.modeling.metrics import GREATER_IS_BETTER
from biofm.training.train import train

optuna.logging.set_verbosity(optuna.logging.WARNING)


def read_space(path: str | Path) -> dict[str, Any]:
    """The search space file, checked: every key must be a config key, every range well-formed."""
    space = read_yaml(path, "search space file")
    if not isinstance(space, dict) or not space:
        raise ConfigError(f"{path}: expected a mapping of config keys to ranges or choices")
    for key, spec in space.items():
        ok = (isinstance(spec, list) and spec) or (isinstance(spec, dict) and {"low", "high"} <= set(spec))
        if not ok:
            raise ConfigError(f"{path}: {key}: expected {{low, high[, log]}} or a list of choices, got {spec!r}")
    return space


def sweep(config: RunConfig, space: dict[str, Any], out: str | Path, trials: int = 20, seed: int = 0) -> dict:
    """Run ``trials`` trials (more if the study in ``out`` already has some) and write the results."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = resolve(config)
    primary = get_modality(cfg.modality).primary_metric(cfg.data.task)
    for key in space:  # a typo fails now, not in trial 7
        _trial_config(cfg, {key: _example(space[key])})
    study = optuna.create_study(
        study_name="biofm", storage=f"sqlite:///{(out / 'study.db').absolute()}", load_if_exists=True,
        direction="maximize" if GREATER_IS_BETTER.get(primary, True) else "minimize",
        sampler=optuna.samplers.TPESampler(seed=seed), pruner=optuna.pruners.MedianPruner(n_warmup_steps=1))
    study.optimize(lambda trial: _objective(trial, cfg, space, out, primary), n_trials=trials,
                   catch=(ConfigError,))
    return _write_results(study, cfg, out, primary)


def _objective(trial: optuna.Trial, cfg: RunConfig, space: dict[str, Any], out: Path, primary: str) -> float:
    values = {key: _suggest(trial, key, spec) for key, spec in space.items()}
    console.print(f"[bold]trial {trial.number}[/]: " + ", ".join(f"{k}={v}" for k, v in values.items()))
    result = train(_trial_config(cfg, values), out / "trials" / f"trial-{trial.number}", overwrite=True,
                   baseline=False, callbacks=[PruneOnValidation(trial, primary)])
    trial.set_user_attr("test", result.metrics["test"].get(primary))  # recorded, never used to choose
    return result.metrics["val"][primary]


def _suggest(trial: optuna.Trial, key: str, spec: Any) -> Any:
    if isinstance(spec, list):
        return trial.suggest_categorical(key, spec)
    low, high, log = spec["low"], spec["high"], bool(spec.get("log", False))
    if isinstance(low, int) and isinstance(high, int) and not isinstance(low, bool):
        return trial.suggest_int(key, low, high, log=log)
    return trial.suggest_float(key, float(low), float(high), log=log)


def _example(spec: Any) -> Any:
    return spec[0] if isinstance(spec, list) else spec["low"]


def _trial_config(cfg: RunConfig, values: dict[str, Any]) -> RunConfig:
    overrides = [f"{key}={json.dumps(value)}" for key, value in values.items()]  # JSON is valid YAML
    return RunConfig.from_dict(apply_overrides(cfg.to_dict(), overrides))


class PruneOnValidation(TrainerCallback):
    """Report each epoch's validation metric to Optuna; stop a trial the pruner gives up on."""

    def __init__(self, trial: optuna.Trial, primary: str):
        self.trial, self.primary = trial, primary

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        value = (metrics or {}).get(f"eval_{self.primary}")
        if value is None:
            return
        self.trial.report(value, step=round(state.epoch or 0))
        if self.trial.should_prune():
            raise optuna.TrialPruned(f"validation {self.primary} {value:.4f} after epoch {state.epoch:.0f}")


def _write_results(study: optuna.Study, cfg: RunConfig, out: Path, primary: str) -> dict:
    rows = [{"trial": t.number, "state": t.state.name, f"val_{primary}": t.value,
             f"test_{primary}": t.user_attrs.get("test"), **t.params,
             "seconds": (t.datetime_complete - t.datetime_start).total_seconds() if t.datetime_complete else None}
            for t in study.trials]
    with atomic_path(out / "trials.csv") as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False)
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if not complete:
        raise ConfigError(f"{out}: no trial completed (see trials.csv)")
    best = study.best_trial
    write_yaml(out / "best_config.yaml", _trial_config(cfg, best.params).to_dict())
    summary = {"metric": f"val {primary}", "best_trial": best.number, "best_value": best.value,
               "best_params": best.params, "trials": len(study.trials), "complete": len(complete),
               "pruned": sum(t.state == optuna.trial.TrialState.PRUNED for t in study.trials)}
    write_json(out / "sweep.json", summary)
    return summary
