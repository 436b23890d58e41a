"""Validated records: what every modality's reader produces and everything downstream consumes.

Why a single loop here rather than one per modality: the rules (name the file and row, skip only
when asked, count what was skipped, check labels) are the same for molecules, DNA and text; a
modality only says how to read its files and how to normalise one input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.errors import DataError
from biofm.core.tables import require_columns
from biofm.modalities.base import InvalidInput, Modality

HEADER_ROWS = 1  # row numbers in messages count the header as row 1, as a spreadsheet does
MAX_INPUT_CHARS = 100_000  # far beyond any molecule, window or note; guards parsers against runaway input


@dataclass
class Skipped:
    """A row left out with ``skip_invalid``: where it was and why."""

    row: int
    reason: str


@dataclass
class Records:
    """Validated inputs (normalised) with their labels and where each came from.

    ``labels`` is ``(n, n_columns)``: text for classification, float for regression; missing cells
    are ``None`` / ``nan`` (only allowed where several label columns are given, as in Tox21).
    """

    source: str
    inputs: list[str]
    rows: list[int]  # table rows (header = 1) or FASTA record numbers, as in error messages
    labels: np.ndarray | None = None
    extra: pd.DataFrame | None = None  # other columns (ids, names), carried to predictions.csv
    skipped: list[Skipped] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)  # other columns the modality would not carry (PHI)

    def __len__(self) -> int:
        return len(self.inputs)

    def subset(self, index: np.ndarray) -> Records:
        return Records(
            source=self.source,
            inputs=[self.inputs[i] for i in index],
            rows=[self.rows[i] for i in index],
            labels=None if self.labels is None else self.labels[index],
            extra=None if self.extra is None else self.extra.iloc[index].reset_index(drop=True),
        )


def read_records(modality: Modality, path: str | Path, input_column: str, label_columns: list[str] | None = None,
                 task_kind: str | None = None, skip_invalid: bool = False,
                 keep_columns: list[str] | None = None) -> Records:
    """Read and validate a data file; every problem names the file and row.

    With ``skip_invalid`` a bad row is skipped and listed in ``Records.skipped`` instead of
    raising; the caller reports the count.  ``keep_columns``: other columns to carry even where the
    modality drops them (clinical text carries none by default: they may hold PHI).
    """
    frame = modality.read_table(Path(path)).reset_index(drop=True)  # index = position in the file
    records = records_from_frame(modality, frame, path, input_column, label_columns, task_kind, skip_invalid,
                                 keep_columns)
    if not records.inputs:
        raise DataError(path, f"no usable rows ({len(records.skipped)} skipped as invalid)")
    return records


def records_from_frame(
    modality: Modality,
    frame: pd.DataFrame,
    path: str | Path,
    input_column: str,
    label_columns: list[str] | None = None,
    task_kind: str | None = None,
    skip_invalid: bool = False,
    keep_columns: list[str] | None = None,
) -> Records:
    """Validate the rows of ``frame``, read from ``path``: ``read_records`` for a whole file, a streamed
    screen for one chunk of it.  ``frame``'s index is each row's 0-based position in the file, so row numbers
    in messages stay the file's.  May return no inputs (every row skipped); the caller decides."""
    label_columns = label_columns or []
    require_columns(frame, [input_column, *label_columns], path)
    unit = modality.record_unit(Path(path))  # FASTA files count records, tables count rows (header = row 1)
    offset = 1 + (HEADER_ROWS if unit == "row" else 0)
    inputs, rows, labels, kept, skipped = [], [], [], [], []
    for position, (in_file, raw_input, *raw_labels) in enumerate(
        zip(frame.index, frame[input_column], *(frame[c] for c in label_columns), strict=True)
    ):
        row = int(in_file) + offset
        try:
            item = _parse_input(modality, raw_input, input_column)
            label = _parse_labels(raw_labels, label_columns, task_kind) if label_columns else None
        except InvalidInput as exc:
            if not skip_invalid:
                hint = " (or set data.skip_invalid: true to skip such rows)"
                raise DataError(path, f"{exc}{hint}", row=row, unit=unit) from None
            skipped.append(Skipped(row, str(exc)))
            continue
        inputs.append(item)
        labels.append(label)
        rows.append(row)
        kept.append(position)
    other = [c for c in frame.columns if c not in (input_column, *label_columns)]
    extra = modality.protect_columns(frame.iloc[kept][other].reset_index(drop=True), keep_columns or [])
    return Records(
        source=str(path),
        inputs=inputs,
        rows=rows,
        labels=np.array(labels, dtype=float if task_kind == "regression" else object) if label_columns else None,
        extra=extra,
        skipped=skipped,
        dropped_columns=[c for c in other if c not in extra.columns],
    )


def _parse_input(modality: Modality, raw: object, column: str) -> str:
    if _is_missing(raw) or not str(raw).strip():
        raise InvalidInput(f"empty value in column {column!r}")
    text = str(raw).strip()
    if len(text) > MAX_INPUT_CHARS:
        raise InvalidInput(f"value in column {column!r} is {len(text):,} characters long (limit {MAX_INPUT_CHARS:,})")
    return modality.normalise(text)


MAX_TARGET = 1e100  # beyond this, scaling a regression target (mean, standard deviation) overflows


def _parse_labels(raw: list[object], columns: list[str], kind: str | None) -> list:
    parsed = [_parse_label(value, column, kind) for value, column in zip(raw, columns, strict=True)]
    if all(_is_missing(v) for v in parsed):
        what = "label" if len(columns) == 1 else "all labels"
        raise InvalidInput(f"{what} missing ({', '.join(columns)})")
    return parsed


def _parse_label(value: object, column: str, kind: str | None) -> object:
    if _is_missing(value) or not str(value).strip():
        return math.nan if kind == "regression" else None
    text = str(value).strip()
    if kind == "regression":
        try:
            number = float(text)
        except ValueError:
            raise InvalidInput(f"label {column!r} is not a number: {text!r}") from None
        if not math.isfinite(number):
            raise InvalidInput(f"label {column!r} is not finite: {text!r}")
        if abs(number) > MAX_TARGET:
            raise InvalidInput(f"label {column!r} is {number:g}, too large to learn from (|value| > {MAX_TARGET:g}); "
                               "rescale the column, e.g. to log10")
        return number
    return _canonical_class(text)


def _canonical_class(text: str) -> str:
    """``1``, ``1.0`` and `` 1 `` are the same class; other text is kept as written."""
    try:
        number = float(text)
    except ValueError:
        return text
    if math.isnan(number):
        raise InvalidInput(f"label is not a class name: {text!r}")
    return str(int(number)) if number.is_integer() else text


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))
