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
import multiprocessing
import os
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from rdkit import Chem
from rdkit.Chem import Descriptors, rdFingerprintGenerator

_MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
DESCRIPTOR_NAMES = [name for name, _ in Descriptors._descList]
_CACHED = 100_000  # molecules whose features stay in memory (~1 KB each)
_LIMIT = 1e6  # descriptor values beyond this (a few overflow on odd molecules) are clipped; NaN becomes 0
_DESCRIBED: OrderedDict[str, np.ndarray] = OrderedDict()  # least recently used first, at most _CACHED
PARALLEL_FROM = 1_000  # new molecules from which worker processes pay for their start (~1 s)
_POOL: list[ProcessPoolExecutor] = []


@functools.lru_cache(maxsize=_CACHED)
def _ecfp4_counts(smiles: str) -> np.ndarray:
    return _MORGAN.GetCountFingerprintAsNumPy(Chem.MolFromSmiles(smiles)).astype(np.float32)


def _rdkit2d(smiles: str) -> np.ndarray:
    row = _DESCRIBED.get(smiles)
    if row is None:
        row = _descriptors(smiles)
        _remember(smiles, row)
    else:
        _DESCRIBED.move_to_end(smiles)
    return row


def _remember(smiles: str, row: np.ndarray) -> None:
    _DESCRIBED[smiles] = row
    if len(_DESCRIBED) > _CACHED:
        _DESCRIBED.popitem(last=False)


def _descriptors(smiles: str) -> np.ndarray:
    values = Descriptors.CalcMolDescriptors(Chem.MolFromSmiles(smiles), missingVal=np.nan)
    row = np.array([values[name] for name in DESCRIPTOR_NAMES], dtype=np.float64)
    return np.clip(np.nan_to_num(row, nan=0.0, posinf=_LIMIT, neginf=-_LIMIT), -_LIMIT, _LIMIT).astype(np.float32)


def ecfp4_counts(smiles: list[str]) -> np.ndarray:
    """Morgan radius-2 count fingerprints folded to 2,048 (counts, not bits: a second ring matters)."""
    return np.stack([_ecfp4_counts(s) for s in smiles])


def rdkit2d(smiles: list[str]) -> np.ndarray:
    """Every descriptor in ``rdkit.Chem.Descriptors`` (about 200), NaN-safe and clipped to finite values.

    Why in worker processes for many new molecules: the descriptors cost ~4 ms a molecule, ten times the
    model's forward pass, so a screen or a large training set is bound by them; RDKit releases no GIL here,
    so only processes use the other cores."""
    new = list(dict.fromkeys(s for s in smiles if s not in _DESCRIBED))
    workers = os.cpu_count() or 1
    if len(new) >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        size = -(-len(new) // (4 * workers))
        for chunk, rows in zip(_batches(new, size), _pool().map(_rdkit2d_rows, _batches(new, size)), strict=True):
            for item, row in zip(chunk, rows, strict=True):
                _remember(item, row)
    return np.stack([_rdkit2d(s) for s in smiles])


def ecfp4_and_rdkit2d(smiles: list[str]) -> np.ndarray:
    return np.hstack([ecfp4_counts(smiles), rdkit2d(smiles)])


def _pool() -> ProcessPoolExecutor:
    if not _POOL:  # forked: a spawned worker would re-run a user's script that lacks a __main__ guard; the
        # workers only run RDKit, never the OpenMP (torch) code whose threads a fork does not copy
        _POOL.append(ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=multiprocessing.get_context("fork")))
    return _POOL[0]


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _rdkit2d_rows(smiles: list[str]) -> list[np.ndarray]:
    return [_descriptors(s) for s in smiles]
