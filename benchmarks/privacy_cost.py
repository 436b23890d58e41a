"""What differential privacy costs: DP-SGD probes at several ε against the same probe without DP.

    python benchmarks/privacy_cost.py --config configs/b3db.yaml --epsilons 1 3 8 --seeds 0 1 2 \
        --out runs/bench/privacy [--set key=value ...]

Every run is ``adaptation: probe`` on the config's pretrained encoder, same split and seed; the only
difference is ``train.dp_epsilon``.  Writes ``privacy.json``: per ε the spent ε (RDP accountant), δ,
noise multiplier and the test metric, mean ± s.d. over seeds, beside the non-private probe.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from biofm import RunConfig, train
from biofm.core.io import write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=Path("configs/b3db.yaml"))
    parser.add_argument("--epsilons", type=float, nargs="+", default=[1.0, 3.0, 8.0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--out", type=Path, default=Path("runs/bench/privacy"))
    parser.add_argument("--set", dest="overrides", nargs="*", default=[])
    args = parser.parse_args()
    rows = []
    for epsilon in [None, *args.epsilons]:
        for seed in args.seeds:
            overrides = [*args.overrides, "model.adaptation=probe", f"train.seed={seed}",
                         f"train.dp_epsilon={'null' if epsilon is None else epsilon}"]
            name = f"{'no-dp' if epsilon is None else f'eps{epsilon:g}'}-seed{seed}"
            metrics = train(RunConfig.from_file(args.config, overrides), args.out / name, overwrite=True,
                            baseline=False).metrics
            primary = metrics["primary_metric"]
            rows.append({"target_epsilon": epsilon, "seed": seed, "metric": primary,
                         "val": metrics["val"][primary], "test": metrics["test"][primary],
                         "privacy": metrics.get("privacy")})
    summary = {}
    for epsilon in [None, *args.epsilons]:
        tests = [r["test"] for r in rows if r["target_epsilon"] == epsilon]
        spent = [r["privacy"]["epsilon"] for r in rows if r["target_epsilon"] == epsilon and r["privacy"]]
        summary["no_dp" if epsilon is None else f"eps_{epsilon:g}"] = {
            "test_mean": statistics.fmean(tests), "test_sd": statistics.stdev(tests) if len(tests) > 1 else 0.0,
            "epsilon_spent": max(spent) if spent else None}
    write_json(args.out / "privacy.json", {"config": str(args.config), "summary": summary, "runs": rows})
    for name, row in summary.items():
        print(f"{name}: test {row['test_mean']:.4f} ± {row['test_sd']:.4f} (ε spent {row['epsilon_spent']})")


if __name__ == "__main__":
    main()
