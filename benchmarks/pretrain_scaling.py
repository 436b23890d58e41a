"""Pretraining throughput and peak memory on a short and a long corpus: memory must stay flat.

    python benchmarks/pretrain_scaling.py --config configs/pretrain_smiles.yaml --out runs/bench/pretrain \\
        [--steps 150] [--fraction 0.1]

Runs ``biofm pretrain`` twice, each in its own process (peak memory is per process): once on the
first ``--fraction`` of the corpus file and once on all of it, the same number of steps, and writes
``pretrain_scaling.json`` with tokens/s and peak resident memory of both.  A loader that held the
corpus in memory would show the difference here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

from biofm.core.config import PretrainConfig
from biofm.core.io import write_json
from biofm.data.corpus import resolve_corpus_path


def prefix_copy(source: Path, fraction: float, target: Path) -> int:
    """The first ``fraction`` of ``source``'s lines (header kept), gzipped like the original."""
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt") as handle:
        total = sum(1 for _ in handle)
    keep = max(2, int(total * fraction))
    with opener(source, "rt") as src, gzip.open(target, "wt") as dst:
        for number, line in enumerate(src):
            if number >= keep:
                break
            dst.write(line)
    return keep


def run(config: Path, corpus: Path, out: Path, steps: int) -> dict:
    overrides = [f"corpus.files=['{corpus}']", f"train.steps={steps}", f"train.eval_every={steps}",
                 f"train.save_every={steps}", "corpus.vocab_sample=20000", "corpus.max_val=500"]
    command = [sys.executable, "-m", "biofm", "pretrain", "--config", str(config), "--out", str(out), "--overwrite"]
    for item in overrides:
        command += ["--set", item]
    subprocess.run(command, check=True)
    metrics = json.loads((out / "metrics.json").read_text())
    return {key: metrics[key] for key in ("tokens_per_second", "peak_memory_mb", "steps", "seconds")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=Path("configs/pretrain_smiles.yaml"))
    parser.add_argument("--out", type=Path, default=Path("runs/bench/pretrain"))
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--fraction", type=float, default=0.1)
    args = parser.parse_args()
    source = resolve_corpus_path(PretrainConfig.from_file(args.config).corpus.files[0])
    args.out.mkdir(parents=True, exist_ok=True)
    short = args.out / f"corpus-{args.fraction:g}.csv.gz"
    lines = prefix_copy(source, args.fraction, short)
    result = {
        "corpus": str(source),
        "short": {"lines": lines, **run(args.config, short, args.out / "short", args.steps)},
        "full": {"file_bytes": source.stat().st_size, **run(args.config, source, args.out / "full", args.steps)},
    }
    result["peak_memory_ratio_full_to_short"] = round(
        result["full"]["peak_memory_mb"] / result["short"]["peak_memory_mb"], 3)
    write_json(args.out / "pretrain_scaling.json", result)
    for name in ("short", "full"):
        r = result[name]
        print(f"{name:5}: {r['tokens_per_second']} tokens/s · peak memory {r['peak_memory_mb']} MB")


if __name__ == "__main__":
    main()
