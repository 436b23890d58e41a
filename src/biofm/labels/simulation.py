"""Retrospective active learning: would ranking by the model have saved labels on *this* data?

The training split becomes a pool whose labels are hidden; each round trains an ordinary run on
the labelled part, ranks the rest with ``biofm.labels.active.select`` and reveals ``step`` more labels.
Every strategy starts from the same random labelled set of a seed and is scored on the same
validation and test items, so the curves differ only by which items were chosen.  Finished rounds
are kept in ``curves.json``, so a killed simulation resumes where it stopped.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.config import RunConfig
from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path, read_json, write_json
from biofm.data.datasets import resolve
from biofm.data.splits import Splits, load_splits, pinned_config, write_records
from biofm.labels.active import STRATEGIES, random_pick, score_pool, select
from biofm.modalities import get_modality
from biofm.modeling.loaded_run import load_run
from biofm.modeling.metrics import GREATER_IS_BETTER
from biofm.training.train import train
from biofm.trust.report import plt  # pyplot with the headless backend chosen

TARGET_FRACTION = 0.95  # "labels needed" = the first round reaching 95 % of the full-data metric


def simulate_active_learning(config: RunConfig, out: str | Path, start: int = 100, step: int = 100, rounds: int = 5,
                             strategies: tuple[str, ...] = ("random", "uncertainty", "hybrid"),
                             seeds: tuple[int, ...] = (0,), full_reference: bool = True) -> dict:
    """Run the simulation and write ``curves.json``, ``curves.csv``, ``learning_curves.png`` and ``summary.json``."""
    _check(start, step, rounds, strategies)
    cfg = resolve(config)
    cfg = replace(cfg, baseline=False, explain_examples=0)
    out = Path(out)
    modality = get_modality(cfg.modality)
    splits = load_splits(cfg.data, modality)
    if start + step * rounds > len(splits.train):
        raise ConfigError(f"start + step × rounds = {start + step * rounds} labels, but the pool (training split) "
                          f"has only {len(splits.train)} items")
    pinned = pinned_config(cfg, splits, out / "data")
    curves = read_json(out / "curves.json") if (out / "curves.json").exists() else {"rounds": [], "full": []}
    primary = modality.primary_metric(cfg.data.task)
    for seed in seeds:
        initial = np.random.default_rng(seed).choice(len(splits.train), start, replace=False).tolist()
        for strategy in strategies:
            _simulate_one(pinned, splits, out, curves, strategy, seed, initial, step, rounds, primary)
        if full_reference and not _done(curves["full"], seed=seed):
            result = _train_round(pinned, splits, list(range(len(splits.train))), out / "runs" / f"full-seed{seed}",
                                  seed, primary)
            curves["full"].append({"seed": seed, **result})
            write_json(out / "curves.json", curves)
    summary = summarise(curves, primary)
    write_json(out / "summary.json", summary)
    _write_table(curves, out / "curves.csv")
    plot_curves(curves, primary, out / "learning_curves.png")
    return summary


def _check(start: int, step: int, rounds: int, strategies: tuple[str, ...]) -> None:
    if start < 2 or step < 1 or rounds < 1:
        raise ConfigError(f"need --start ≥ 2, --step ≥ 1 and --rounds ≥ 1 (got {start}, {step}, {rounds})")
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown:
        raise ConfigError(f"--strategies: unknown {unknown} (known: {', '.join(STRATEGIES)})")


def _simulate_one(cfg: RunConfig, splits: Splits, out: Path, curves: dict, strategy: str, seed: int,
                  initial: list[int], step: int, rounds: int, primary: str) -> None:
    labelled = list(initial)
    for round_ in range(rounds + 1):
        done = _done(curves["rounds"], strategy=strategy, seed=seed, round=round_)
        if done:
            labelled = done["labelled"]
            continue
        run_dir = out / "runs" / f"{strategy}-seed{seed}-round{round_}"
        result = _train_round(cfg, splits, labelled, run_dir, seed, primary)
        chosen = _next_batch(run_dir, splits, labelled, strategy, step, seed * 1000 + round_) if round_ < rounds else []
        shutil.rmtree(run_dir, ignore_errors=True)
        console.print(f"[bold]{strategy}[/] seed {seed} round {round_}: {len(labelled)} labels → "
                      f"test {primary} {result['test']:.4f}")
        curves["rounds"].append({"strategy": strategy, "seed": seed, "round": round_, **result,
                                 "labelled": labelled + chosen})
        write_json(out / "curves.json", curves)
        labelled = labelled + chosen


def _done(rows: list[dict], **key) -> dict | None:
    return next((r for r in rows if all(r[k] == v for k, v in key.items())), None)


def _train_round(cfg: RunConfig, splits: Splits, labelled: list[int], run_dir: Path, seed: int,
                 primary: str) -> dict:
    """One ordinary run on the labelled items; its validation/test metric."""
    data_file = run_dir.with_suffix(".labelled.csv")
    write_records(splits.train.subset(np.asarray(labelled)), cfg.data, data_file)
    round_cfg = replace(cfg, data=replace(cfg.data, train=str(data_file)), train=replace(cfg.train, seed=seed))
    metrics = train(round_cfg, run_dir, overwrite=True).metrics
    data_file.unlink()
    return {"n_labelled": len(labelled), "val": metrics["val"][primary], "test": metrics["test"][primary]}


def _next_batch(run_dir: Path, splits: Splits, labelled: list[int], strategy: str, step: int, seed: int) -> list[int]:
    """The pool indices ``strategy`` reveals next, ranked by the round's model."""
    taken = set(labelled)
    remaining = [i for i in range(len(splits.train)) if i not in taken]
    if strategy == "random":  # no need to score the pool
        return [remaining[i] for i in random_pick(len(remaining), step, seed)]
    pool = [splits.train.inputs[i] for i in remaining]
    scores = score_pool(load_run(run_dir), pool, [splits.train.inputs[i] for i in labelled])
    return [remaining[i] for i in select(strategy, step, scores, seed)]


def summarise(curves: dict, primary: str) -> dict:
    """Mean curve per strategy, and how many labels each needs to reach 95 % of the full-data metric."""
    greater = GREATER_IS_BETTER.get(primary, True)
    full = [r["test"] for r in curves["full"]]
    target = None
    if full:
        target = np.mean(full) * (TARGET_FRACTION if greater else 1 / TARGET_FRACTION)
    summary: dict = {"metric": f"test {primary}", "full_data": _mean_sd(full), "target": target, "strategies": {}}
    for strategy in dict.fromkeys(r["strategy"] for r in curves["rounds"]):
        rows = [r for r in curves["rounds"] if r["strategy"] == strategy]
        sizes = sorted({r["n_labelled"] for r in rows})
        curve = [{"n_labelled": n, **_mean_sd([r["test"] for r in rows if r["n_labelled"] == n])} for n in sizes]
        reached = [c["n_labelled"] for c in curve
                   if target is not None and (c["mean"] >= target if greater else c["mean"] <= target)]
        summary["strategies"][strategy] = {"curve": curve, "labels_to_target": reached[0] if reached else None}
    random_needs = summary["strategies"].get("random", {}).get("labels_to_target")
    for row in summary["strategies"].values():
        if random_needs and row["labels_to_target"]:
            row["fraction_of_random_labels"] = round(row["labels_to_target"] / random_needs, 3)
    return summary


def _mean_sd(values: list[float]) -> dict:
    if not values:
        return {"mean": None, "sd": None, "n": 0}
    return {"mean": round(float(np.mean(values)), 4), "sd": round(float(np.std(values)), 4), "n": len(values)}


def _write_table(curves: dict, path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "labelled"} for r in curves["rounds"]]
    rows += [{"strategy": "full data", "round": None, **r} for r in curves["full"]]
    with atomic_path(path) as tmp:
        pd.DataFrame(rows).to_csv(tmp, index=False)


def plot_curves(curves: dict, primary: str, path: Path) -> None:
    """Mean ± s.d. test metric against labels used, one line per strategy, full-data level dashed."""
    summary = summarise(curves, primary)
    fig, ax = plt.subplots(figsize=(6, 4))
    for strategy, row in summary["strategies"].items():
        x = [c["n_labelled"] for c in row["curve"]]
        mean = np.array([c["mean"] for c in row["curve"]])
        sd = np.array([c["sd"] for c in row["curve"]])
        ax.plot(x, mean, marker="o", label=strategy)
        ax.fill_between(x, mean - sd, mean + sd, alpha=0.15)
    if summary["full_data"]["mean"] is not None:
        ax.axhline(summary["full_data"]["mean"], color="grey", linestyle="--", label="all labels")
        ax.axhline(summary["target"], color="grey", linestyle=":", label=f"{TARGET_FRACTION:.0%} of all labels")
    ax.set_xlabel("labelled items")
    ax.set_ylabel(f"test {primary}")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=120)
    plt.close(fig)
