"""Peers side by side: Chemprop v2 trained on exactly a run's train / validation / test rows.

    python benchmarks/peers.py RUN_DIR [--epochs 50] [--chemprop .venv-peers/bin/chemprop]

Reads the run's ``splits.json`` (which source rows went where) and its config, writes the three parts
as CSV (the run's normalised SMILES and labels), runs the Chemprop CLI with its defaults and
``--epochs``, predicts the test part, and scores it with biofm's own metrics — so the figure sits
beside the run's model and baseline on the same rows.  Chemprop is a benchmark-only dependency,
installed in its own virtual environment by ``make peers`` (it pins other releases of RDKit).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core.io import read_json
from biofm.data.records import read_records
from biofm.modeling.loaded_run import load_run
from biofm.modeling.metrics import compute_metrics

CHEMPROP = Path(__file__).resolve().parents[1] / ".venv-peers" / "bin" / "chemprop"


def run_parts(run_dir: Path) -> tuple[object, dict[str, pd.DataFrame]]:
    """The run (loaded) and its train / val / test rows as tables of SMILES and labels, as split."""
    run = load_run(run_dir)
    data = run.config.data
    parts = {}
    for part, where in read_json(run_dir / "splits.json").items():
        records = read_records(run.modality, where["source"], data.input_column, data.label_columns, data.task,
                               skip_invalid=True)
        by_row = {row: i for i, row in enumerate(records.rows)}
        index = [by_row[row] for row in where["rows"]]
        frame = pd.DataFrame({"smiles": [records.inputs[i] for i in index]})
        for j, column in enumerate(data.label_columns):
            frame[column] = records.labels[index, j]
        parts[part] = frame
    return run, parts


def chemprop_on_run(run_dir: str | Path, epochs: int = 50, chemprop: Path = CHEMPROP,
                    screen: Path | None = None) -> dict:
    """Train Chemprop on the run's train part (validation for its early stopping), score its test part; with
    ``screen`` (a ``.smi`` / ``.smi.gz`` library), also time ``chemprop predict`` on it, as a screen would."""
    run_dir = Path(run_dir)
    run, parts = run_parts(run_dir)
    task_type = "regression" if run.task.kind == "regression" else "classification"
    if run.task.mode == "multiclass" and len(run.task.classes) > 2:
        task_type = "multiclass"
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        seconds = train_chemprop(scratch, parts, task_type, run.config.train.seed, epochs, chemprop)
        predicted = chemprop_predict(scratch, "test", chemprop)
        screened = _screen(chemprop, scratch, screen) if screen else None
    outputs = _as_outputs(run.task, predicted, run.config.data.label_columns)
    test = parts["test"]
    targets = _targets(run.task, test, run.config.data.label_columns)
    metrics, _ = compute_metrics(run.task, targets, outputs)
    primary = run.modality.primary_metric(run.task.kind)
    return {"test": metrics[primary], "metric": primary, "metrics": metrics, "seconds": round(seconds, 1),
            "epochs": epochs, "version": _version(chemprop), **({"screen": screened} if screened else {})}


def train_chemprop(scratch: Path, parts: dict[str, pd.DataFrame], task_type: str, seed: int, epochs: int = 50,
                   chemprop: Path = CHEMPROP) -> float:
    """Chemprop's CLI with its defaults on ``parts`` (train, val for its early stopping, test), its model kept
    under ``scratch/model``; returns the training wall time.  ``seed`` is its PyTorch seed: 3 seeds, 3 models."""
    for part, frame in parts.items():
        frame.to_csv(scratch / f"{part}.csv", index=False)
    start = time.perf_counter()
    _call([str(chemprop), "train", "-i", *(str(scratch / f"{p}.csv") for p in ("train", "val", "test")),
           "-t", task_type, "--epochs", str(epochs), "-o", str(scratch / "model"), "-n", "0",
           "--pytorch-seed", str(seed)])
    return time.perf_counter() - start


def chemprop_predict(scratch: Path, part: str, chemprop: Path = CHEMPROP) -> pd.DataFrame:
    """The model under ``scratch/model`` on ``scratch/PART.csv``: its prediction table, one row per input row."""
    _call([str(chemprop), "predict", "-i", str(scratch / f"{part}.csv"), "--model-paths", str(scratch / "model"),
           "-o", str(scratch / f"{part}_predictions.csv"), "-n", "0"])
    return pd.read_csv(scratch / f"{part}_predictions.csv")


def _screen(chemprop: Path, scratch: Path, library: Path) -> dict:
    """``chemprop predict`` on a SMILES library under ``/usr/bin/time -v``: molecules/s and peak RSS."""
    smiles = pd.read_csv(library, header=None, names=["smiles"], sep=r"\s+", usecols=[0]).smiles
    smiles.to_frame().to_csv(scratch / "library.csv", index=False)
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", str(chemprop), "predict", "-i", str(scratch / "library.csv"),
                           "--model-paths", str(scratch / "model"), "-o", str(scratch / "library_scores.csv"),
                           "-n", "0"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"chemprop predict failed:\n{done.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1]) / 1024
    return {"molecules": len(smiles), "seconds": round(seconds, 1),
            "molecules_per_second": round(len(smiles) / seconds, 1), "peak_rss_mb": round(peak)}


def _as_outputs(task, predicted: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Chemprop's prediction columns (named as the targets) in biofm's output layout."""
    values = predicted[columns].to_numpy(dtype=float)
    if task.mode == "multiclass" and len(task.classes) == 2:
        return np.stack([1 - values[:, 0], values[:, 0]], axis=1)  # P(class "1"), classes sorted as "0", "1"
    return values


def _targets(task, frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    if task.kind == "regression":
        return (frame[columns].to_numpy(float) - np.asarray(task.mean)) / np.asarray(task.std)
    if task.mode == "multiclass":
        return np.array([[task.classes.index(str(v))] for v in frame[columns[0]]], dtype=float)
    return frame[columns].to_numpy(float)


def _call(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:2])} failed:\n{done.stderr[-3000:]}")


def _version(chemprop: Path) -> str:
    pip = chemprop.parent / "pip"
    done = subprocess.run([str(pip), "show", "chemprop"], capture_output=True, text=True)
    return next((line.split()[1] for line in done.stdout.splitlines() if line.startswith("Version:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--chemprop", type=Path, default=CHEMPROP)
    parser.add_argument("--screen", type=Path, help="a .smi(.gz) library to time chemprop predict on")
    args = parser.parse_args()
    result = chemprop_on_run(args.run_dir, args.epochs, args.chemprop, args.screen)
    metrics = read_json(args.run_dir / "metrics.json")
    metric = result["metric"]
    result["biofm"] = {"model": metrics["test"][metric], "baseline": metrics["baseline"]["test"][metric],
                       "baseline_name": metrics["baseline"]["name"], "model_train_seconds": metrics["seconds"]["train"]}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
