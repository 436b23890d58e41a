"""The modality interface: the one place that knows what the data *is*.

Everything after tokenisation sees token ids and never asks which modality it has, so adding a
new kind of data (protein, say) is one new module implementing ``Modality`` plus one
``register`` call.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from transformers import PreTrainedTokenizerBase

from biofm.errors import ConfigError


class InvalidInput(ValueError):
    """One input (a SMILES, a sequence, a text) that cannot be used; the reader adds file + row."""


@runtime_checkable
class Modality(Protocol):
    name: str
    input_column: str  # default column holding the inputs
    default_split: str  # "scaffold" | "region" | "stratified" | "random"

    def read_table(self, path: Path) -> pd.DataFrame:
        """Read a file into a table of text cells (formats beyond CSV/TSV/… are modality-specific)."""

    def normalise(self, item: str) -> str:
        """Validate and canonicalise one input; raise ``InvalidInput`` saying what is wrong."""

    def protect_columns(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The file's other columns (ids, names, notes), as carried into predictions.csv: clinical text
        de-identifies them too; molecules and DNA keep them as they are."""

    def group_key(self, item: str, meta: Mapping[str, object]) -> str:
        """Key for group splits (a molecule's scaffold, a sequence's chromosome from its record id)."""

    def build_tokenizer(self, corpus: list[str], spec: str | None = None) -> PreTrainedTokenizerBase:
        """A HuggingFace tokenizer for training from scratch (pretrained models bring their own).

        ``spec`` is ``model.tokenizer`` from the config (e.g. ``kmer6`` for DNA); None: the default.
        """

    def tokenizer_text(self, item: str, spec: str | None) -> str:
        """The text handed to the tokenizer (overlapping k-mers need spacing); may raise ``InvalidInput``."""

    def char_map(self, item: str, spec: str | None) -> list[int]:
        """For each character of ``tokenizer_text(item)``, the position in ``item`` it came from (-1: none)."""

    def render_explanation(self, item: str, scores: np.ndarray, stem: Path) -> dict:
        """Show per-character attributions as a person reads the input; files are written as ``stem.*``.

        Returns what was made: ``files`` (paths), optionally ``html`` and modality facts (e.g. motifs).
        """

    def domain_features(self, items: list[str]) -> np.ndarray | None:
        """Binary features whose Tanimoto similarity says how far an input is from the training data
        (molecules: ECFP4 bits); None where no applicability domain is defined."""

    def views(self, item: str) -> list[str]:
        """Label-preserving views averaged at prediction time when ``data.tta`` is on (DNA: both strands)."""

    def windows(self, item: str, size: int, stride: int) -> list[str]:
        """Pieces of an input too long for the model (DNA: sliding windows); ``[item]`` where none apply."""

    def augment(self, item: str, rng: np.random.Generator) -> str:
        """A label-preserving variant of ``item`` (identity where none applies)."""

    def baseline(self, task_kind: str, seed: int) -> tuple[str, BaseEstimator]:
        """The field's classical baseline: a name and an unfitted scikit-learn estimator on raw inputs."""

    def primary_metric(self, task_kind: str) -> str:
        """The metric that selects the best checkpoint and heads every summary."""


_REGISTRY: dict[str, Modality] = {}


def register(modality: Modality) -> Modality:
    _REGISTRY[modality.name] = modality
    return modality


def get_modality(name: str) -> Modality:
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError(f"unknown modality {name!r} (known: {known})") from None


def modality_names() -> list[str]:
    return sorted(_REGISTRY)
