"""MoleculeACE (van Tilborg et al. 2022): 30 ChEMBL bioactivity sets with their own train/test split and a flag
on every "activity-cliff" molecule, read from the PyPI package's data files (`pip install --no-deps
moleculeace==3.0.0`; its code and dependencies are never imported).

Why its split is kept as given: the published figures (SVM on ECFP 0.67 mean RMSE, CheMeleon 0.666, ...) are
on exactly these test molecules, so a re-split would make every comparison with them meaningless.  Validation
is carved from the training part only, seeded, stratified on the cliff flag so that both parts keep cliffs.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.errors import ConfigError, DataError
from biofm.core.io import atomic_path
from biofm.modalities import get_modality

COLUMNS = ("smiles", "y", "cliff_mol", "split")
INSTALL = "pip install --no-deps moleculeace==3.0.0"


def benchmark_dir() -> Path:
    """The folder of the package's 30 CSV files, found without importing the package."""
    spec = importlib.util.find_spec("MoleculeACE")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"MoleculeACE is not installed; `{INSTALL}` brings its 30 data sets (1 MB)")
    return Path(next(iter(spec.submodule_search_locations))) / "Data" / "benchmark_data"


def set_names(folder: Path | None = None) -> list[str]:
    """The set names (``CHEMBL204_Ki`` …), sorted."""
    return sorted(path.stem for path in (folder or benchmark_dir()).glob("CHEMBL*.csv"))


def read_set(name_or_path: str | Path) -> pd.DataFrame:
    """One set with its given split, checked: every row has a SMILES, a numeric ``y``, a 0/1 ``cliff_mol`` and a
    ``split`` of train or test; a bad row is an error naming the file and row (1 = the header)."""
    path = Path(name_or_path)
    if path.suffix != ".csv":
        path = benchmark_dir() / f"{name_or_path}.csv"
    if not path.is_file():
        raise DataError(path, f"no such MoleculeACE set (known: {', '.join(set_names(path.parent)) or 'none'})")
    frame = pd.read_csv(path)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(path, f"missing column(s) {', '.join(missing)}; a MoleculeACE set has {', '.join(COLUMNS)}")
    _check_rows(path, frame)
    return frame[list(COLUMNS)].assign(y=frame.y.astype(float), cliff_mol=frame.cliff_mol.astype(int))


def _check_rows(path: Path, frame: pd.DataFrame) -> None:
    checks = {"split is neither train nor test": ~frame.split.isin(["train", "test"]),
              "y is not a number": pd.to_numeric(frame.y, errors="coerce").isna(),
              "cliff_mol is not 0 or 1": ~frame.cliff_mol.isin([0, 1]),
              "smiles is empty": frame.smiles.fillna("").astype(str).str.strip() == ""}
    for problem, bad in checks.items():
        if bad.any():
            index = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(path, f"{problem} ({frame.iloc[index].to_dict()})", row=index + 2)


def carve_validation(frame: pd.DataFrame, fraction: float = 0.1, seed: int = 0) -> pd.Series:
    """The part each row goes to: ``test`` exactly as given; ``val`` a seeded ``fraction`` of the given training
    rows, drawn within cliff and non-cliff molecules alike; the rest ``train``."""
    if not 0 < fraction < 1:
        raise ConfigError(f"validation fraction must be between 0 and 1, got {fraction}")
    part = frame.split.copy()
    rng = np.random.default_rng(seed)
    for _, rows in frame[frame.split == "train"].groupby("cliff_mol"):
        chosen = rng.choice(rows.index.to_numpy(), size=round(len(rows) * fraction), replace=False)
        part.loc[chosen] = "val"
    return part


def write_parts(frame: pd.DataFrame, out_dir: Path, fraction: float = 0.1, seed: int = 0) -> dict[str, Path]:
    """``train.csv`` / ``val.csv`` / ``test.csv`` for a run's ``data.train`` / ``data.val`` / ``data.test``,
    each written atomically; returns their paths by part."""
    out_dir.mkdir(parents=True, exist_ok=True)
    part = carve_validation(frame, fraction, seed)
    paths = {}
    for name in ("train", "val", "test"):
        paths[name] = out_dir / f"{name}.csv"
        with atomic_path(paths[name]) as tmp:
            frame[part == name].drop(columns="split").to_csv(tmp, index=False)
    return paths


def write_pretraining_lists(out_dir: Path, folder: Path | None = None) -> dict[str, Path]:
    """``unlabelled.smi``: every molecule of the sets' training parts that is no set's test molecule (one compound
    is often measured on several targets, in train for one and test for another); ``test.smi``: every test
    molecule of every set, for a pretraining corpus's ``exclude``.  Compared as canonical SMILES; written
    atomically; returns the two paths."""
    molecule = get_modality("molecule")
    frames = [read_set((folder or benchmark_dir()) / f"{name}.csv") for name in set_names(folder)]
    both = pd.concat(frames, ignore_index=True)
    both["smiles"] = [molecule.normalise(s) for s in both.smiles]
    test = sorted(set(both.smiles[both.split == "test"]))
    unlabelled = sorted(set(both.smiles[both.split == "train"]) - set(test))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"unlabelled": out_dir / "moleculeace_unlabelled.smi", "test": out_dir / "moleculeace_test.smi"}
    for key, items in (("unlabelled", unlabelled), ("test", test)):
        with atomic_path(paths[key]) as tmp:
            tmp.write_text("".join(f"{s}\n" for s in items), encoding="utf-8")
    return paths
