"""Federated vs centralised fine-tuning on the same data, split and seed.

    python benchmarks/federated.py --config configs/b3db.yaml --seeds 0 1 2 --out runs/bench/federated \
        [--set key=value ...]

Per seed: one ordinary run on the whole training split (centralised) and one ``biofm federate`` run whose
sites share that training split out as the config's ``federated:`` section says (default: 3 sites,
label-skewed by Dirichlet(0.5)); both are scored on the same validation and test items.  Writes
``federated.json`` (test metric per seed, the gap, per-round validation curves) and
``federated_curves.png`` (validation metric per round against the centralised run's).
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from biofm import RunConfig, train
from biofm.core.io import atomic_path, write_json
from biofm.federated.simulation import federate


def one_seed(config: Path, overrides: list[str], seed: int, out: Path) -> dict:
    cfg = RunConfig.from_file(config, [*overrides, f"train.seed={seed}"])
    central = train(cfg, out / f"central-seed{seed}", overwrite=True, baseline=False).metrics
    fed = federate(cfg, out / f"federated-seed{seed}", overwrite=True).metrics
    primary = central["primary_metric"]
    return {"seed": seed, "metric": primary,
            "central": {"val": central["val"][primary], "test": central["test"][primary],
                        "seconds": central["seconds"]["train"]},
            "federated": {"val": fed["val"][primary], "test": fed["test"][primary],
                          "seconds": fed["seconds"]["train"], "best_round": fed["federated"]["best_round"]},
            "sites": fed["federated"]["site_data"], "curve": fed["federated"]["curve"]}


def plot(rows: list[dict], path: Path) -> None:
    figure, axis = plt.subplots(figsize=(6.4, 4.0))
    for i, row in enumerate(rows):
        colour = f"C{i}"
        key = f"val_{row['metric']}"
        axis.plot([r["round"] for r in row["curve"]], [r[key] for r in row["curve"]], "o-", color=colour,
                  label=f"federated, seed {row['seed']}")
        axis.axhline(row["central"]["val"], color=colour, linestyle="--", linewidth=1,
                     label=f"centralised, seed {row['seed']}")
    axis.set_xlabel("round")
    axis.set_ylabel(f"validation {rows[0]['metric']}")
    axis.legend(fontsize=8)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=120)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=Path("configs/b3db.yaml"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--out", type=Path, default=Path("runs/bench/federated"))
    parser.add_argument("--set", dest="overrides", nargs="*", default=[])
    args = parser.parse_args()
    rows = [one_seed(args.config, args.overrides, seed, args.out) for seed in args.seeds]
    gaps = [r["central"]["test"] - r["federated"]["test"] for r in rows]
    summary = {part: statistics.fmean(r[part]["test"] for r in rows) for part in ("central", "federated")}
    summary["gap_mean"] = statistics.fmean(gaps)
    summary["gap_sd"] = statistics.stdev(gaps) if len(gaps) > 1 else 0.0
    write_json(args.out / "federated.json", {"config": str(args.config), "overrides": args.overrides,
                                             "summary": summary, "runs": rows})
    plot(rows, args.out / "federated_curves.png")
    for row, gap in zip(rows, gaps, strict=True):
        print(f"seed {row['seed']}: test {row['metric']} centralised {row['central']['test']:.4f}, federated "
              f"{row['federated']['test']:.4f} (best round {row['federated']['best_round']}), gap {gap:+.4f}")
    print(f"mean: centralised {summary['central']:.4f}, federated {summary['federated']:.4f}, "
          f"gap {summary['gap_mean']:+.4f} ± {summary['gap_sd']:.4f}")


if __name__ == "__main__":
    main()
