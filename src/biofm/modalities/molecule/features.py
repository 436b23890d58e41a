"""The features a chemist's classical model reads: ECFP4 counts and RDKit 2D descriptors.

Why both: fingerprints say which substructures a molecule has, descriptors what it is like as a
whole (logP, polar surface, charge, size); on physicochemical endpoints (solubility, permeation) a
forest on descriptors beats one on fingerprints by a wide margin.  Each molecule's features are
computed once per process (an LRU cache on the canonical SMILES, bounded so that screening a
million molecules does not keep a million rows), since every baseline candidate and every split
reads them again.
"""

from __future__ import annotations

import functools

import numpy as np
from rdkit import Chem
from rdkit.Chem import Descriptors, rdFingerprintGenerator

_MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
DESCRIPTOR_NAMES = [name for name, _ in Descriptors._descList]
_CACHED = 100_000  # molecules whose features stay in memory (~1 KB each)
_LIMIT = 1e6  # descriptor values beyond this (a few overflow on odd molecules) are clipped; NaN becomes 0


@functools.lru_cache(maxsize=_CACHED)
def _ecfp4_counts(smiles: str) -> np.ndarray:
    return _MORGAN.GetCountFingerprintAsNumPy(Chem.MolFromSmiles(smiles)).astype(np.float32)


@functools.lru_cache(maxsize=_CACHED)
def _rdkit2d(smiles: str) -> np.ndarray:
    values = Descriptors.CalcMolDescriptors(Chem.MolFromSmiles(smiles), missingVal=np.nan)
    row = np.array([values[name] for name in DESCRIPTOR_NAMES], dtype=np.float64)
    return np.clip(np.nan_to_num(row, nan=0.0, posinf=_LIMIT, neginf=-_LIMIT), -_LIMIT, _LIMIT).astype(np.float32)


def ecfp4_counts(smiles: list[str]) -> np.ndarray:
    """Morgan radius-2 count fingerprints folded to 2,048 (counts, not bits: a second ring matters)."""
    return np.stack([_ecfp4_counts(s) for s in smiles])


def rdkit2d(smiles: list[str]) -> np.ndarray:
    """Every descriptor in ``rdkit.Chem.Descriptors`` (about 200), NaN-safe and clipped to finite values."""
    return np.stack([_rdkit2d(s) for s in smiles])


def ecfp4_and_rdkit2d(smiles: list[str]) -> np.ndarray:
    return np.hstack([ecfp4_counts(smiles), rdkit2d(smiles)])
