"""The MoleculeACE yardstick: on each of the 30 sets, with its given split (validation carved from train,
seeded), an SVM on ECFP4 bits with a Tanimoto kernel (the paper's best; C chosen on validation), random forests
on ECFP4 counts and on RDKit 2D descriptors (biofm's own candidates), the one validation chooses, and, with
``--model``, biofm's default for a new regression table (``infer_config``: what ``biofm train FILE --label y``
would run) fine-tuned on the same rows.  Test RMSE overall and on the cliff molecules, per set and seed, into
one JSON and CSV each (``classical``, ``model``), every prediction under ``preds/``; ``--set`` overrides the
model's config (a lever's ablation).  A killed run resumes at the first set and seed not yet in its CSV.
``moleculeace_report.py`` turns the results into the table, the win counts, the Wilcoxon test and the plot.

    python benchmarks/moleculeace.py --out benchmarks/results/moleculeace --seeds 0 1 2 [--model [NAME]] [--set k=v ...]
    python benchmarks/moleculeace.py --out benchmarks/results/moleculeace --seeds 0 1 2 --chemprop   # after make peers

Published anchors on these splits (mean RMSE over the 30 sets): SVM-ECFP 0.671-0.675 (cliffs 0.75), RF-ECFP 0.70.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.svm import SVR

from biofm import train
from biofm.core.io import atomic_path
from biofm.core.similarity import tanimoto
from biofm.data.autoconfig import infer_config
from biofm.data.moleculeace import carve_validation, read_set, set_names, write_parts
from biofm.modalities import get_modality
from biofm.modalities.molecule.modality import ecfp4
from biofm.use.predict import predict

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
        val_pred = model.predict(tanimoto(bits["val"], bits["train"]))
        val = rmse(parts["val"].y.to_numpy(), val_pred)
        if best is None or val < best[0]:
            best = (val, c, model, val_pred)
    val, c, model, val_pred = best
    return {"val": val, "C": c, "val_pred": val_pred, "test_pred": model.predict(tanimoto(bits["test"], bits["train"]))}


def run_candidates(parts: dict[str, pd.DataFrame], seed: int) -> dict[str, dict]:
    """biofm's own candidates, as every molecular run fits them (``biofm_svm``: its SVM at a fixed C), on raw y."""
    out = {}
    for key, (_, pipeline) in MOLECULE.baselines("regression", seed).items():
        if key == "ecfp4_rdkit2d_rf":
            continue  # the combined forest: ties the descriptor forest on our sets, and doubles the cost
        pipeline.fit(parts["train"].smiles.tolist(), parts["train"].y)
        val_pred = pipeline.predict(parts["val"].smiles.tolist())
        out["biofm_svm" if key == "ecfp4_svm" else key] = {
            "val": rmse(parts["val"].y.to_numpy(), val_pred), "val_pred": val_pred,
            "test_pred": pipeline.predict(parts["test"].smiles.tolist())}
    return out


def model_candidate(name: str, seed: int, out: Path, overrides: list[str]) -> dict:
    """biofm's default for this table, trained on the train part, stopped and kept on val, scored on test."""
    paths = write_parts(read_set(name), out / "data", 0.1, seed)
    config = infer_config(paths["train"], ["y"], overrides=[
        f"data.val={paths['val']}", f"data.test={paths['test']}", f"train.seed={seed}", *overrides]).config
    result = train(config, out / "run", overwrite=True, baseline=False)
    predicted = {part: predict(out / "run", paths[part], out / f"{part}_predictions.csv").pred_y.to_numpy()
                 for part in ("val", "test")}
    if len(predicted["test"]) != len(pd.read_csv(paths["test"])):
        raise RuntimeError(f"{name}: the run dropped test rows; the RMSE would not be on the given test set")
    return {"val": result.metrics["val"]["rmse"], "val_pred": predicted["val"], "test_pred": predicted["test"],
            "seconds": result.metrics["seconds"]["train"], "epochs_run": result.metrics["epochs_run"]}


def chemprop_candidate(parts: dict[str, pd.DataFrame], seed: int) -> dict:
    """Chemprop v2 with its CLI defaults (50 epochs, validation for its early stopping), on the same rows."""
    from peers import chemprop_predict, train_chemprop  # benchmarks/peers.py: Chemprop lives in .venv-peers

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        seconds = train_chemprop(scratch, {p: f[["smiles", "y"]] for p, f in parts.items()}, "regression", seed)
        predicted = {p: chemprop_predict(scratch, p).y.to_numpy(float) for p in ("val", "test")}
    return {"val": rmse(parts["val"].y.to_numpy(), predicted["val"]), "val_pred": predicted["val"],
            "test_pred": predicted["test"], "seconds": round(seconds, 1)}


def one_set(name: str, seed: int, out: Path, stem: str, side: str, overrides: list[str] = ()) -> dict:
    """One set and seed: every classical candidate, the model or Chemprop (``side``), scored on the given test
    part; every validation and test prediction goes to ``preds/STEM-SET-seedN.csv`` (blends and paired tests)."""
    frame = read_set(name)
    frame["smiles"] = [MOLECULE.normalise(s) for s in frame.smiles]
    part = carve_validation(frame, 0.1, seed)
    parts = {p: frame[part == p].reset_index(drop=True) for p in ("train", "val", "test")}
    start = time.perf_counter()
    if side == "model":
        candidates = {"model": model_candidate(name, seed, out / stem / f"{name}-seed{seed}", list(overrides))}
    elif side == "chemprop":
        candidates = {"chemprop": chemprop_candidate(parts, seed)}
    else:
        candidates = {"ecfp4_svm": svm_candidate(parts), **run_candidates(parts, seed)}
    truth, cliff = parts["test"].y.to_numpy(), parts["test"].cliff_mol.to_numpy() == 1
    row = {"set": name, "seed": seed, "n_train": len(parts["train"]), "n_val": len(parts["val"]),
           "n_test": len(truth), "n_test_cliff": int(cliff.sum()), "seconds": round(time.perf_counter() - start, 1)}
    for key, result in candidates.items():
        row[f"{key}_val"] = result["val"]
        row[f"{key}_test"] = rmse(truth, result["test_pred"])
        row[f"{key}_cliff"] = rmse(truth[cliff], result["test_pred"][cliff]) if cliff.any() else None
        row.update({f"{key}_{extra}": result[extra] for extra in ("C", "seconds", "epochs_run") if extra in result})
    if side == "classical":
        chosen = min(("ecfp4_svm", "ecfp4_rf", "rdkit2d_rf"), key=lambda k: candidates[k]["val"])
        row.update(chosen=chosen, chosen_test=row[f"{chosen}_test"], chosen_cliff=row[f"{chosen}_cliff"])
    predictions = pd.concat([parts[p][["smiles", "y", "cliff_mol"]].assign(
        part=p, **{key: result[f"{p}_pred"] for key, result in candidates.items()}) for p in ("val", "test")])
    (out / "preds").mkdir(exist_ok=True)
    with atomic_path(out / "preds" / f"{stem}-{name}-seed{seed}.csv") as tmp:
        predictions.to_csv(tmp, index=False, float_format="%.6g")  # kept in git: no 17-digit noise
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--sets", nargs="*", help="set names (default: all 30)")
    parser.add_argument("--model", nargs="?", const="model", metavar="NAME",
                        help="fine-tune biofm's default instead of the classical side; results go to NAME.csv/json")
    parser.add_argument("--chemprop", action="store_true", help="Chemprop v2 (make peers) on the same rows")
    parser.add_argument("--set", dest="overrides", nargs="*", default=[], help="model config overrides, key=value")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    side = "model" if args.model else "chemprop" if args.chemprop else "classical"
    stem = args.model or side
    table_path = args.out / f"{stem}.csv"
    rows = pd.read_csv(table_path).to_dict("records") if table_path.is_file() else []  # a killed run resumes
    done = {(row["set"], row["seed"]) for row in rows}
    for name in args.sets or set_names():
        for seed in args.seeds:
            if (name, seed) in done:
                continue
            rows.append(one_set(name, seed, args.out, stem, side, args.overrides))
            print(json.dumps({k: v for k, v in rows[-1].items() if k.endswith(("_test", "set", "seed", "seconds"))
                              or k == "chosen"}), flush=True)
            with atomic_path(table_path) as tmp:
                pd.DataFrame(rows).to_csv(tmp, index=False)
    table = pd.DataFrame(rows)
    summary = {col: round(float(table.groupby("set")[col].mean().mean()), 4)
               for col in table.columns if col.endswith(("_test", "_cliff"))}
    with atomic_path(args.out / f"{stem}.json") as tmp:
        tmp.write_text(json.dumps({"mean_over_sets": summary, "overrides": args.overrides, "rows": rows}, indent=1))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
