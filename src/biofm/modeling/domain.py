"""Applicability domain: is a new input like anything the model was trained on?

Predictions for inputs unlike every training input are extrapolations; chemists flag them by the
Tanimoto similarity of fingerprints to the nearest training molecule.  The modality supplies the
binary features and the threshold (``Modality.domain_features`` / ``out_of_domain_below``); this
module only stores the training set's features in the run (``domain.npz``, bit-packed, with the
threshold) and measures new inputs against them, so prediction needs only the run folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from biofm.core import layout
from biofm.core.errors import RunFolderError
from biofm.core.io import atomic_path
from biofm.core.similarity import tanimoto
from biofm.modalities import Modality

DOMAIN_FILE = layout.DOMAIN


class DomainCheck(NamedTuple):
    """How close each input is to the training inputs, and the line below which it is out of domain."""

    similarity: np.ndarray  # max Tanimoto similarity of each input to the training inputs, in [0, 1]
    threshold: float  # the modality's, stored with the run when it was trained

    @property
    def out_of_domain(self) -> np.ndarray:
        return self.similarity < self.threshold


def save_domain(modality: Modality, train_inputs: list[str], run_dir: Path) -> None:
    """Store the training inputs' domain features in the run (molecules only; others define none)."""
    features = modality.domain_features(train_inputs)
    if features is None or modality.out_of_domain_below is None:
        return
    with atomic_path(run_dir / DOMAIN_FILE) as tmp, tmp.open("wb") as handle:
        np.savez_compressed(handle, bits=np.packbits(features.astype(bool), axis=1), width=features.shape[1],
                            threshold=modality.out_of_domain_below)


class DomainIndex:
    """A run's training features held in memory once, so a server answers each request with one matrix
    product instead of unpacking the whole training set again (51 MB for B3DB, per request)."""

    def __init__(self, features: np.ndarray, threshold: float | None):
        self.train = features.astype(np.float32)  # (n_train, width), 0/1
        self.train_counts = self.train.sum(1)
        self.threshold = threshold

    def check(self, modality: Modality, items: list[str]) -> DomainCheck | None:
        """Each item's max Tanimoto similarity to the training inputs, against the stored threshold."""
        if not items:
            return None
        query = modality.domain_features(items).astype(np.float32)
        best = np.zeros(len(items), dtype=np.float32)
        for start in range(0, len(self.train), 4096):  # bounded memory for large training sets
            block, counts = self.train[start : start + 4096], self.train_counts[start : start + 4096]
            best = np.maximum(best, tanimoto(query, block, counts).max(axis=1))
        return DomainCheck(best, self.threshold if self.threshold is not None else modality.out_of_domain_below)



def load_domain(run_dir: Path) -> DomainIndex | None:
    """The run's domain, ready to answer; None where the run stores none."""
    stored = read_domain(run_dir)
    return None if stored is None else DomainIndex(*stored)


def read_domain(run_dir: Path) -> tuple[np.ndarray, float | None] | None:
    """The stored training features (unpacked) and threshold; None where the run stores no domain.
    A ``domain.npz`` that is not one biofm wrote is a ``RunFolderError`` naming it."""
    path = Path(run_dir) / DOMAIN_FILE
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            bits, width = stored["bits"], int(stored["width"])
            threshold = float(stored["threshold"]) if "threshold" in stored else None
        features = np.unpackbits(bits, axis=1)[:, :width]
    except Exception as exc:  # numpy and zipfile raise many types for a damaged archive
        raise RunFolderError(f"{path}: not a biofm applicability-domain file ({type(exc).__name__}); "
                             "delete it (predictions then have no domain column) or re-train") from None
    return features, threshold


def nearest_similarity(modality: Modality, run_dir: Path, items: list[str]) -> DomainCheck | None:
    """Each item's similarity to the nearest training input; None where the run stores no domain (a
    loaded run keeps its ``DomainIndex`` instead of reading the file per call)."""
    index = load_domain(run_dir) if items else None
    return None if index is None else index.check(modality, items)
