"""``FineTuner``: the scikit-learn estimator shape researchers already know, for notebooks.

Why thin: ``fit`` writes the DataFrame as a data file and calls the same ``infer_config`` and ``train``
as ``biofm train FILE --label COL``; ``predict`` and ``evaluate`` call the same functions as the CLI.
So a notebook run is an ordinary run folder, and a fit in a notebook predicts exactly what the CLI
trained with the same settings and seed predicts — there is no second code path to drift.

    tuner = FineTuner(modality="molecule", epochs=10).fit(train_df, input="smiles", label="active")
    tuner.predict_proba(new_df); tuner.evaluate(test_df); tuner.save("runs/assay")
    FineTuner.load("runs/assay").predict(new_df)
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from sklearn.base import BaseEstimator

from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path
from biofm.data.autoconfig import infer_config
from biofm.modeling.loaded_run import LoadedRun, load_run
from biofm.training.train import train
from biofm.use.predict import evaluate, predict


class FineTuner(BaseEstimator):
    """Fine-tune a foundation model on a DataFrame; predict DataFrames.  Public API.

    Parameters left ``None`` take what ``biofm train FILE --label COL`` infers (the modality's shipped
    checkpoint and validated settings).  ``settings`` adds any config key (``{"train.patience": 3}``).
    ``workdir``: where ``fit`` writes its training table and run folder (None: a new temporary folder).
    As scikit-learn asks, ``__init__`` only stores the parameters; what ``fit`` learns ends in ``_``.
    """

    def __init__(self, modality: str | None = None, pretrained: str | None = None, task: str | None = None,
                 epochs: int | None = None, learning_rate: float | None = None, batch_size: int | None = None,
                 ensemble: int | None = None, seed: int = 0, baseline: bool = True,
                 settings: dict | None = None, workdir: str | None = None):
        self.modality = modality
        self.pretrained = pretrained
        self.task = task
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.ensemble = ensemble
        self.seed = seed
        self.baseline = baseline
        self.settings = settings
        self.workdir = workdir

    def overrides(self) -> list[str]:
        """The parameters as ``--set`` overrides of the inferred config (what the CLI equivalent would pass)."""
        named = {"model.pretrained": self.pretrained, "train.epochs": self.epochs,
                 "train.learning_rate": self.learning_rate, "train.batch_size": self.batch_size,
                 "train.ensemble": self.ensemble, "train.seed": self.seed}
        named |= dict(self.settings or {})
        return [f"{key}={_yaml_value(value)}" for key, value in named.items() if value is not None]

    def fit(self, X: pd.DataFrame, y: pd.Series | None = None, input: str | None = None,
            label: str | list[str] | None = None) -> FineTuner:
        """Train on ``X`` (labels in ``label`` column(s), or given as ``y``); returns ``self``."""
        frame, labels = _labelled(X, y, label)
        folder = Path(self.workdir) if self.workdir else Path(tempfile.mkdtemp(prefix="biofm-"))
        folder.mkdir(parents=True, exist_ok=True)
        data = _written(frame, folder / "train.csv")  # kept: config.yaml names it, so the run can be rerun
        self.inferred_ = infer_config(data, labels, input, self.task, self.modality, self.overrides())
        self.run_dir_ = train(self.inferred_.config, folder / "run", overwrite=True, baseline=self.baseline).run_dir
        return self._loaded()

    def predict(self, X: pd.DataFrame) -> pd.Series | pd.DataFrame:
        """The predicted class per row (classification), or the predicted value(s) (regression)."""
        outputs = self._outputs(X)
        if self.task_.mode == "multiclass":
            probabilities = outputs[self.task_.output_names()].to_numpy()
            return pd.Series([self.task_.classes[i] for i in probabilities.argmax(axis=1)], index=X.index,
                             name=self.task_.columns[0])
        columns = self.task_.output_names()
        values = outputs[columns].set_axis(X.index)
        return values[columns[0]].rename(self.task_.columns[0]) if len(columns) == 1 else values

    def predict_proba(self, X: pd.DataFrame) -> pd.DataFrame:
        """Class (or per-task) probabilities, one column per class, named as in predictions.csv."""
        if self.task_.kind != "classification":
            raise ConfigError("predict_proba: this model predicts numbers (regression); use predict")
        return self._outputs(X)[self.task_.output_names()].set_axis(X.index)

    def evaluate(self, X: pd.DataFrame, y: pd.Series | None = None) -> dict:
        """The run's metrics on labelled ``X`` beside its classical baseline, with the bootstrap verdict."""
        frame, _ = _labelled(X, y, self.task_.columns if y is None else None)
        with tempfile.TemporaryDirectory(prefix="biofm-") as folder:
            return evaluate(self.run_dir_, _written(frame, Path(folder) / "evaluate.csv"))

    def save(self, path: str | Path) -> Path:
        """Copy the run folder to ``path`` (an ordinary run folder: the CLI, serve and export read it)."""
        path = Path(path)
        if path.exists():
            raise ConfigError(f"save: {path} exists; choose a new folder")
        shutil.copytree(self.run_dir_, path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> FineTuner:
        """A fitted FineTuner over a finished run folder (trained by ``fit``, the CLI or ``biofm.train``)."""
        run = load_run(path)  # checks the folder is a complete run, as predict will
        config = run.config
        tuner = cls(modality=config.modality, pretrained=config.model.pretrained, task=config.data.task,
                    epochs=config.train.epochs, learning_rate=config.train.learning_rate,
                    batch_size=config.train.batch_size, ensemble=config.train.ensemble, seed=config.train.seed)
        tuner.run_dir_ = Path(path)
        return tuner._loaded(run)

    def _loaded(self, run: LoadedRun | None = None) -> FineTuner:
        run = run or load_run(self.run_dir_)
        self.config_, self.task_ = run.config, run.task
        return self

    def _outputs(self, X: pd.DataFrame) -> pd.DataFrame:
        with tempfile.TemporaryDirectory(prefix="biofm-") as folder:
            path = _written(X, Path(folder) / "inputs.csv")
            return predict(self.run_dir_, path, Path(folder) / "predictions.csv",
                           input_column=self.config_.data.input_column)


def _labelled(X: pd.DataFrame, y: pd.Series | None, label: str | list[str] | None) -> tuple[pd.DataFrame, list[str]]:
    if not isinstance(X, pd.DataFrame):
        raise ConfigError(f"expected a pandas DataFrame with an input column, got {type(X).__name__}")
    if y is not None:
        name = label if isinstance(label, str) else (getattr(y, "name", None) or "label")
        return X.assign(**{name: list(y)}), [name]
    if label is None:
        raise ConfigError("fit: name the label column (label='active') or pass the labels as y")
    return X, [label] if isinstance(label, str) else list(label)


def _written(frame: pd.DataFrame, path: Path) -> Path:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)
    return path


def _yaml_value(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()
