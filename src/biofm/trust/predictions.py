"""predictions.csv: one row per input, with where it came from, what was known and what was predicted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.io import atomic_path
from biofm.core.tables import spreadsheet_safe
from biofm.data.records import Records
from biofm.data.tasks import Task
from biofm.modeling.domain import DomainCheck
from biofm.trust.calibration import prediction_sets, unbounded


def prediction_frame(task: Task, records: Records, outputs: np.ndarray, calibration: dict | None = None,
                     spread: np.ndarray | None = None, domain: DomainCheck | None = None,
                     top_k: int = 0, baseline: np.ndarray | None = None) -> pd.DataFrame:
    """Source row, extra columns (ids, names), the normalised input, true labels if any, outputs,
    and — once the run is calibrated — a conformal prediction set or interval per row; with
    ``top_k`` the k most probable classes as ``top1``, ``top1_prob``, … (a ranked differential)."""
    frame = pd.DataFrame({"row": records.rows})
    if records.extra is not None:
        frame = pd.concat([frame, records.extra.reset_index(drop=True)], axis=1)
    frame["input"] = records.inputs
    if records.labels is not None:
        for j, column in enumerate(task.columns):
            frame[column] = records.labels[:, j]
    columns = {}  # built apart and joined once: 200 classes inserted one by one fragment the frame
    for j, name in enumerate(task.output_names()):
        columns[name] = outputs[:, j]
        if spread is not None:
            columns[f"{name}_std"] = spread[:, j]
    if baseline is not None:  # the run's classical baseline beside the model, same layout
        columns.update({f"baseline_{name}": baseline[:, j] for j, name in enumerate(task.output_names())})
    frame = pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)
    if task.mode == "multiclass":
        frame["predicted"] = [task.classes[i] for i in outputs.argmax(axis=1)]
        _add_top_k(frame, task, outputs, top_k)
    if calibration:
        _add_conformal(frame, task, outputs, calibration)
    if domain is not None:
        frame["domain_similarity"] = domain.similarity
        frame["out_of_domain"] = domain.out_of_domain
    return frame


def _add_top_k(frame: pd.DataFrame, task: Task, outputs: np.ndarray, k: int) -> None:
    ranked = np.argsort(-outputs, axis=1, kind="stable")[:, : min(k, len(task.classes))]
    for rank in range(ranked.shape[1]):
        frame[f"top{rank + 1}"] = [task.classes[i] for i in ranked[:, rank]]
        frame[f"top{rank + 1}_prob"] = outputs[np.arange(len(outputs)), ranked[:, rank]]


def _add_conformal(frame: pd.DataFrame, task: Task, outputs: np.ndarray, calibration: dict) -> None:
    level = f"{round(calibration['coverage'] * 100):g}"
    if task.mode == "multiclass":
        sets = prediction_sets(outputs, calibration["qhat"])
        frame[f"set_{level}"] = ["|".join(str(task.classes[i]) for i in members) for members in sets]
    elif task.mode == "regression":
        for j, name in enumerate(task.output_names()):
            half = unbounded(calibration["qhat"][j])
            frame[f"{name}_lower_{level}"] = outputs[:, j] - half
            frame[f"{name}_upper_{level}"] = outputs[:, j] + half


def write_predictions(path: Path, task: Task, records: Records, outputs: np.ndarray,
                      calibration: dict | None = None, spread: np.ndarray | None = None,
                      domain: DomainCheck | None = None, top_k: int = 0,
                      baseline: np.ndarray | None = None) -> pd.DataFrame:
    """``prediction_frame`` written atomically as CSV; returns the frame."""
    frame = prediction_frame(task, records, outputs, calibration, spread, domain, top_k, baseline)
    with atomic_path(Path(path)) as tmp:
        spreadsheet_safe(frame).to_csv(tmp, index=False, float_format="%.6g")
    return frame
