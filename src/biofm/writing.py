"""predictions.csv: one row per input, with where it came from, what was known and what was predicted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from biofm.records import Records
from biofm.runs import atomic_path
from biofm.tasks import Task


def prediction_frame(task: Task, records: Records, outputs: np.ndarray) -> pd.DataFrame:
    """Source row, extra columns (ids, names), the normalised input, true labels if any, outputs."""
    frame = pd.DataFrame({"row": records.rows})
    if records.extra is not None:
        frame = pd.concat([frame, records.extra.reset_index(drop=True)], axis=1)
    frame["input"] = records.inputs
    if records.labels is not None:
        for j, column in enumerate(task.columns):
            frame[column] = records.labels[:, j]
    for j, name in enumerate(task.output_names()):
        frame[name] = outputs[:, j]
    if task.mode == "multiclass":
        frame["predicted"] = [task.classes[i] for i in outputs.argmax(axis=1)]
    return frame


def write_predictions(path: Path, task: Task, records: Records, outputs: np.ndarray) -> pd.DataFrame:
    frame = prediction_frame(task, records, outputs)
    with atomic_path(Path(path)) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.6g")
    return frame
