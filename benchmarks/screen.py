"""Screening throughput and memory: score N drug-like SMILES (MOSES, the pretraining corpus) with a run, streamed.

Each (engine, size) is a fresh ``biofm predict … --output x.parquet`` process under ``/usr/bin/time -v``, so
the peak RSS is the whole process's; memory must not grow with N.  Beside it: the run's classical baseline
on the same molecules, and each engine's scores against PyTorch's.

    python benchmarks/screen.py --run runs/bench/fm/b3db-seeded-seed0 --sizes 10000 100000 --out runs/bench/screen
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.tables import package_path
from biofm.modalities import get_modality
from biofm.modeling.baselines import baseline_outputs, load_baseline
from biofm.modeling.loaded_run import load_run

MOSES = "pkg:moses/dataset/data/train.csv.gz"


def library(size: int, folder: Path) -> Path:
    """The first ``size`` MOSES SMILES as a gzipped .smi file."""
    path = folder / f"library-{size}.smi.gz"
    if not path.exists():
        with gzip.open(package_path(MOSES, "corpus"), "rt") as source, gzip.open(path, "wt") as target:
            next(source)  # header
            for _, line in zip(range(size), source, strict=False):
                target.write(line.split(",")[0] + "\n")
    return path


def timed_screen(run: Path, source: Path, output: Path, engine: str, one_view: bool = False) -> dict:
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "biofm", "predict", str(run), "--input", str(source),
               "--output", str(output), "--engine", engine, *(["--one-view"] if one_view else [])]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1]) / 1024
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak), "output": str(output)}


def baseline_speed(run_dir: Path, source: Path, size: int) -> dict:
    run = load_run(run_dir)
    saved = load_baseline(run.run_dir, run.modality, run.task)
    if saved is None:
        return {}
    molecule = get_modality(run.config.modality)
    smiles = [molecule.normalise(s) for s in pd.read_csv(source, header=None, names=["smiles"]).smiles[:size]]
    started = time.perf_counter()
    baseline_outputs(saved[1], run.task, smiles)
    seconds = time.perf_counter() - started
    return {"baseline": saved[0], "molecules": len(smiles), "seconds": round(seconds, 1),
            "molecules_per_second": round(len(smiles) / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--engines", nargs="+", default=["torch", "onnx", "onnx-int8"])
    parser.add_argument("--engine-size", type=int, default=10_000, help="library size the ONNX engines are timed on")
    parser.add_argument("--out", type=Path, default=Path("runs/bench/screen"))
    parser.add_argument("--one-view", action="store_true", help="predict each molecule as given, not the mean "
                        "of its views (a run with data.tta)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    run = args.out / "run"  # a copy: exporting writes into the run folder
    if not run.exists():
        shutil.copytree(args.run, run)
    if any(e.startswith("onnx") for e in args.engines) and not (run / "export" / "model.int8.onnx").exists():
        subprocess.run([sys.executable, "-m", "biofm", "export", str(run), "--quantize", "int8"], check=True)
    rows = []
    for size in sorted(set(args.sizes) | {args.engine_size}):
        source = library(size, args.out)
        for engine in args.engines if size == args.engine_size else ["torch"]:
            found = timed_screen(run, source, args.out / f"scores-{engine}-{size}.parquet", engine, args.one_view)
            rows.append({"engine": engine, "molecules": size, **found,
                         "molecules_per_second": round(size / found["seconds"], 1)})
            print(rows[-1], flush=True)
    reference = pd.read_parquet(args.out / f"scores-torch-{args.engine_size}.parquet")
    score = reference.columns[[c.startswith(("prob_", "pred_")) for c in reference.columns]][-1]
    for row in rows:
        if row["molecules"] == args.engine_size and row["engine"] != "torch":
            theirs = pd.read_parquet(row["output"])
            row[f"max_abs_diff_{score}"] = float(np.abs(theirs[score].to_numpy() - reference[score].to_numpy()).max())
    baseline = baseline_speed(run, library(args.engine_size, args.out), args.engine_size)
    result = {"run": str(args.run), "screens": rows, "classical_baseline": baseline}
    (args.out / "screen.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
