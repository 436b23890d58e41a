"""Predict one long DNA sequence through sliding windows and report the time per kilobase.

    python benchmarks/dna_windows.py RUN_DIR [--length 10000] [--repeats 3]

Uses the run's own window settings (``data.window``, ``data.window_stride``, ``data.tta``).  The
sequence is random background with a few windows copied from the bundled tf_binding peaks, so the
per-window probabilities show where the factor-like sequence sits.  Warm-up first, then the
median of ``--repeats`` timed runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

from biofm.data.datasets import get_dataset
from biofm.modalities import get_modality
from biofm.modeling.loaded_run import load_run


def long_sequence(length: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    sequence = list(rng.choice(list("ACGT"), length))
    peaks = get_modality("dna").read_table(get_dataset("tf_binding").path("train")).sequence[:3]
    for i, peak in enumerate(p.upper() for p in peaks):  # plant three real peaks at known places
        start = (i + 1) * length // 4
        sequence[start : start + len(peak)] = peak
    return "".join(sequence)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run_dir")
    parser.add_argument("--length", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    run = load_run(args.run_dir)
    sequence = long_sequence(args.length)
    run.outputs([sequence])  # warm-up
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        output = run.outputs([sequence])
        times.append(time.perf_counter() - start)
    data = run.config.data
    n_windows = len(run.modality.windows(sequence, data.window, data.window_stride or data.window // 2))
    seconds = statistics.median(times)
    print(json.dumps({
        "length_bp": args.length, "windows": n_windows, "views": 2 if data.tta else 1,
        "seconds": round(seconds, 3), "ms_per_kb": round(1000 * seconds / (args.length / 1000), 1),
        "prediction": dict(zip(run.task.output_names(), map(float, output[0]), strict=True)),
    }, indent=2))


if __name__ == "__main__":
    main()
