"""Applicability domain: is a new input like anything the model was trained on?

Predictions for molecules unlike every training molecule are extrapolations; chemists flag them by
the Tanimoto similarity of fingerprints to the nearest training molecule.  The training set's
features are stored in the run (``domain.npz``, bit-packed), so prediction needs only the run folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from biofm.modalities import Modality
from biofm.runs import atomic_path

DOMAIN_FILE = "domain.npz"
OUT_OF_DOMAIN_BELOW = 0.3  # max Tanimoto to the training set; ECFP4 pairs below ~0.3 are usually unrelated


def save_domain(modality: Modality, train_inputs: list[str], run_dir: Path) -> None:
    features = modality.domain_features(train_inputs)
    if features is None:
        return
    with atomic_path(run_dir / DOMAIN_FILE) as tmp, tmp.open("wb") as handle:
        np.savez_compressed(handle, bits=np.packbits(features.astype(bool), axis=1), width=features.shape[1])


def nearest_similarity(modality: Modality, run_dir: Path, items: list[str]) -> np.ndarray | None:
    """Max Tanimoto similarity of each item to the training inputs; None without a stored domain."""
    path = Path(run_dir) / DOMAIN_FILE
    if not path.is_file() or not items:
        return None
    stored = np.load(path)
    train = np.unpackbits(stored["bits"], axis=1)[:, : int(stored["width"])].astype(np.float32)
    query = modality.domain_features(items).astype(np.float32)
    best = np.zeros(len(items), dtype=np.float32)
    for start in range(0, len(train), 4096):  # bounded memory for large training sets
        block = train[start : start + 4096]
        common = query @ block.T
        union = query.sum(1, keepdims=True) + block.sum(1) - common
        best = np.maximum(best, (common / np.maximum(union, 1.0)).max(axis=1))
    return best
