"""The modality interface: the one place that knows what the data *is*.

Everything after tokenisation sees token ids and never asks which modality it has, so adding a
new kind of data (protein, say) is one new module implementing ``Modality`` plus one
``register`` call.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from transformers import PreTrainedTokenizerBase

from biofm.core.errors import ConfigError

# ``model.tokenizer`` of a checkpoint biofm did not pretrain: its own tokenizer reads the raw input (a DNA
# checkpoint with a BPE or 6-mer tokenizer must not be fed biofm's spaced k-mer text)
OWN_TOKENIZER = "checkpoint"


class InvalidInput(ValueError):
    """One input (a SMILES, a sequence, a text) that cannot be used; the reader adds file + row."""


@dataclass
class ExplanationView:
    """What a modality made of per-character attributions.  Shared code (the explanation page, the
    report, the CLI) renders these four fields and never asks which modality produced them."""

    files: list[str] = field(default_factory=list)  # pictures written beside the explanation (SVG / PNG / HTML)
    html: str | None = None  # an inline rendering, where one exists (text: shaded words)
    findings: list[str] = field(default_factory=list)  # one-line facts for a reader (DNA: the best motif matches)
    details: dict = field(default_factory=dict)  # the modality's own data, for JSON readers (atom scores, motifs …)


@runtime_checkable
class Modality(Protocol):
    """What shared code may ask of a kind of data; see the module docstring."""

    name: str
    input_column: str  # default column holding the inputs
    default_split: str  # "scaffold" | "region" | "stratified" | "random"
    # below this nearest-neighbour similarity to the training inputs an input is out of domain
    # (None where ``domain_features`` defines no domain)
    out_of_domain_below: float | None
    feature_sets: tuple[str, ...]  # names ``model.extra_features`` may list (molecules: "rdkit2d")
    file_formats: tuple[str, ...]  # suffixes only this modality reads (molecules: .sdf; DNA: FASTA)
    # which column a data file's inputs are in is guessed by asking the modalities in this order, lowest
    # first: the most particular alphabet first (DNA letters also spell a few SMILES), free text last
    recognition_rank: int

    def recognises(self, value: str) -> bool:
        """Whether one raw cell looks like an input of this kind (cheap; used to guess the input column)."""

    def starter(self, task_kind: str) -> dict:
        """Config sections (``data``, ``model``, ``train``) a new dataset of this kind starts from: the shipped
        checkpoint and the settings validation chose on the bundled sets.  ``biofm train FILE --label`` uses it."""

    def read_table(self, path: Path) -> pd.DataFrame:
        """Read a file into a table of text cells (formats beyond CSV/TSV/… are modality-specific)."""

    def read_chunks(self, path: Path, rows: int) -> Iterator[pd.DataFrame]:
        """``read_table`` in pieces of about ``rows`` rows, so a screening library larger than memory streams."""

    def record_unit(self, path: Path) -> str:
        """What error messages count in ``path``: "row" for tables (header = row 1), "record" for FASTA."""

    def normalise(self, item: str) -> str:
        """Validate and canonicalise one input; raise ``InvalidInput`` saying what is wrong."""

    def protect_columns(self, frame: pd.DataFrame, keep: list[str]) -> pd.DataFrame:
        """The file's other columns (ids, names, notes) to carry into predictions.csv: clinical text keeps
        only those named in ``keep`` (``data.keep_columns``); molecules and DNA keep them all."""

    def group_key(self, item: str, meta: Mapping[str, object]) -> str:
        """Key for group splits (a molecule's scaffold, a sequence's chromosome from its record id)."""

    def build_tokenizer(self, corpus: list[str], spec: str | None = None) -> PreTrainedTokenizerBase:
        """A HuggingFace tokenizer for training from scratch (pretrained models bring their own).

        ``spec`` is ``model.tokenizer`` from the config (e.g. ``kmer6`` for DNA); None: the default.
        """

    def vocabulary_tokenizer(self, vocab: list[str]) -> PreTrainedTokenizerBase:
        """A tokenizer that cuts inputs as this modality's checkpoints do, onto a foreign checkpoint's bare
        vocabulary (a BERT ``vocab.txt``, ids in file order); ``ConfigError`` where no one way is standard."""

    def tokenizer_text(self, item: str, spec: str | None) -> str:
        """The text handed to the tokenizer (overlapping k-mers need spacing; ``OWN_TOKENIZER``: the raw
        input); may raise ``InvalidInput``."""

    def char_map(self, item: str, spec: str | None) -> list[int]:
        """For each character of ``tokenizer_text(item)``, the position in ``item`` it came from (-1: none)."""

    def depict(self, item: str) -> str:
        """A safe HTML fragment showing one (normalised) input as a person reads it: a molecule's 2D drawing,
        DNA as coloured bases, a text as its words.  Escaped by the modality; the web page inserts it as is."""

    def render_explanation(self, item: str, scores: np.ndarray, stem: Path) -> ExplanationView:
        """Show per-character attributions as a person reads the input; files are written as ``stem.*``."""

    def domain_features(self, items: list[str]) -> np.ndarray | None:
        """Binary features whose Tanimoto similarity to the nearest training input says how far an input is
        from the training data (molecules: ECFP4 bits, judged by ``out_of_domain_below``); None where no
        applicability domain is defined."""

    def extra_features(self, name: str, items: list[str]) -> np.ndarray:
        """The feature set ``name`` (one of ``feature_sets``) of each input, raw (NaN allowed): whole-input
        facts the head reads beside the embedding; shared code puts them on one scale."""

    def views(self, item: str) -> list[str]:
        """Label-preserving views averaged at prediction time when ``data.tta`` is on (DNA: both strands;
        molecules: the canonical SMILES and randomised ones)."""

    def windows(self, item: str, size: int, stride: int) -> list[str]:
        """Pieces of an input too long for the model (DNA: sliding windows); ``[item]`` where none apply."""

    def augment(self, item: str, rng: np.random.Generator) -> str:
        """A label-preserving variant of ``item`` (identity where none applies)."""

    def perturbations(self, item: str, rng: np.random.Generator) -> dict[str, str]:
        """Meaning-preserving rewrites of ``item`` by name, for ``evaluate --robustness`` (does the prediction
        survive what real inputs go through?)."""

    def baselines(self, task_kind: str, seed: int) -> dict[str, tuple[str, BaseEstimator]]:
        """The classical models a careful practitioner of the field would fit in a minute, by key:
        a description and an unfitted scikit-learn estimator on raw inputs.  The run fits them all
        and keeps the best on validation (``baseline: KEY`` in the config pins one)."""

    def primary_metric(self, task_kind: str) -> str:
        """The metric that selects the best checkpoint and heads every summary."""


def svg_image(svg: str, alt: str) -> str:
    """An SVG drawing as an ``<img>`` with a data URI: shown by any browser, never run as a document."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/svg+xml;base64,{data}">'


_REGISTRY: dict[str, Modality] = {}


def register(modality: Modality) -> Modality:
    """Add a modality to the registry under its ``name`` (each modality module calls this once)."""
    _REGISTRY[modality.name] = modality
    return modality


def get_modality(name: str) -> Modality:
    """The registered modality of this name; an unknown name lists the known ones."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise ConfigError(f"unknown modality {name!r} (known: {known})") from None


def modality_names() -> list[str]:
    """Names of every registered modality, sorted."""
    return sorted(_REGISTRY)
