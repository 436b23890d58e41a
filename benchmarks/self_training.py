"""Self-training benchmark: a fraction of the training split labelled, the rest as an unlabelled pool.

    python benchmarks/self_training.py --config configs/b3db.yaml --fraction 0.1 --seeds 0 1 2 \
        --out runs/bench/self_training [--set key=value ...]

Per seed: the config's split is made once; ``fraction`` of its training part (seeded) keeps its
labels, the rest loses them and becomes ``self_training.unlabelled``.  Two ordinary runs on the same
validation/test items: labelled-only, and labelled + pseudo-labels (teacher = the labelled-only
recipe).  Writes ``self_training.json`` with both test metrics per seed and their mean ± s.d.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from biofm import RunConfig, train
from biofm.core.io import write_json
from biofm.data.datasets import resolve
from biofm.data.splits import load_splits, pinned_config, write_records
from biofm.modalities import get_modality


def one_seed(cfg: RunConfig, fraction: float, seed: int, out: Path) -> dict:
    cfg = resolve(replace(cfg, train=replace(cfg.train, seed=seed)))
    splits = load_splits(cfg.data, get_modality(cfg.modality))
    folder = out / f"data-seed{seed}"
    pinned = pinned_config(cfg, splits, folder)
    order = np.random.default_rng(seed).permutation(len(splits.train))
    n_labelled = round(fraction * len(order))
    write_records(splits.train.subset(order[:n_labelled]), cfg.data, folder / "labelled.csv")
    pd.DataFrame({cfg.data.input_column: [splits.train.inputs[i] for i in order[n_labelled:]]}).to_csv(
        folder / "pool.csv", index=False)
    labelled_only = replace(pinned, data=replace(pinned.data, train=str(folder / "labelled.csv")))
    alone = train(labelled_only, out / f"labelled-only-seed{seed}", overwrite=True, baseline=False).metrics
    with_pool = replace(labelled_only, self_training=replace(labelled_only.self_training,
                                                             unlabelled=str(folder / "pool.csv")))
    student = train(with_pool, out / f"self-trained-seed{seed}", overwrite=True, baseline=False).metrics
    primary = alone["primary_metric"]
    return {"seed": seed, "n_labelled": n_labelled, "n_pool": len(order) - n_labelled, "metric": primary,
            "labelled_only": {"val": alone["val"][primary], "test": alone["test"][primary]},
            "self_trained": {"val": student["val"][primary], "test": student["test"][primary]},
            "pseudo_labelled": student["self_training"]["pseudo_labelled"],
            "seconds": {"labelled_only": alone["seconds"]["train"], "self_trained": student["seconds"]["train"]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=Path("configs/b3db.yaml"))
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--out", type=Path, default=Path("runs/bench/self_training"))
    parser.add_argument("--set", dest="overrides", nargs="*", default=[])
    args = parser.parse_args()
    cfg = RunConfig.from_file(args.config, args.overrides)
    runs = [one_seed(cfg, args.fraction, seed, args.out) for seed in args.seeds]
    summary = {}
    for who in ("labelled_only", "self_trained"):
        values = [r[who]["test"] for r in runs]
        summary[who] = {"mean": statistics.fmean(values), "sd": statistics.stdev(values) if len(values) > 1 else 0.0}
    write_json(args.out / "self_training.json", {"config": str(args.config), "fraction": args.fraction,
                                                 "summary": summary, "runs": runs})
    for who, row in summary.items():
        print(f"{who}: test {runs[0]['metric']} {row['mean']:.4f} ± {row['sd']:.4f}")


if __name__ == "__main__":
    main()
