"""One process vs N under torchrun (gloo on CPU), same config and global batch: same test metric?

    python benchmarks/ddp_parity.py --config configs/b3db.yaml --nproc 2 --out runs/bench/ddp \
        --set train.epochs=4

Both runs are real ``biofm train`` commands; the N-process one writes ``metrics.json["distributed"]``
(per-rank steps, shard and weight fingerprints).  Threads are split so both use the same cores.
Writes ``ddp_parity.json`` with both metrics, their difference and the wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from biofm.core.io import write_json


def run(command: list[str], threads: int) -> float:
    started = time.perf_counter()
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    subprocess.run(command, check=True, env=env)
    return round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=Path("configs/b3db.yaml"))
    parser.add_argument("--nproc", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("runs/bench/ddp"))
    parser.add_argument("--set", dest="overrides", nargs="*", default=[])
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    train = ["-m", "biofm", "train", "--config", str(args.config), "--overwrite", "--no-baseline",
             *[x for o in args.overrides for x in ("--set", o)]]
    single_out, multi_out = args.out / "1-process", args.out / f"{args.nproc}-processes"
    seconds = {
        "1": run([sys.executable, *train, "--out", str(single_out), "--set", f"train.threads={cores}"], cores),
        str(args.nproc): run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
                              str(args.nproc), *train, "--out", str(multi_out),
                              "--set", f"train.threads={max(1, cores // args.nproc)}"], max(1, cores // args.nproc)),
    }
    single = json.loads((single_out / "metrics.json").read_text())
    multi = json.loads((multi_out / "metrics.json").read_text())
    primary = single["primary_metric"]
    result = {"config": str(args.config), "overrides": args.overrides, "metric": primary,
              "single": {"val": single["val"][primary], "test": single["test"][primary]},
              "multi": {"val": multi["val"][primary], "test": multi["test"][primary]},
              "test_difference": round(multi["test"][primary] - single["test"][primary], 4),
              "distributed": multi["distributed"], "wall_seconds": seconds}
    write_json(args.out / "ddp_parity.json", result)
    print(json.dumps({k: result[k] for k in ("single", "multi", "test_difference", "wall_seconds")}))


if __name__ == "__main__":
    main()
