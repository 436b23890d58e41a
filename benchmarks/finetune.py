"""Fine-tuning benchmark: shipped configs (any modality), model vs classical baseline in the same run.

    python benchmarks/finetune.py --out runs/bench [--seeds 0 1 2] [--configs configs/b3db.yaml ...]
        [--variant scratch model.pretrained=null] [--set key=value ...]

Writes ``finetune.json`` in ``--out`` with, per config, the test metrics of model and baseline for
each seed, their mean ± s.d., and the training wall time.  ``--variant NAME OVERRIDE…`` adds a
second model trained on the same split and seed with those overrides (e.g. the same architecture
from scratch beside the pretrained one).  Every number comes from a real run.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from biofm import RunConfig, train
from biofm.core.io import write_json


def bench_config(config: Path, out: Path, seeds: list[int], overrides: list[str],
                 variants: dict[str, list[str]]) -> dict:
    runs = []
    for seed in seeds:
        cfg = RunConfig.from_file(config, [*overrides, f"train.seed={seed}"])
        metrics = train(cfg, out / f"{config.stem}-seed{seed}", overwrite=True).metrics
        run = {
            "seed": seed,
            "model": metrics["test"],
            "baseline": metrics["baseline"]["test"],
            "train_seconds": metrics["seconds"]["train"],
            "epochs_run": metrics["epochs_run"],
            "val": {"model": metrics["val"], "baseline": metrics["baseline"]["val"]},
        }
        for name, extra in variants.items():
            cfg = RunConfig.from_file(config, [*overrides, *extra, f"train.seed={seed}"])
            other = train(cfg, out / f"{config.stem}-{name}-seed{seed}", overwrite=True, baseline=False).metrics
            run[name] = other["test"]
            run["val"][name] = other["val"]
        runs.append(run)
    primary = metrics["primary_metric"]
    summary = {who: _mean_sd([r[who][primary] for r in runs]) for who in ("model", "baseline", *variants)}
    return {"config": str(config), "primary_metric": primary, "variants": variants, "summary": summary, "runs": runs}


def _mean_sd(values: list[float]) -> dict:
    return {"mean": statistics.fmean(values), "sd": statistics.stdev(values) if len(values) > 1 else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("runs/bench"))
    parser.add_argument("--configs", type=Path, nargs="+",
                        default=[Path("configs/b3db.yaml"), Path("configs/solubility.yaml"),
                                 Path("configs/tf_binding.yaml")])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--set", dest="overrides", nargs="*", default=[])
    parser.add_argument("--variant", nargs="+", action="append", default=[], metavar=("NAME", "OVERRIDE"),
                        help="another model on the same split and seed, e.g. --variant scratch model.pretrained=null")
    args = parser.parse_args()
    variants = {name: overrides for name, *overrides in args.variant}
    results = [bench_config(c, args.out, args.seeds, args.overrides, variants) for c in args.configs]
    write_json(args.out / "finetune.json", results)
    for r in results:
        m, b = r["summary"]["model"], r["summary"]["baseline"]
        others = "".join(f" | {name} {r['summary'][name]['mean']:.4f} ± {r['summary'][name]['sd']:.4f}"
                         for name in r["variants"])
        print(f"{r['config']}: test {r['primary_metric']} model {m['mean']:.4f} ± {m['sd']:.4f}{others} | "
              f"baseline {b['mean']:.4f} ± {b['sd']:.4f} | train {r['runs'][0]['train_seconds']} s")


if __name__ == "__main__":
    main()
