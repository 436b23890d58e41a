"""Using a finished run: predict new inputs, evaluate on labelled data.  Needs only the run folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from transformers import AutoTokenizer, PreTrainedTokenizerBase

from biofm.config import RunConfig
from biofm.domain import nearest_similarity
from biofm.encoding import use_bf16
from biofm.errors import RunFolderError
from biofm.inference import predict_outputs, tokenizer_texts
from biofm.metrics import compute_metrics
from biofm.modalities import Modality, get_modality
from biofm.model import Predictor, load_predictor
from biofm.progress import console
from biofm.records import Records, read_records
from biofm.runs import check_run, read_json, read_run_config, write_json
from biofm.tasks import Task
from biofm.writing import write_predictions


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

    def outputs(self, inputs: list[str]) -> np.ndarray:
        """Probabilities (classification; temperature-scaled once calibrated) or values, one row per input."""
        outputs = predict_outputs(self.model, self.tokenizer, self.task, self.modality, self.config, inputs,
                                  bf16=use_bf16(self.config.train.precision))
        if self.calibration and self.calibration.get("temperature"):
            from biofm.calibration import with_temperature

            outputs = with_temperature(outputs, self.calibration["temperature"])
        return outputs

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
        )
        tokenizer_texts(self.modality, self.config.model.tokenizer, records)  # e.g. a sequence shorter than k
        return records


def load_run(run_dir: str | Path, engine: str = "torch") -> LoadedRun:
    """A finished run, predicting with PyTorch or (``engine`` onnx / onnx-int8) its exported graph."""
    run_dir = check_run(run_dir)
    config = read_run_config(run_dir)
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(run_dir / "tokenizer"))
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{run_dir}: cannot load tokenizer/ ({exc})") from None
    run = LoadedRun(run_dir, config, Task.from_json(read_json(run_dir / "labels.json")),
                    get_modality(config.modality), tokenizer, load_predictor(run_dir))
    from biofm.calibration import read_calibration

    run.calibration = read_calibration(run_dir)
    if engine != "torch":
        from biofm.export import engine_model

        run.model = engine_model(run, engine)
    return run


def predict(run_dir: str | Path, input_path: str | Path, output_path: str | Path,
            skip_invalid: bool = False, input_column: str | None = None, engine: str = "torch",
            mc_samples: int = 0, top_k: int = 0) -> pd.DataFrame:
    """Predict every input in ``input_path``; write a CSV with probabilities / values per row.

    Labels in the file, if any, are ignored.  Invalid inputs fail with file + row, or are
    skipped and counted with ``skip_invalid``.  ``mc_samples`` > 1 adds a ``*_std`` column per output
    (Monte-Carlo dropout); ``top_k`` adds the k most probable classes per row, ranked.
    """
    run = load_run(run_dir, engine)
    records = run.read(input_path, with_labels=False, skip_invalid=skip_invalid, input_column=input_column)
    spread = None
    if mc_samples > 1:
        outputs, spread = run.outputs_with_spread(records.inputs, mc_samples)
    else:
        outputs = run.outputs(records.inputs)
    frame = write_predictions(Path(output_path), run.task, records, outputs, run.calibration, spread,
                              nearest_similarity(run.modality, run.run_dir, records.inputs), top_k)
    if records.skipped:
        console.print(f"[yellow]warning:[/] skipped {len(records.skipped)} invalid row(s) of {input_path}: "
                      + "; ".join(f"row {s.row}: {s.reason}" for s in records.skipped[:5]))
    return frame


def evaluate(run_dir: str | Path, data_path: str | Path, skip_invalid: bool = False, engine: str = "torch") -> dict:
    """Metrics of a finished run on a labelled file; saved as ``evaluations/<file>.json`` in the run."""
    run = load_run(run_dir, engine)
    records = run.read(data_path, with_labels=True, skip_invalid=skip_invalid)
    metrics, notes = compute_metrics(run.task, run.task.encode(records), run.outputs(records.inputs))
    result = {"data": str(data_path), "n": len(records), "skipped_rows": len(records.skipped),
              "metrics": metrics, "warnings": notes}
    suffix = "" if engine == "torch" else f".{engine}"
    write_json(run.run_dir / "evaluations" / f"{Path(data_path).name}{suffix}.json", result)
    return result
