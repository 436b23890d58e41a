"""A run config from a data file and a label column: what ``biofm train FILE --label COL`` infers.

Why: a researcher's first five minutes decide whether they stay, and writing a YAML file before the
first run loses many of them.  Each guess below is one the user could make by looking at the file
(which column holds SMILES, whether the label is a class or a number); every guess is stated in one
summary line and in ``config.yaml``, so the run is reproducible with ``--config``; where a guess would
be a coin toss, the error names the flag that settles it.  Nothing here asks which modality it has:
each modality says what it recognises and where a new dataset of its kind starts (``starter``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from biofm.core.config import DataConfig, RunConfig
from biofm.core.errors import ConfigError, DataError
from biofm.core.io import shown_path
from biofm.core.tables import base_suffix, check_readable, read_table, require_columns
from biofm.core.yaml_safe import apply_overrides
from biofm.data.splits import GROUP_SPLITS, split_indices
from biofm.modalities import InvalidInput, Modality, get_modality, modality_names

SAMPLE_ROWS = 500  # cells per column looked at: enough to see what a column is, fast on any file
RECOGNISED = 0.95  # share of a column's sampled cells a modality must recognise (a few bad rows are normal)
LONGER = 3.0  # among columns of one kind, one whose median length is this many times any other's is the input
GROUP_CHECK_ROWS = 20_000  # rows whose groups are shared out to check a group split is possible
MIN_REGRESSION_VALUES = 10  # a numeric label with fewer distinct values may be classes
MAX_INTEGER_CLASSES = 20  # whole numbers with at most this many distinct values may still be classes


@dataclass
class Inferred:
    """The config inferred for a file, and why each guessed key has its value (for the summary line)."""

    config: RunConfig
    notes: dict[str, str] = field(default_factory=dict)  # config key → what was inferred and from what

    def summary(self) -> str:
        """One line a user reads before training starts."""
        return f"inferred from {Path(self.config.data.train).name}: " + " · ".join(self.notes.values())


def infer_config(path: str | Path, labels: list[str], input_column: str | None = None, task: str | None = None,
                 modality: str | None = None, overrides: list[str] | None = None) -> Inferred:
    """The run config for training on ``path`` to predict ``labels``; explicit arguments win over guesses.

    ``overrides`` are ``key.path=value`` settings applied last (as ``--set`` does with ``--config``).
    """
    if not labels:
        raise ConfigError("--label: name the column(s) to predict, e.g. --label active")
    if task not in (None, "classification", "regression"):
        raise ConfigError(f"--task: expected classification or regression, got {task!r}")
    path = check_readable(path)
    frame, owner = _read(path, modality)
    require_columns(frame, list(labels) + ([input_column] if input_column else []), path)
    chosen = get_modality(modality) if modality else owner
    column, chosen, why = _input_column(frame, path, labels, input_column, chosen)
    kind, task_note = _task(frame, path, labels, task)
    split, split_note = _split(frame, column, chosen, kind)
    starter = chosen.starter(kind)
    if "pretrained" in apply_overrides({}, overrides or []).get("model", {}):
        # another encoder than the starter's: the starter's tokenizer belongs to its encoder (a checkpoint brings
        # its own, or biofm.json names it), so it is left to the checkpoint
        starter.get("model", {}).pop("tokenizer", None)
    raw = _merge(starter, {
        "modality": chosen.name,
        "data": {"train": str(path), "input_column": column, "label_columns": list(labels), "task": kind,
                 "split": split, "skip_invalid": True},
    })
    try:
        config = RunConfig.from_dict(apply_overrides(raw, overrides or []))
    except ConfigError as exc:
        raise ConfigError(f"--set: {exc}" if overrides else str(exc)) from None
    pretrained = config.model.pretrained
    model = shown_path(pretrained) if pretrained else f"{config.model.preset} encoder from scratch"
    extras = f" + {', '.join(config.model.extra_features)} features" if config.model.extra_features else ""
    notes = {"data.input_column": f"{chosen.name} inputs in {column!r} ({why})", "data.task": task_note,
             "data.split": split_note,
             "model.pretrained" if config.model.pretrained else "model.preset": f"model {model}{extras}",
             "data.skip_invalid": "invalid rows skipped and counted"}
    return Inferred(config, notes)


def _read(path: Path, modality: str | None) -> tuple[pd.DataFrame, Modality | None]:
    """The file as a table; a format only one modality reads (FASTA, SDF) settles the modality too."""
    suffix = base_suffix(path)
    owners = [get_modality(n) for n in modality_names() if suffix in get_modality(n).file_formats]
    if not owners:
        return read_table(path), None
    owner = owners[0]
    if modality not in (None, owner.name):
        raise ConfigError(f"--modality {modality}: {path.name} is a {suffix} file, which the {owner.name} "
                          "modality reads; convert it to CSV to use it otherwise")
    return owner.read_table(path), owner


def _input_column(frame: pd.DataFrame, path: Path, labels: list[str], given: str | None,
                  modality: Modality | None) -> tuple[str, Modality, str]:
    """The column holding the inputs, its modality, and why (for the summary)."""
    if given is not None:
        found = modality or _recognised_by(_cells(frame[given]))[0]
        if found is None:
            raise DataError(path, f"--input {given!r}: its values are neither SMILES, DNA nor text; "
                                  "set --modality", row=1)
        return given, found, "as given"
    recognised = {c: _recognised_by(_cells(frame[c]), modality) for c in frame.columns if c not in labels}
    kinds = {c: m for c, (m, _) in recognised.items() if m is not None}
    if not kinds:
        what = f"{modality.name} inputs" if modality else "inputs (SMILES, DNA or text)"
        raise DataError(path, f"no column besides the label looks like {what}; set --input COLUMN", row=1)
    best = min(m.recognition_rank for m in kinds.values())
    tied = [c for c, m in kinds.items() if m.recognition_rank == best]
    found = kinds[tied[0]]
    if len(tied) == 1:
        return tied[0], found, recognised[tied[0]][1]
    if found.input_column in tied:
        return found.input_column, found, f"the {found.name} default column name"
    lengths = {c: frame[c].dropna().astype(str).str.len().median() for c in tied}
    longest = max(tied, key=lengths.get)
    if all(lengths[longest] >= LONGER * lengths[c] for c in tied if c != longest):
        return longest, found, f"the longest of the {found.name} columns {', '.join(tied)}"
    raise DataError(path, f"several columns look like {found.name} inputs ({', '.join(tied)}); "
                          "set --input to the one to learn from", row=1)


def _cells(column: pd.Series) -> list[str]:
    return [str(v) for v in column.dropna().head(SAMPLE_ROWS) if str(v).strip()]


def _recognised_by(cells: list[str], only: Modality | None = None) -> tuple[Modality | None, str]:
    """The most particular modality recognising nearly every cell (``only``: that one or none), and how many
    it recognised (for the summary)."""
    candidates = [only] if only else sorted(map(get_modality, modality_names()), key=lambda m: m.recognition_rank)
    for modality in candidates if cells else []:
        recognised = sum(map(modality.recognises, cells))
        if recognised >= RECOGNISED * len(cells):
            return modality, f"{recognised} of {len(cells)} sampled cells recognised"
    return None, ""


def _task(frame: pd.DataFrame, path: Path, labels: list[str], given: str | None) -> tuple[str, str]:
    """Classification or regression, and a note saying what the label looks like."""
    kinds, notes = [], []
    for label in labels:
        values = [str(v).strip() for v in frame[label].dropna() if str(v).strip()]
        if not values:
            raise DataError(path, f"label column {label!r} is empty")
        kind, note = _label_kind(values, label, path, given)
        kinds.append(kind)
        notes.append(note)
    if len(set(kinds)) > 1:
        raise DataError(path, f"label columns {', '.join(labels)} mix classes and numbers; set --task", row=1)
    return kinds[0], "; ".join(notes)


def _label_kind(values: list[str], label: str, path: Path, given: str | None) -> tuple[str, str]:
    numbers = _numbers(values)
    distinct = sorted(set(values)) if numbers is None else sorted(set(numbers))
    if given == "regression" and numbers is None:
        raise DataError(path, f"--task regression: label {label!r} holds text, not numbers", row=1)
    if given is None and numbers is not None and not len(distinct) <= 2:
        whole = all(float(x).is_integer() for x in distinct)
        if len(distinct) < MIN_REGRESSION_VALUES or (whole and len(distinct) <= MAX_INTEGER_CLASSES):
            raise DataError(path, f"label {label!r} has {len(distinct)} distinct numeric values "
                                  f"({', '.join(f'{x:g}' for x in distinct[:6])}{' …' if len(distinct) > 6 else ''}): "
                                  "classes or a quantity? set --task classification or --task regression", row=1)
        given = "regression"
    kind = given or "classification"
    if kind == "regression":
        return kind, f"regression of {label!r} ({len(distinct)} distinct values, {min(numbers):g} to {max(numbers):g})"
    shown = [f"{x:g}" if numbers is not None else x for x in distinct]
    classes = ", ".join(shown[:5]) + (" …" if len(shown) > 5 else "")
    return kind, f"classification of {label!r} ({len(distinct)} classes: {classes})"


def _numbers(values: list[str]) -> list[float] | None:
    """Every value as a finite number, or None where any is not one."""
    try:
        numbers = [float(v) for v in values]
    except ValueError:
        return None
    return numbers if all(math.isfinite(x) for x in numbers) else None


def _split(frame: pd.DataFrame, column: str, modality: Modality, kind: str) -> tuple[str, str]:
    """The modality's own split where the file allows it, else stratified (classes) or random (numbers).

    A group split is allowed when every row has a group key and the groups share out into parts near the
    asked sizes: eight chromosomes of equal size cannot give a 10 % validation part."""
    method = modality.default_split
    if method == "stratified" and kind == "regression":
        method = "random"
    if method in GROUP_SPLITS:
        problem = _group_split_problem(frame, column, modality, method)
        if problem:
            fallback = "stratified" if kind == "classification" else "random"
            return fallback, f"{fallback} split ({method} split impossible: {problem})"
    return method, f"{method} split 80/10/10"


def _group_split_problem(frame: pd.DataFrame, column: str, modality: Modality, method: str) -> str | None:
    """Why a group split of (the first ``GROUP_CHECK_ROWS`` rows of) the file would fail, or None."""
    keys = []
    for position, cell in enumerate(frame[column].head(GROUP_CHECK_ROWS)):
        try:
            item = modality.normalise(str(cell))
        except InvalidInput:
            continue  # skipped at training time, counted there
        try:
            keys.append(modality.group_key(item, frame.iloc[position].to_dict()))
        except ConfigError as exc:
            return str(exc).split(";")[0]
    sizes = tuple(DataConfig().split_sizes)
    parts = split_indices(method, len(keys), sizes, DataConfig().split_seed, group_of=keys.__getitem__)
    for name, part, share in (("validation", parts.val, sizes[1]), ("test", parts.test, sizes[2])):
        if len(part) < share * len(keys) / 2:
            return (f"{len(set(keys))} groups leave the {name} part {len(part)} of {len(keys)} rows "
                    f"(asked: {share:.0%})")
    return None


def _merge(base: dict, extra: dict) -> dict:
    """``extra`` over ``base``, section by section."""
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for key, value in extra.items():
        if isinstance(value, dict):
            merged.setdefault(key, {}).update(value)
        else:
            merged[key] = value
    return merged
