"""What is predicted: the label columns, their classes or scale, and how outputs are read.

Three shapes cover the field:

- ``multiclass``: one label column with K classes (B3DB: permeable or not) → softmax over K;
- ``multilabel``: several binary columns with gaps (Tox21) → one sigmoid each, gaps masked;
- ``regression``: one or more numeric columns (solubility) → standardised targets, gaps masked.

The model only sees encoded targets and the ``mode``; this class turns labels into targets and
raw outputs back into probabilities or values, and persists itself as ``labels.json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from biofm.core.errors import DataError
from biofm.data.records import Records


@dataclass
class Task:
    """What is predicted: classification (classes in a fixed, sorted order) or regression (targets and
    their scaling), fitted on the training part only and saved as ``labels.json``."""

    kind: str  # "classification" | "regression"
    columns: list[str]
    classes: list[str] | None = None  # single-column classification, sorted
    mean: list[float] | None = None  # regression target scaling, from training data only
    std: list[float] | None = None

    @property
    def mode(self) -> str:
        if self.kind == "regression":
            return "regression"
        return "multiclass" if len(self.columns) == 1 else "multilabel"

    @property
    def summary(self) -> str:
        """What a person would call this task ("binary classification", "3-class classification",
        "multi-label classification (12 columns)", "regression"); ``mode`` is the head's shape, which is softmax for two
        classes too, so it reads "multiclass" for a yes/no task."""
        if self.mode == "regression":
            return "regression" if len(self.columns) == 1 else f"regression ({len(self.columns)} targets)"
        if self.mode == "multilabel":
            return f"multi-label classification ({len(self.columns)} columns)"
        k = len(self.classes or [])
        return "binary classification" if k == 2 else f"{k}-class classification"

    @property
    def n_outputs(self) -> int:
        return len(self.classes) if self.mode == "multiclass" else len(self.columns)

    @classmethod
    def fit(cls, kind: str, columns: list[str], train: Records) -> Task:
        """Learn classes or scaling from the training records alone."""
        labels = train.labels
        if kind == "regression":
            mean = np.nanmean(labels, axis=0)
            std = np.nanstd(labels, axis=0)
            std[~(std > 0)] = 1.0  # a constant column: scale 1 rather than divide by zero
            return cls(kind, columns, mean=mean.tolist(), std=std.tolist())
        if len(columns) == 1:
            classes = sorted({str(v) for v in labels[:, 0]})
            if len(classes) < 2:
                raise DataError(train.source,
                                f"label column {columns[0]!r} has only one class ({classes[0]!r}) in the training data")
            return cls(kind, columns, classes=classes)
        for j, column in enumerate(columns):
            _check_binary(train, j, column)
        return cls(kind, columns)

    def encode(self, records: Records) -> np.ndarray:
        """Targets for the loss: class ids, 0/1 with NaN gaps, or standardised values."""
        labels = records.labels
        if labels is None:
            raise DataError(records.source, f"no label column(s) {', '.join(self.columns)} to evaluate against")
        if self.mode == "regression":
            return ((labels.astype(float) - self.mean) / self.std).astype(np.float32)
        if self.mode == "multilabel":
            for j, column in enumerate(self.columns):
                _check_binary(records, j, column)
            return np.array([[np.nan if v is None else float(v) for v in row] for row in labels], dtype=np.float32)
        index = {c: i for i, c in enumerate(self.classes)}
        for value, row in zip(labels[:, 0], records.rows, strict=True):
            if value not in index:
                raise DataError(
                    records.source,
                    f"label {value!r} was not seen in training (known: {', '.join(self.classes)})",
                    row=row,
                )
        return np.array([index[v] for v in labels[:, 0]], dtype=np.int64)

    def decode(self, logits: np.ndarray) -> np.ndarray:
        """Raw model outputs → class probabilities (n, K), task probabilities (n, T) or values (n, T)."""
        logits = np.asarray(logits, dtype=np.float64)
        if self.mode == "multiclass":
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            return shifted / shifted.sum(axis=1, keepdims=True)
        if self.mode == "multilabel":
            return 1.0 / (1.0 + np.exp(-logits))
        return logits * np.asarray(self.std) + np.asarray(self.mean)

    def output_names(self) -> list[str]:
        """Column names for predictions.csv, one per output."""
        if self.mode == "multiclass":
            return [f"prob_{c}" for c in self.classes]
        if self.mode == "multilabel":
            return [f"prob_{c}" for c in self.columns]
        return [f"pred_{c}" for c in self.columns]

    def to_json(self) -> dict:
        return {**asdict(self), "mode": self.mode}

    @classmethod
    def from_json(cls, data: dict) -> Task:
        """The task ``to_json`` wrote; an edited or foreign ``labels.json`` raises ``ValueError`` saying why."""
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        task = cls(**{k: data.get(k) for k in ("kind", "columns", "classes", "mean", "std")})
        if task.kind not in ("classification", "regression"):
            raise ValueError(f"kind {task.kind!r} is neither 'classification' nor 'regression'")
        if not isinstance(task.columns, list) or not task.columns or not all(isinstance(c, str) for c in task.columns):
            raise ValueError("columns: expected a list of label column names")
        if task.mode == "multiclass" and not (isinstance(task.classes, list) and len(task.classes) >= 2):
            raise ValueError("classes: expected the list of at least two class names")
        if task.kind == "regression":
            for name in ("mean", "std"):
                values = getattr(task, name)
                if not (isinstance(values, list) and len(values) == len(task.columns)
                        and all(isinstance(v, int | float) and np.isfinite(v) for v in values)):
                    raise ValueError(f"{name}: expected one finite number per label column")
        return task


def _check_binary(records: Records, j: int, column: str) -> None:
    for value, row in zip(records.labels[:, j], records.rows, strict=True):
        if value is not None and value not in ("0", "1"):
            raise DataError(
                records.source,
                f"multi-task label {column!r} must be 0, 1 or empty, got {value!r}",
                row=row,
            )
