"""Using a finished run: predict new inputs, evaluate on labelled data.  Needs only the run folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from biofm.core import layout
from biofm.core.console import console
from biofm.core.errors import ConfigError, RunFolderError
from biofm.core.io import read_json, write_json
from biofm.modeling.baselines import baseline_outputs, load_baseline
from biofm.modeling.blend import blend_weight, blended
from biofm.modeling.ensemble import members
from biofm.modeling.loaded_run import LoadedRun, load_run
from biofm.modeling.metrics import compute_metrics
from biofm.trust.predictions import write_predictions
from biofm.trust.robustness import robustness
from biofm.trust.significance import paired_bootstrap


def predict(run_dir: str | Path, input_path: str | Path, output_path: str | Path,
            skip_invalid: bool = False, input_column: str | None = None, engine: str = "torch",
            mc_samples: int = 0, top_k: int = 0, baseline: bool = False, views: bool | None = None,
            blend: bool = False) -> pd.DataFrame:
    """Predict every input in ``input_path``; write a CSV with probabilities / values per row.

    Labels in the file, if any, are ignored.  Invalid inputs fail with file + row, or are
    skipped and counted with ``skip_invalid``.  ``mc_samples`` > 1 adds a ``*_std`` column per output
    (Monte-Carlo dropout; an ensemble adds its members' spread without asking); ``top_k`` adds the k most
    probable classes per row, ranked; ``baseline`` adds
    the run's classical baseline's outputs as ``baseline_*`` columns; ``views`` overrides the run's
    ``data.tta`` (see ``load_run``); ``blend`` predicts the model's average with its baseline at the weight
    the run chose on validation (``metrics.json``'s ``blend``; see ``biofm.modeling.blend``).
    """
    for name, value in (("--mc-samples", mc_samples), ("--top-k", top_k)):
        if value < 0:
            raise ConfigError(f"{name}: must be >= 0, got {value}")
    run = load_run(run_dir, engine, views)
    weight = blend_weight(read_json(run.run_dir / layout.METRICS), run.run_dir) if blend else None  # before work
    records = run.read(input_path, with_labels=False, skip_invalid=skip_invalid, input_column=input_column)
    warn_truncated(run.truncated(records.inputs), len(records), run.config.model.max_length)
    if records.dropped_columns:
        console.print(f"note: {', '.join(records.dropped_columns)} left out of {output_path} (a note's other columns "
                      "may hold PHI); name the ones to keep in data.keep_columns")
    spread = None
    if mc_samples > 1:
        outputs, spread = run.outputs_with_spread(records.inputs, mc_samples)
    elif len(members(run.model)) > 1:  # an ensemble: the members' spread is the uncertainty
        outputs, spread = run.outputs_with_members(records.inputs)
    else:
        outputs = run.outputs(records.inputs)
    theirs = _saved_baseline_outputs(run, records.inputs, "--blend" if blend else "--baseline") \
        if baseline or blend else None
    calibration = run.calibration
    if weight is not None:
        outputs = blended(outputs, theirs, weight)
        spread = None if spread is None else weight * spread  # the baseline adds no spread of its own
        if calibration and calibration.get("qhat"):
            console.print("note: the conformal sets / intervals were calibrated on the model alone; left out of a "
                          "blended prediction")
            calibration = None
    frame = write_predictions(Path(output_path), run.task, records, outputs, calibration, spread,
                              run.domain.check(run.modality, records.inputs) if run.domain else None, top_k,
                              theirs if baseline else None)
    if records.skipped:
        console.print(f"[yellow]warning:[/] skipped {len(records.skipped)} invalid row(s) of {input_path}: "
                      + "; ".join(f"row {s.row}: {s.reason}" for s in records.skipped[:5]))
    return frame


def _saved_baseline_outputs(run: LoadedRun, inputs: list[str], flag: str) -> np.ndarray:
    """The run's saved baseline's outputs for ``inputs``; a clear error for a run that has none."""
    saved = load_baseline(run.run_dir, run.modality, run.task)
    if saved is None:
        raise RunFolderError(f"{run.run_dir}: no saved baseline (trained with --no-baseline, or before biofm "
                             f"saved baselines); {flag} needs one")
    return baseline_outputs(saved[1], run.task, inputs)


def evaluate(run_dir: str | Path, data_path: str | Path, skip_invalid: bool = False, engine: str = "torch",
             robust: bool = False) -> dict:
    """Metrics of a finished run on a labelled file, beside its saved baseline's with the paired-bootstrap
    verdict; with ``robust``, also under the modality's meaning-preserving perturbations.  Saved as
    ``evaluations/<file>.json`` in the run."""
    run = load_run(run_dir, engine)
    records = run.read(data_path, with_labels=True, skip_invalid=skip_invalid)
    targets, outputs = run.task.encode(records), run.outputs(records.inputs)
    metrics, notes = compute_metrics(run.task, targets, outputs)
    truncated = run.truncated(records.inputs)
    warn_truncated(truncated, len(records), run.config.model.max_length)
    primary = run.modality.primary_metric(run.task.kind)
    result = {"data": str(data_path), "n": len(records), "skipped_rows": len(records.skipped),
              "truncated_inputs": truncated, "primary_metric": primary, "metrics": metrics, "warnings": notes}
    saved = load_baseline(run.run_dir, run.modality, run.task)
    if saved:  # the run's own baseline beside the model, on the same external rows, with the verdict
        name, models = saved
        theirs = baseline_outputs(models, run.task, records.inputs)
        result["baseline"] = {"name": name, "metrics": compute_metrics(run.task, targets, theirs)[0]}
        result["verdict"] = paired_bootstrap(run.task, targets, outputs, theirs, primary)
        if isinstance(blend := read_json(run.run_dir / layout.METRICS).get("blend"), dict):
            mixed = blended(outputs, theirs, blend["weight"])
            result["blend"] = {"weight": blend["weight"], "metrics": compute_metrics(run.task, targets, mixed)[0],
                               "verdict": paired_bootstrap(run.task, targets, mixed, theirs, primary)}
    if robust:
        result["robustness"] = robustness(run, records, outputs)
    suffix = "" if engine == "torch" else f".{engine}"
    write_json(run.run_dir / layout.EVALUATIONS / f"{Path(data_path).name}{suffix}.json", result)
    return result


def warn_truncated(truncated: int, total: int, max_length: int) -> None:
    """Say how many inputs the model read only in part: a silent cut is a silently wrong answer."""
    if truncated:
        console.print(f"[yellow]warning:[/] {truncated} of {total} input(s) are longer than model.max_length="
                      f"{max_length} tokens and were cut to it (data.window predicts long inputs in pieces)")
