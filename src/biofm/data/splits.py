"""Train/validation/test splits: random, stratified, and group (scaffold / region) splits.

Why group splits matter: a random split of molecules puts near-identical analogues on both sides
and flatters every model.  A scaffold split keeps each Bemis–Murcko scaffold on one side only,
which is what a chemist predicting a *new* series faces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from biofm.core.config import SPLIT_NAMES, DataConfig, RunConfig
from biofm.core.errors import ConfigError, DataError
from biofm.core.io import atomic_path
from biofm.data.records import Records, read_records
from biofm.modalities.base import Modality

GROUP_SPLITS = ("scaffold", "region", "group")  # names under which modalities offer group keys


class SplitIndex(NamedTuple):
    """Row positions of the train, validation and test parts of one labelled table."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def split_indices(
    method: str,
    n: int,
    sizes: tuple[float, float, float],
    seed: int | None,
    strata: list[str] | None = None,
    group_of: Callable[[int], str] | None = None,
) -> SplitIndex:
    """Split ``range(n)`` three ways; ``sizes`` are fractions (train, val, test) summing to 1.

    ``seed=None`` with a group split gives the classic deterministic variant (largest groups to
    train first); any integer seed gives the balanced, seeded variant.
    """
    if method not in SPLIT_NAMES:
        raise ConfigError(f"data.split: unknown split {method!r} (known: {', '.join(SPLIT_NAMES)})")
    if method in GROUP_SPLITS:
        if group_of is None:
            raise ConfigError(f"data.split: {method!r} needs group keys this modality does not provide")
        return group_split([group_of(i) for i in range(n)], sizes, seed)
    if method == "stratified":
        return stratified_split(strata or [], sizes, seed or 0)
    return random_split(n, sizes, seed or 0)


def random_split(n: int, sizes: tuple[float, float, float], seed: int) -> SplitIndex:
    """A seeded random split of ``n`` rows into the three fractions of ``sizes`` (train, val, test)."""
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = _counts(n, sizes)
    return SplitIndex(*map(np.sort, (order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :])))


def stratified_split(strata: list[str], sizes: tuple[float, float, float], seed: int) -> SplitIndex:
    """Class proportions kept in every part; a class too rare to share out is an error naming it."""
    index = np.arange(len(strata))
    labels = np.asarray(strata, dtype=object)
    train_frac, val_frac, test_frac = sizes
    empty = np.array([], dtype=int)
    if val_frac == test_frac == 0:  # both given as files: everything trains
        return SplitIndex(index, empty, empty)
    try:
        train, rest = train_test_split(index, train_size=train_frac, stratify=labels, random_state=seed)
        if test_frac == 0 or val_frac == 0:  # one part given as a file: the rest is the other part
            return SplitIndex(np.sort(train), *((np.sort(rest), empty) if test_frac == 0 else (empty, np.sort(rest))))
        val, test = train_test_split(
            rest, test_size=test_frac / (val_frac + test_frac), stratify=labels[rest], random_state=seed
        )
    except ValueError as exc:
        raise ConfigError(f"data.split: stratified split impossible ({exc}); use 'random'") from None
    return SplitIndex(np.sort(train), np.sort(val), np.sort(test))


def group_split(groups: list[str], sizes: tuple[float, float, float], seed: int | None) -> SplitIndex:
    """No group in two parts.  Greedy fill of train, then val, then test."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        members[group].append(i)
    n_train, n_val = _counts(len(groups), sizes)
    n_test = len(groups) - n_train - n_val
    sets = list(members.values())  # insertion order: deterministic for a given input order
    if seed is None:
        sets.sort(key=len, reverse=True)
    else:
        # Balanced variant (as in chemprop): groups too big for val/test go to train first, the
        # rest in a seeded random order, so the seed really changes the split.
        rng = np.random.default_rng(seed)
        big = [s for s in sets if len(s) > n_val / 2 or len(s) > n_test / 2]
        small = [s for s in sets if not (len(s) > n_val / 2 or len(s) > n_test / 2)]
        sets = big + [small[i] for i in rng.permutation(len(small))]
    parts: tuple[list[int], list[int], list[int]] = ([], [], [])
    for s in sets:
        if len(parts[0]) + len(s) <= n_train:
            parts[0].extend(s)
        elif len(parts[1]) + len(s) <= n_val:
            parts[1].extend(s)
        else:
            parts[2].extend(s)
    return SplitIndex(*(np.array(sorted(p), dtype=int) for p in parts))


def _counts(n: int, sizes: tuple[float, float, float]) -> tuple[int, int]:
    n_train = round(sizes[0] * n)
    n_val = n - n_train if sizes[2] == 0 else round(sizes[1] * n)  # no test share: no 1-item rounding leftover
    return n_train, min(n_val, n - n_train)


class Splits(NamedTuple):
    """The three parts of a run's labelled data, each as validated records with their source rows."""

    train: Records
    val: Records
    test: Records


def load_splits(data: DataConfig, modality: Modality) -> Splits:
    """Read the configured files and split what needs splitting; every part is validated."""
    read = partial(
        read_records,
        modality,
        input_column=data.input_column,
        label_columns=data.label_columns,
        task_kind=data.task,
        skip_invalid=data.skip_invalid,
        keep_columns=[*data.keep_columns, *data.group_columns],
    )
    full = read(data.train)
    given = {part: read(getattr(data, part)) for part in ("val", "test") if getattr(data, part)}
    for records in (full, *given.values()):
        for setting, columns in (("keep_columns", data.keep_columns), ("group_columns", data.group_columns)):
            absent = [c for c in columns if c not in records.extra.columns]
            if absent:
                raise DataError(records.source, f"data.{setting}: no column {', '.join(map(repr, absent))} beside "
                                                "the input and label columns", row=1)
    method = data.split or modality.default_split
    wanted = dict(zip(("train", "val", "test"), data.split_sizes, strict=True))
    for part in given:  # a given file replaces that share of the split
        wanted[part] = 0.0
    total = sum(wanted.values())
    sizes = tuple(wanted[p] / total for p in ("train", "val", "test"))
    strata = [str(row[0]) for row in full.labels] if data.task == "classification" else None
    index = split_indices(
        method, len(full), sizes, data.split_seed, strata=strata,
        group_of=lambda i: modality.group_key(full.inputs[i], full.extra.iloc[i].to_dict()),
    )
    parts = {name: full.subset(getattr(index, name)) for name in ("train", "val", "test")}
    parts["train"].skipped = full.skipped  # rows skipped in the split file are reported once
    parts.update(given)
    for name, records in parts.items():
        if len(records) == 0:
            raise ConfigError(f"data: the {name} split is empty; check data.split_sizes or the {name} file")
    return Splits(parts["train"], parts["val"], parts["test"])


def write_records(records: Records, data: DataConfig, path: Path) -> None:
    """Write validated records back as a CSV with the config's input and label columns (atomically).

    Why: derived training sets (a labelled subset, a pseudo-labelled pool) become ordinary data files,
    so each training round is a normal, reproducible run that names its own files.
    """
    frame = pd.DataFrame({data.input_column: records.inputs})
    for j, column in enumerate(data.label_columns):
        frame[column] = records.labels[:, j]
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)


def pinned_config(cfg: RunConfig, splits: Splits, folder: Path) -> RunConfig:
    """``cfg`` with its validation and test parts written to ``folder`` and pointed at, so every later
    run trained on a different training set is scored on exactly the same held-out items."""
    for part in ("val", "test"):
        write_records(getattr(splits, part), cfg.data, folder / f"{part}.csv")
    data = replace(cfg.data, dataset=None, val=str(folder / "val.csv"), test=str(folder / "test.csv"))
    return replace(cfg, data=data)
