"""A finished run folder in memory: config, task, modality, tokenizer and model, ready to predict.

Why its own module: nearly every command after training (predict, evaluate, calibrate, explain,
export, serve, suggest, bench) starts from a ``LoadedRun``; keeping it below all of them means none
of them imports another command to get one.  A calibrated run (``calibration.json``) applies its
temperature here, so every caller gets the same, honest probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from transformers import AutoTokenizer, PreTrainedTokenizerBase

from biofm.core import layout
from biofm.core.config import RunConfig
from biofm.core.errors import RunFolderError, one_line
from biofm.core.io import read_json
from biofm.core.runfolder import check_run, read_run_config
from biofm.data.records import Records, read_records
from biofm.data.tasks import Task
from biofm.modalities import Modality, get_modality
from biofm.modeling.checkpoint import load_predictor
from biofm.modeling.domain import DomainIndex, load_domain
from biofm.modeling.encoding import count_truncated, use_bf16
from biofm.modeling.engines import engine_model
from biofm.modeling.ensemble import members
from biofm.modeling.features import ExtraFeatures, load_features
from biofm.modeling.inference import predict_outputs, tokenizer_texts
from biofm.modeling.model import Predictor

CALIBRATION_FILE = layout.CALIBRATION


@dataclass
class LoadedRun:
    """Everything a finished run folder holds that prediction needs."""

    run_dir: Path
    config: RunConfig
    task: Task
    modality: Modality
    tokenizer: PreTrainedTokenizerBase
    model: Predictor
    calibration: dict | None = None  # calibration.json: temperature, conformal thresholds (biofm calibrate)
    domain: DomainIndex | None = None  # the training set's domain features (domain.npz), held once
    features: ExtraFeatures | None = None  # model.extra_features on the training set's scale (features.json)

    def outputs(self, inputs: list[str]) -> np.ndarray:
        """Probabilities (classification; temperature-scaled once calibrated) or values, one row per input."""
        outputs = predict_outputs(self.model, self.tokenizer, self.task, self.modality, self.config, inputs,
                                  bf16=use_bf16(self.config.train.precision), features=self.features)
        if self.calibration and self.calibration.get("temperature"):
            outputs = with_temperature(outputs, self.calibration["temperature"])
        return outputs

    def outputs_with_members(self, inputs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """An ensemble's outputs (the members' mean, as ``outputs`` gives it) and the standard deviation of the
        members' own outputs: where they disagree, the prediction is unsure."""
        features = self.features.remembering() if self.features is not None else None  # described once
        draws = np.stack([predict_outputs(member, self.tokenizer, self.task, self.modality, self.config, inputs,
                                          bf16=use_bf16(self.config.train.precision), features=features)
                          for member in members(self.model)])
        mean = draws.mean(axis=0)
        if self.calibration and self.calibration.get("temperature"):
            mean = with_temperature(mean, self.calibration["temperature"])
        return mean, draws.std(axis=0)

    def outputs_with_spread(self, inputs: list[str], samples: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Monte-Carlo dropout: mean and standard deviation over ``samples`` passes with dropout on.

        A cheap stand-in for an ensemble: a large spread marks inputs the model is unsure about.
        """
        import torch

        if not hasattr(self.model, "train"):
            raise RunFolderError("--mc-samples needs the PyTorch engine (an ONNX graph has no dropout)")
        torch.manual_seed(seed)
        self.model.train()  # dropout on; no gradients are taken, so nothing else changes
        try:
            draws = np.stack([self.outputs(inputs) for _ in range(samples)])
        finally:
            self.model.eval()
        return draws.mean(axis=0), draws.std(axis=0)

    def truncated(self, inputs: list[str]) -> int:
        """How many inputs are longer than the model reads (cut, unless ``data.window`` predicts them in pieces)."""
        if self.config.data.window:
            return 0
        texts = [self.modality.tokenizer_text(x, self.config.model.tokenizer) for x in inputs]
        return count_truncated(texts, self.tokenizer, self.config.model.max_length)

    def read(self, path: str | Path, with_labels: bool, skip_invalid: bool = False,
             input_column: str | None = None) -> Records:
        """Read a file with the run's columns and the same validation as in training."""
        data = self.config.data
        records = read_records(
            self.modality,
            path,
            input_column=input_column or data.input_column,
            label_columns=data.label_columns if with_labels else [],
            task_kind=data.task,
            skip_invalid=skip_invalid,
            keep_columns=data.keep_columns,
        )
        tokenizer_texts(self.modality, self.config.model.tokenizer, records)  # e.g. a sequence shorter than k
        return records


def load_run(run_dir: str | Path, engine: str = "torch", views: bool | None = None) -> LoadedRun:
    """A finished run, predicting with PyTorch or (``engine`` onnx / onnx-int8) its exported graph.

    ``views``: average each input's views (True) or predict it as given (False) whatever the run's
    ``data.tta`` says — one view is several times faster for a large screen; None keeps the run's choice."""
    run_dir = check_run(run_dir)
    config = read_run_config(run_dir)
    if views is not None:
        config.data.tta = views
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(run_dir / layout.TOKENIZER))
    except Exception as exc:  # tokenizers raises its own exception types for a damaged tokenizer.json
        raise RunFolderError(f"{run_dir}: cannot load {layout.TOKENIZER}/ ({one_line(exc)})") from None
    task = read_task(run_dir)
    model = load_predictor(run_dir)
    if model.mode != task.mode or model.head[-1].out_features != task.n_outputs:
        raise RunFolderError(f"{run_dir}: {layout.HEAD} has {model.head[-1].out_features} {model.mode} outputs but "
                             f"{layout.LABELS} describes {task.n_outputs} {task.mode} ones; were the files edited "
                             "or copied from another run?")
    if config.model.max_length > (getattr(model.encoder.config, "max_position_embeddings", None) or 10**9):
        raise RunFolderError(f"{run_dir}: model.max_length {config.model.max_length} in {layout.CONFIG} is beyond "
                             "the encoder's position table; was the config edited?")
    run = LoadedRun(run_dir, config, task, get_modality(config.modality), tokenizer, model)
    run.calibration = read_calibration(run_dir)
    run.domain = load_domain(run_dir)  # a damaged domain.npz fails here, for every command alike
    run.features = load_features(run_dir, run.modality, model.n_extra)
    if engine != "torch":
        run.model = engine_model(run_dir, run.model, engine)
    return run


def read_task(run_dir: Path) -> Task:
    """The run's ``labels.json``, checked: an edited one is refused with what is wrong in it."""
    try:
        return Task.from_json(read_json(run_dir / layout.LABELS))
    except ValueError as exc:
        raise RunFolderError(f"{run_dir / layout.LABELS}: not a biofm task ({exc}); was it edited?") from None


def with_temperature(probs: np.ndarray, t: float) -> np.ndarray:
    """softmax(log p / T): for one view that is softmax(logits / T) exactly."""
    logits = np.log(np.clip(probs, 1e-12, 1.0)) / t
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def read_calibration(run_dir: Path) -> dict | None:
    """The run's ``calibration.json`` (None before ``biofm calibrate``); a foreign file is refused."""
    path = Path(run_dir) / CALIBRATION_FILE
    if not path.is_file():
        return None
    data = read_json(path)
    if not isinstance(data, dict) or "qhat" not in data:
        raise RunFolderError(f"{path}: not a biofm calibration file; re-run `biofm calibrate`")
    return data
