"""What each RDKit 2D descriptor costs: per-descriptor time on a sample of real molecules, the total, and the
share the costliest few take, so a fast feature set can be chosen by measurement rather than by suspicion.

    python benchmarks/descriptor_cost.py --out runs/bench/descriptor_cost [--molecules 1000]

Each descriptor function of ``rdkit.Chem.Descriptors._descList`` runs over freshly parsed copies of the molecules,
timed alone (``ms_alone``); and again all in ``CalcMolDescriptors``' order on one parsed copy (``ms_in_order``:
what it adds once the descriptors before it have run).  The two differ because RDKit caches shared intermediates
on a molecule (Crippen contributions, Gasteiger charges, the EState and BCUT matrices): a family costs about one
member's ``ms_alone``, paid by its first member.  Parsing is outside the timer.  Writes ``descriptor_cost.csv``
(descriptor, both times per molecule, share of the in-order total, cumulative share) and ``descriptor_cost.json``
(summary, with each feature set biofm offers timed as a whole, beside parsing alone and ECFP4 counts).
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from pathlib import Path

import pandas as pd
from rdkit import Chem
from rdkit.Chem import Descriptors

from biofm.core.io import atomic_path
from biofm.data.datasets import get_dataset
from biofm.modalities.molecule.features import DESCRIPTOR_SETS, _descriptors, _ecfp4_counts


def sample_smiles(n: int) -> list[str]:
    """``n`` B3DB molecules (drug-like, the demo's data), seeded; ones RDKit rejects are left out."""
    frame = pd.read_csv(get_dataset("b3db").path("train")).sample(frac=1.0, random_state=0)
    return [s for s in frame.smiles if Chem.MolFromSmiles(s) is not None][:n]


def time_descriptors(smiles: list[str]) -> pd.DataFrame:
    alone, in_order = {}, {}
    for name, function in Descriptors._descList:
        alone[name] = _ms_per_molecule(function, [Chem.MolFromSmiles(s) for s in smiles])
    shared = [Chem.MolFromSmiles(s) for s in smiles]
    for name, function in Descriptors._descList:
        in_order[name] = _ms_per_molecule(function, shared)
    table = pd.DataFrame({"descriptor": list(alone), "ms_alone": list(alone.values()),
                          "ms_in_order": list(in_order.values())})
    table = table.sort_values("ms_in_order", ascending=False, ignore_index=True)
    table["share"] = table.ms_in_order / table.ms_in_order.sum()
    table["cumulative_share"] = table.share.cumsum()
    return table


def _ms_per_molecule(function, molecules: list[Chem.Mol]) -> float:
    start = time.perf_counter()
    for molecule in molecules:
        function(molecule)
    return 1000 * (time.perf_counter() - start) / len(molecules)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--molecules", type=int, default=1000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    smiles = sample_smiles(args.molecules)
    table = time_descriptors(smiles)
    sets = {}  # each set as biofm computes it, parsing included, no cache; beside parsing alone and ECFP4 counts
    for name, compute in {"parse only": Chem.MolFromSmiles, "ecfp4": _ecfp4_counts.__wrapped__,
                          **{n: functools.partial(_descriptors, names=n) for n in DESCRIPTOR_SETS}}.items():
        start = time.perf_counter()
        for item in smiles:
            compute(item)
        sets[name] = round(1000 * (time.perf_counter() - start) / len(smiles), 3)
    summary = {"molecules": len(smiles), "descriptors": len(table),
               "sum_ms_alone": round(float(table.ms_alone.sum()), 3),
               "sum_ms_in_order": round(float(table.ms_in_order.sum()), 3),
               "set_ms_per_molecule": sets, "columns": {k: len(v) for k, v in DESCRIPTOR_SETS.items()},
               "costliest": table.head(15).round(4).to_dict("records"),
               "descriptors_for_90_percent_of_time": int((table.cumulative_share < 0.9).sum() + 1)}
    with atomic_path(args.out / "descriptor_cost.csv") as tmp:
        table.to_csv(tmp, index=False, float_format="%.5g")
    with atomic_path(args.out / "descriptor_cost.json") as tmp:
        tmp.write_text(json.dumps(summary, indent=1))
    print(table.head(25).to_string(index=False))
    print(json.dumps({k: v for k, v in summary.items() if k != "costliest"}, indent=1))


if __name__ == "__main__":
    main()
