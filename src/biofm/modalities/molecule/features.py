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
from rdkit.Chem import Descriptors, rdFingerprintGenerator, rdMolDescriptors

_MORGAN = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
DESCRIPTOR_NAMES = [name for name, _ in Descriptors._descList]
# the costliest descriptors (benchmarks/descriptor_cost.py: about half the time for 21 of 217 columns): QED, the
# BCUT2D eigenvalues, E-state extremes (each recomputes the E-state), Gasteiger charge extremes, Bertz, SPS, Ipc
COSTLY = ("qed", "BertzCT", "SPS", "Ipc", "AvgIpc", *(n for n in DESCRIPTOR_NAMES if n.startswith("BCUT2D_")),
          "MaxAbsEStateIndex", "MaxEStateIndex", "MinAbsEStateIndex", "MinEStateIndex", "MaxPartialCharge",
          "MinPartialCharge", "MaxAbsPartialCharge", "MinAbsPartialCharge")
# what a medicinal chemist reads first, each a few microseconds once the atoms' Crippen, Gasteiger and surface
# contributions are known: size, polarity, lipophilicity (Crippen logP / MR and the VSA bins of each), H-bonding,
# rings and atom counts.  Left out: the E-state, topological-index and fragment-SMARTS families (ECFP4 counts say
# which substructures are there) and the ``COSTLY`` ones.
PHYSCHEM = ("MolWt", "HeavyAtomMolWt", "ExactMolWt", "NumValenceElectrons", "TPSA", "LabuteASA", "MolLogP", "MolMR",
            "FractionCSP3", "HeavyAtomCount", "NHOHCount", "NOCount", "RingCount", "HallKierAlpha", "Kappa1")
DESCRIPTOR_SETS = {"rdkit2d": DESCRIPTOR_NAMES,  # every descriptor RDKit offers
                   "rdkit2d_fast": [n for n in DESCRIPTOR_NAMES if n not in COSTLY],
                   "physchem": [n for n in DESCRIPTOR_NAMES if n in PHYSCHEM
                                or n.startswith(("PEOE_VSA", "SMR_VSA", "SlogP_VSA", "Num"))]}
_FUNCTIONS = dict(Descriptors._descList)
_FAMILIES = {"PEOE_VSA": rdMolDescriptors.PEOE_VSA_, "SMR_VSA": rdMolDescriptors.SMR_VSA_,
             "SlogP_VSA": rdMolDescriptors.SlogP_VSA_}
_CACHED = 100_000  # molecules whose features stay in memory (~1 KB each)
_LIMIT = 1e6  # descriptor values beyond this (a few overflow on odd molecules) are clipped; NaN becomes 0
# per descriptor set, least recently used first, at most _CACHED molecules each
_DESCRIBED: dict[str, OrderedDict[str, np.ndarray]] = {name: OrderedDict() for name in DESCRIPTOR_SETS}
PARALLEL_FROM = 1_000  # new molecules from which worker processes pay for their start (~1 s)
_POOL: list[ProcessPoolExecutor] = []


@functools.lru_cache(maxsize=_CACHED)
def _ecfp4_counts(smiles: str) -> np.ndarray:
    return _MORGAN.GetCountFingerprintAsNumPy(Chem.MolFromSmiles(smiles)).astype(np.float32)


def _described(smiles: str, names: str) -> np.ndarray:
    cache = _DESCRIBED[names]
    row = cache.get(smiles)
    if row is None:
        row = _descriptors(smiles, names)
        _remember(cache, smiles, row)
    else:
        cache.move_to_end(smiles)
    return row


def _remember(cache: OrderedDict, smiles: str, row: np.ndarray) -> None:
    cache[smiles] = row
    if len(cache) > _CACHED:
        cache.popitem(last=False)


def _descriptors(smiles: str, names: str = "rdkit2d") -> np.ndarray:
    """One molecule's row of the set ``names``; a descriptor that fails on it is NaN, then 0 (as RDKit's own
    ``CalcMolDescriptors`` does, which the full set still calls, so rows of older runs are unchanged)."""
    mol = Chem.MolFromSmiles(smiles)
    if names == "rdkit2d":
        values = Descriptors.CalcMolDescriptors(mol, missingVal=np.nan)
        row = np.array([values[name] for name in DESCRIPTOR_NAMES], dtype=np.float64)
    else:
        values = _binned(mol)
        row = np.array([values[name] if name in values else _safely(_FUNCTIONS[name], mol)
                        for name in DESCRIPTOR_SETS[names]], dtype=np.float64)
    return np.clip(np.nan_to_num(row, nan=0.0, posinf=_LIMIT, neginf=-_LIMIT), -_LIMIT, _LIMIT).astype(np.float32)


def _binned(mol: Chem.Mol) -> dict[str, float]:
    """The VSA families (PEOE_VSA1-14, SMR_VSA1-10, SlogP_VSA1-12) each in one RDKit call: ``Descriptors`` computes
    every bin of a family again, ten times the cost for the same numbers."""
    values = {}
    for family, function in _FAMILIES.items():
        try:
            bins = function(mol)
        except Exception:  # as _safely: a failing family is NaN, then 0
            bins = [np.nan] * sum(n.startswith(family) and n[len(family):].isdigit() for n in DESCRIPTOR_NAMES)
        values.update({f"{family}{i}": value for i, value in enumerate(bins, 1)})
    return values


def _safely(function, mol: Chem.Mol) -> float:
    try:
        return function(mol)
    except Exception:  # RDKit raises assorted errors for molecules a descriptor is undefined on
        return np.nan


def ecfp4_counts(smiles: list[str]) -> np.ndarray:
    """Morgan radius-2 count fingerprints folded to 2,048 (counts, not bits: a second ring matters)."""
    return np.stack([_ecfp4_counts(s) for s in smiles])


def rdkit2d(smiles: list[str]) -> np.ndarray:
    """Every descriptor in ``rdkit.Chem.Descriptors`` (about 200), NaN-safe and clipped to finite values.

    Why in worker processes for many new molecules: the descriptors cost ~4 ms a molecule, ten times the
    model's forward pass, so a screen or a large training set is bound by them; RDKit releases no GIL here,
    so only processes use the other cores."""
    return describe(smiles, "rdkit2d")


def rdkit2d_fast(smiles: list[str]) -> np.ndarray:
    """The RDKit 2D descriptors without the ``COSTLY`` ones: the same columns otherwise, at under half the cost."""
    return describe(smiles, "rdkit2d_fast")


def physchem(smiles: list[str]) -> np.ndarray:
    """``PHYSCHEM``: size, polarity, lipophilicity, H-bonding and ring counts, ~1 ms a molecule (the full set ~9)."""
    return describe(smiles, "physchem")


def describe(smiles: list[str], names: str) -> np.ndarray:
    """Rows of the descriptor set ``names`` (a key of ``DESCRIPTOR_SETS``), each molecule computed once."""
    cache = _DESCRIBED[names]
    new = list(dict.fromkeys(s for s in smiles if s not in cache))
    workers = os.cpu_count() or 1
    if len(new) >= PARALLEL_FROM and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        size = -(-len(new) // (4 * workers))
        chunks = _batches(new, size)
        for chunk, rows in zip(chunks, _pool().map(_rows, chunks, [names] * len(chunks)), strict=True):
            for item, row in zip(chunk, rows, strict=True):
                _remember(cache, item, row)
    return np.stack([_described(s, names) for s in smiles])


def ecfp4_and_rdkit2d(smiles: list[str]) -> np.ndarray:
    return np.hstack([ecfp4_counts(smiles), rdkit2d(smiles)])


def _pool() -> ProcessPoolExecutor:
    if not _POOL:  # forked: a spawned worker would re-run a user's script that lacks a __main__ guard; the
        # workers only run RDKit, never the OpenMP (torch) code whose threads a fork does not copy
        _POOL.append(ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=multiprocessing.get_context("fork")))
    return _POOL[0]


def _batches(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _rows(smiles: list[str], names: str) -> list[np.ndarray]:
    return [_descriptors(s, names) for s in smiles]
