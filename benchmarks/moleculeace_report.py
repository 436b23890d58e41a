"""The MoleculeACE verdict from ``moleculeace.py``'s results: per set and across the 30, each model variant
beside the validation-chosen classical model and the SVM.

    python benchmarks/moleculeace_report.py benchmarks/results/moleculeace [--variants model ecfp4head]

For every variant (a ``NAME.csv`` the fitting script wrote with ``--model NAME``, or ``chemprop``) and for its
blend with the chosen classical model (``w * model + (1 - w) * classical``, ``w`` on a grid chosen on each set's
validation part), and for its stack with the three classical candidates (a convex combination chosen on
validation): mean test RMSE over sets (± s.d. over seeds), cliff RMSE, the sets won against the classical choice,
a two-sided Wilcoxon signed-rank test of the 30 per-set differences, and a 95 % paired bootstrap interval of the
mean difference (test molecules resampled within each set, the same draw for both models).  The classical
candidates' own stack is the fair bar for a variant's stack: what the variant adds beyond averaging classical
models.  Writes ``report.md``, ``report.json`` and ``ratio.png`` (per set: RMSE / chosen classical RMSE).  Where
Chemprop ran (``moleculeace.py --chemprop``) on every set and seed of a variant, the variant's wins over it too.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from biofm.core.io import atomic_path

WEIGHTS = np.round(np.linspace(0, 1, 11), 2)  # the model's share in a blend, chosen on validation
RESAMPLES = 2000
CLASSICAL = ("ecfp4_svm", "ecfp4_rf", "rdkit2d_rf")  # the candidates moleculeace.py chooses among


def rmse(truth: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.sqrt(np.mean((truth - predicted) ** 2)))


def set_results(out: Path, variant: str, classical: pd.DataFrame) -> pd.DataFrame:
    """Per set and seed: the variant, its validation-weighted blend with the chosen classical model, and that
    classical model, each as test RMSE overall and on cliff molecules, plus the predictions for the bootstrap."""
    rows = []
    for _, row in pd.read_csv(out / f"{variant}.csv").iterrows():
        name, seed = row["set"], int(row["seed"])
        chosen = classical[(classical.set == name) & (classical.seed == seed)].iloc[0]["chosen"]
        base = pd.read_csv(out / "preds" / f"classical-{name}-seed{seed}.csv")
        model = _aligned(out / "preds" / f"{variant}-{name}-seed{seed}.csv", base)
        val, test = model.part == "val", model.part == "test"
        predicted = model[_predicted_column(model)]
        weight = min(WEIGHTS, key=lambda w: rmse(model.y[val], w * predicted[val] + (1 - w) * base[chosen][val]))
        blend = weight * predicted + (1 - weight) * base[chosen]
        classical_sides = {key: base[key] for key in CLASSICAL}
        peers = [("svm", base.ecfp4_svm), ("stack", stack({"model": predicted, **classical_sides}, model.y, val)),
                 ("classical_stack", stack(classical_sides, model.y, val))]
        if (peer := out / "preds" / f"chemprop-{name}-seed{seed}.csv").is_file() and variant != "chemprop":
            peers.append(("chemprop", _aligned(peer, base).chemprop))
        cliff = test & (model.cliff_mol == 1)
        result = {"set": name, "seed": seed, "chosen": chosen, "blend_weight": float(weight)}
        for who, values in (("variant", predicted), ("blend", blend), ("classical", base[chosen]), *peers):
            result[who] = rmse(model.y[test], values[test])
            result[f"{who}_cliff"] = rmse(model.y[cliff], values[cliff])
            result[f"{who}_pred"] = values[test].to_numpy()
        result["truth"] = model.y[test].to_numpy()
        rows.append(result)
    return pd.DataFrame(rows)


def stack(sides: dict[str, pd.Series], truth: pd.Series, val: pd.Series) -> pd.Series:
    """The convex combination of ``sides`` (weights on a 0.1 grid, summing to 1) with the best validation RMSE:
    a blend over every model, to tell what the model adds from what merely averaging classical models gives."""
    names = list(sides)
    grid = [w for w in itertools.product(range(11), repeat=len(names) - 1) if sum(w) <= 10]
    best = None
    for head in grid:
        weights = np.array([*head, 10 - sum(head)]) / 10
        mixed = sum(w * sides[n] for w, n in zip(weights, names, strict=True))
        score = rmse(truth[val], mixed[val])
        if best is None or score < best[0]:
            best = (score, mixed)
    return best[1]


def _aligned(path: Path, base: pd.DataFrame) -> pd.DataFrame:
    """One side's predictions, refused unless they are on the classical side's rows in its order: a paired
    comparison of predictions for other molecules would look valid and mean nothing."""
    predictions = pd.read_csv(path)
    if not (predictions.smiles.equals(base.smiles) and predictions.part.equals(base.part)):
        raise ValueError(f"{path}: predicts other rows (or another order) than the classical side's file")
    return predictions


def _predicted_column(predictions: pd.DataFrame) -> str:
    """The one prediction column of a variant's file: ``model`` (``--model NAME``) or ``chemprop``."""
    return next(c for c in predictions.columns if c not in ("smiles", "y", "cliff_mol", "part"))


def verdict(results: pd.DataFrame, who: str, versus: str = "classical") -> dict:
    """``who`` against ``versus`` across sets: means, wins, Wilcoxon, bootstrap interval of the mean difference."""
    per_set = results.groupby("set")[[who, versus, f"{who}_cliff", f"{versus}_cliff"]].mean()
    by_seed = results.groupby("seed")[who].mean()
    difference = per_set[who] - per_set[versus]
    test = wilcoxon(per_set[who], per_set[versus]) if len(per_set) > 1 else None
    return {"sets": len(per_set), "mean_rmse": round(float(per_set[who].mean()), 4),
            "sd_over_seeds": round(float(statistics.stdev(by_seed)), 4) if len(by_seed) > 1 else None,
            "mean_cliff_rmse": round(float(per_set[f"{who}_cliff"].mean()), 4),
            f"{versus}_mean_rmse": round(float(per_set[versus].mean()), 4),
            f"{versus}_mean_cliff_rmse": round(float(per_set[f"{versus}_cliff"].mean()), 4),
            "wins": int((difference < 0).sum()), "mean_difference": round(float(difference.mean()), 4),
            "wilcoxon_p": None if test is None else round(float(test.pvalue), 5),
            "bootstrap_ci95": bootstrap(results, who, versus)}


def bootstrap(results: pd.DataFrame, who: str, versus: str) -> list[float]:
    """95 % interval of the mean over sets (and seeds) of RMSE(who) - RMSE(versus), test molecules resampled
    within each set with one draw for both, so what the two models share cancels."""
    rng = np.random.default_rng(0)
    means = np.zeros(RESAMPLES)
    for _, row in results.iterrows():
        truth, a, b = row["truth"], row[f"{who}_pred"], row[f"{versus}_pred"]
        draws = rng.integers(0, len(truth), size=(RESAMPLES, len(truth)))
        means += np.sqrt(((truth[draws] - a[draws]) ** 2).mean(1)) - np.sqrt(((truth[draws] - b[draws]) ** 2).mean(1))
    means /= len(results)
    return [round(float(q), 4) for q in np.quantile(means, [0.025, 0.975])]


def plot(all_results: dict[str, pd.DataFrame], path: Path) -> None:
    """Per set, each variant's, blend's and stack's test RMSE over the chosen classical model's (below 1: better),
    and the classical models' own stack's: the bar a variant's stack must beat to add anything."""
    first = next(iter(all_results.values()))
    order = (first.groupby("set")["variant"].mean() / first.groupby("set")["classical"].mean()).sort_values().index
    bars = [(variant, who, label) for variant in all_results for who, label in
            (("variant", variant), ("blend", f"{variant} + chosen classical (blend)"),
             ("stack", f"{variant} + SVM + forests (stack)"))] + [(next(iter(all_results)), "classical_stack",
                                                                   "SVM + forests (stack)")]
    figure, axis = plt.subplots(figsize=(14, 4.8))
    width = 0.8 / len(bars)
    for k, (variant, who, label) in enumerate(bars):
        per_set = all_results[variant].groupby("set")[[who, "classical"]].mean().loc[order]
        axis.bar(np.arange(len(order)) + k * width, per_set[who] / per_set["classical"], width, label=label)
    axis.axhline(1.0, color="black", linewidth=0.8)
    low, high = axis.get_ylim()[1], 1.0  # the bars' range, not from 0: a 3 % difference must be visible
    for bars in axis.containers:
        heights = [bar.get_height() for bar in bars]
        low, high = min(low, *heights), max(high, *heights)
    axis.set_ylim(min(low, 1.0) - 0.03, high + 0.03)
    axis.set_xticks(np.arange(len(order)) + 0.4 - width / 2, order, rotation=70, fontsize=7)
    axis.set_ylabel("test RMSE / chosen classical RMSE")
    axis.set_title("MoleculeACE: per-set RMSE ratio to the validation-chosen classical model (below 1 is better)")
    axis.legend(fontsize=8)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=120)
    plt.close(figure)


def table(report: dict) -> str:
    lines = ["| variant | mean RMSE (± s.d. seeds) | cliff RMSE | classical RMSE (cliff) | wins / sets | Wilcoxon p "
             "| mean Δ [95 % bootstrap] | SVM RMSE | wins vs Chemprop |", "|---|---|---|---|---|---|---|---|---|"]
    for name, entry in report.items():
        for who, label in (("variant", name), ("blend", f"{name} + classical blend"),
                           ("stack", f"{name} + SVM + forests stack"), ("classical_stack", "SVM + forests stack")):
            v, peer = entry[who], entry.get(f"{who}_vs_chemprop")
            versus_chemprop = f"{peer['wins']} / {peer['sets']} (p {peer['wilcoxon_p']})" if peer else "—"
            sd = f" ± {v['sd_over_seeds']:.3f}" if v["sd_over_seeds"] is not None else ""
            lines.append(f"| {label} | {v['mean_rmse']:.3f}{sd} "
                         f"| {v['mean_cliff_rmse']:.3f} | {v['classical_mean_rmse']:.3f} "
                         f"({v['classical_mean_cliff_rmse']:.3f}) | {v['wins']} / {v['sets']} | {v['wilcoxon_p']} "
                         f"| {v['mean_difference']:+.3f} {v['bootstrap_ci95']} | {entry['svm_mean_rmse']:.3f} "
                         f"| {versus_chemprop} |")
    lines.append("")
    for name, entry in report.items():
        v = entry["stack_vs_classical_stack"]
        lines.append(f"- what {name} adds to a stack of the classical models: {v['mean_rmse']:.3f} vs "
                     f"{v['classical_stack_mean_rmse']:.3f}, {v['wins']} / {v['sets']} sets, Wilcoxon p "
                     f"{v['wilcoxon_p']}, mean Δ {v['mean_difference']:+.3f} {v['bootstrap_ci95']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--variants", nargs="+", default=["model"])
    args = parser.parse_args()
    classical = pd.read_csv(args.out / "classical.csv")
    all_results = {v: set_results(args.out, v, classical) for v in args.variants}
    report = {v: {"variant": verdict(r, "variant"), "blend": verdict(r, "blend"), "stack": verdict(r, "stack"),
                  "classical_stack": verdict(r, "classical_stack"),
                  "stack_vs_classical_stack": verdict(r, "stack", "classical_stack"),
                  "svm_mean_rmse": round(float(r.groupby("set")["svm"].mean().mean()), 4),
                  "blend_weights": r.blend_weight.value_counts().sort_index().to_dict(),
                  **({f"{who}_vs_chemprop": verdict(r, who, "chemprop") for who in ("variant", "blend", "stack")}
                     if "chemprop" in r and r.chemprop.notna().all() else {})}
              for v, r in all_results.items()}
    with atomic_path(args.out / "report.json") as tmp:
        tmp.write_text(json.dumps(report, indent=1, default=str))
    with atomic_path(args.out / "report.md") as tmp:
        tmp.write_text(table(report))
    plot(all_results, args.out / "ratio.png")
    print(table(report))


if __name__ == "__main__":
    main()
