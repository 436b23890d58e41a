"""The classical side of the MoleculeACE yardstick: on each of the 30 sets, with its given split (validation
carved from train, seeded), an SVM on ECFP4 bits with a Tanimoto kernel (the paper's best; C chosen on
validation), random forests on ECFP4 counts and on RDKit 2D descriptors (biofm's own candidates), and the one
validation chooses.  Test RMSE overall and on the cliff molecules, per set and seed, into one JSON and CSV.

    python benchmarks/moleculeace.py --out runs/bench/moleculeace --seeds 0 1 2

Published anchors on these splits (mean RMSE over the 30 sets): SVM-ECFP 0.671-0.675 (cliffs 0.75), RF-ECFP 0.70.
The model's side (fine-tuning each set) is not part of this script yet.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.svm import SVR

from biofm.core.io import atomic_path
from biofm.data.moleculeace import carve_validation, read_set, set_names
from biofm.modalities import get_modality
from biofm.modalities.molecule.modality import ecfp4
from biofm.modeling.domain import tanimoto

MOLECULE = get_modality("molecule")
SVM_C = (0.1, 1.0, 10.0, 100.0)


def rmse(truth: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.sqrt(np.mean((truth - predicted) ** 2)))


def svm_candidate(parts: dict[str, pd.DataFrame]) -> dict:
    """The SVM at each C, fitted on train; the C with the best validation RMSE is kept."""
    bits = {name: ecfp4(part.smiles.tolist()).astype(np.float32) for name, part in parts.items()}
    kernel_train = tanimoto(bits["train"], bits["train"])
    best = None
    for c in SVM_C:
        model = SVR(kernel="precomputed", C=c).fit(kernel_train, parts["train"].y)
        val = rmse(parts["val"].y.to_numpy(), model.predict(tanimoto(bits["val"], bits["train"])))
        if best is None or val < best[0]:
            best = (val, c, model)
    val, c, model = best
    return {"val": val, "C": c, "test_pred": model.predict(tanimoto(bits["test"], bits["train"]))}


def forest_candidates(parts: dict[str, pd.DataFrame], seed: int) -> dict[str, dict]:
    """biofm's own forest candidates (the ones every molecular run fits), on raw y."""
    out = {}
    for key, (_, pipeline) in MOLECULE.baselines("regression", seed).items():
        if key == "ecfp4_rdkit2d_rf":
            continue  # the combined forest: ties the descriptor forest on our sets, and doubles the cost
        pipeline.fit(parts["train"].smiles.tolist(), parts["train"].y)
        out[key] = {"val": rmse(parts["val"].y.to_numpy(), pipeline.predict(parts["val"].smiles.tolist())),
                    "test_pred": pipeline.predict(parts["test"].smiles.tolist())}
    return out


def one_set(name: str, seed: int) -> dict:
    frame = read_set(name)
    frame["smiles"] = [MOLECULE.normalise(s) for s in frame.smiles]
    part = carve_validation(frame, 0.1, seed)
    parts = {p: frame[part == p].reset_index(drop=True) for p in ("train", "val", "test")}
    start = time.perf_counter()
    candidates = {"ecfp4_svm": svm_candidate(parts), **forest_candidates(parts, seed)}
    truth, cliff = parts["test"].y.to_numpy(), parts["test"].cliff_mol.to_numpy() == 1
    row = {"set": name, "seed": seed, "n_train": len(parts["train"]), "n_val": len(parts["val"]),
           "n_test": len(truth), "n_test_cliff": int(cliff.sum()), "seconds": round(time.perf_counter() - start, 1)}
    for key, result in candidates.items():
        row[f"{key}_val"] = result["val"]
        row[f"{key}_test"] = rmse(truth, result["test_pred"])
        row[f"{key}_cliff"] = rmse(truth[cliff], result["test_pred"][cliff]) if cliff.any() else None
    chosen = min(candidates, key=lambda k: candidates[k]["val"])
    row.update(chosen=chosen, chosen_test=row[f"{chosen}_test"], chosen_cliff=row[f"{chosen}_cliff"])
    row["svm_C"] = candidates["ecfp4_svm"]["C"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--sets", nargs="*", help="set names (default: all 30)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in args.sets or set_names():
        for seed in args.seeds:
            rows.append(one_set(name, seed))
            print(json.dumps({k: rows[-1][k] for k in ("set", "seed", "chosen", "chosen_test", "ecfp4_svm_test",
                                                        "rdkit2d_rf_test", "ecfp4_rf_test", "seconds")}), flush=True)
            with atomic_path(args.out / "classical.csv") as tmp:
                pd.DataFrame(rows).to_csv(tmp, index=False)
    table = pd.DataFrame(rows)
    summary = {col: round(float(table.groupby("set")[col].mean().mean()), 4)
               for col in table.columns if col.endswith(("_test", "_cliff"))}
    with atomic_path(args.out / "classical.json") as tmp:
        tmp.write_text(json.dumps({"mean_over_sets": summary, "rows": rows}, indent=1))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
