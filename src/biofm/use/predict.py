"""Using a finished run: predict new inputs, evaluate on labelled data.  Needs only the run folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from biofm.core import layout
from biofm.core.errors import ConfigError
from biofm.core.io import write_json
from biofm.core.progress import console
from biofm.modeling.domain import nearest_similarity
from biofm.modeling.loaded_run import load_run
from biofm.modeling.metrics import compute_metrics
from biofm.trust.predictions import write_predictions


def predict(run_dir: str | Path, input_path: str | Path, output_path: str | Path,
            skip_invalid: bool = False, input_column: str | None = None, engine: str = "torch",
            mc_samples: int = 0, top_k: int = 0) -> pd.DataFrame:
    """Predict every input in ``input_path``; write a CSV with probabilities / values per row.

    Labels in the file, if any, are ignored.  Invalid inputs fail with file + row, or are
    skipped and counted with ``skip_invalid``.  ``mc_samples`` > 1 adds a ``*_std`` column per output
    (Monte-Carlo dropout); ``top_k`` adds the k most probable classes per row, ranked.
    """
    for name, value in (("--mc-samples", mc_samples), ("--top-k", top_k)):
        if value < 0:
            raise ConfigError(f"{name}: must be >= 0, got {value}")
    run = load_run(run_dir, engine)
    records = run.read(input_path, with_labels=False, skip_invalid=skip_invalid, input_column=input_column)
    warn_truncated(run.truncated(records.inputs), len(records), run.config.model.max_length)
    if records.dropped_columns:
        console.print(f"note: {', '.join(records.dropped_columns)} left out of {output_path} (a note's other columns "
                      "may hold PHI); name the ones to keep in data.keep_columns")
    spread = None
    if mc_samples > 1:
        outputs, spread = run.outputs_with_spread(records.inputs, mc_samples)
    else:
        outputs = run.outputs(records.inputs)
    frame = write_predictions(Path(output_path), run.task, records, outputs, run.calibration, spread,
                              nearest_similarity(run.modality, run.run_dir, records.inputs), top_k)
    if records.skipped:
        console.print(f"[yellow]warning:[/] skipped {len(records.skipped)} invalid row(s) of {input_path}: "
                      + "; ".join(f"row {s.row}: {s.reason}" for s in records.skipped[:5]))
    return frame


def evaluate(run_dir: str | Path, data_path: str | Path, skip_invalid: bool = False, engine: str = "torch") -> dict:
    """Metrics of a finished run on a labelled file; saved as ``evaluations/<file>.json`` in the run."""
    run = load_run(run_dir, engine)
    records = run.read(data_path, with_labels=True, skip_invalid=skip_invalid)
    metrics, notes = compute_metrics(run.task, run.task.encode(records), run.outputs(records.inputs))
    truncated = run.truncated(records.inputs)
    warn_truncated(truncated, len(records), run.config.model.max_length)
    result = {"data": str(data_path), "n": len(records), "skipped_rows": len(records.skipped),
              "truncated_inputs": truncated, "metrics": metrics, "warnings": notes}
    suffix = "" if engine == "torch" else f".{engine}"
    write_json(run.run_dir / layout.EVALUATIONS / f"{Path(data_path).name}{suffix}.json", result)
    return result


def warn_truncated(truncated: int, total: int, max_length: int) -> None:
    """Say how many inputs the model read only in part: a silent cut is a silently wrong answer."""
    if truncated:
        console.print(f"[yellow]warning:[/] {truncated} of {total} input(s) are longer than model.max_length="
                      f"{max_length} tokens and were cut to it (data.window predicts long inputs in pieces)")
