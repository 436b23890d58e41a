"""Many runs at a glance: one row per finished run folder, the view a researcher wants after a sweep.

Why from the run folders alone: each holds its resolved config and ``metrics.json`` (test metric,
the validation-chosen baseline's, the paired-bootstrap verdict, seconds), so comparing needs no
database and no re-computation — and folders copied from another machine compare the same way.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from biofm.core import layout
from biofm.core.errors import BiofmError, ConfigError, RunFolderError
from biofm.core.io import atomic_path, read_json
from biofm.core.runfolder import check_run, read_run_config
from biofm.modeling.metrics import GREATER_IS_BETTER

COLUMNS = ["run", "modality", "data", "model", "adaptation", "metric", "model_val", "model_test", "baseline",
           "baseline_test", "verdict", "blend_test", "blend_verdict", "seconds"]


@dataclass
class Comparison:
    """The table, and the folders left out with why (not a run, not finished, no such metric)."""

    table: pd.DataFrame
    left_out: dict[str, str] = field(default_factory=dict)


def compare_runs(paths: list[str | Path], metric: str | None = None, sort: str | None = None) -> Comparison:
    """One row per finished run among ``paths``; ``metric``: the metric to show (default: each run's
    primary); ``sort``: a column to order by (metrics best first, else ascending)."""
    rows, left_out = [], {}
    for path in map(Path, paths):
        try:
            rows.append(_row(path, metric))
        except (BiofmError, OSError) as exc:
            left_out[str(path)] = " ".join(str(exc).split()).removeprefix(f"{path}: ")
    table = pd.DataFrame(rows, columns=COLUMNS)
    if sort is not None:
        table = _sorted(table, sort)
    return Comparison(table, left_out)


def _row(run_dir: Path, metric: str | None) -> dict:
    check_run(run_dir)
    config = read_run_config(run_dir)
    metrics = read_json(run_dir / layout.METRICS)
    shown = metric or metrics.get("primary_metric")
    if shown not in (metrics.get("test") or {}):
        raise RunFolderError(f"no test metric {shown!r} (it has: {', '.join(metrics.get('test') or {})})")
    baseline = metrics.get("baseline") or {}
    blend = metrics.get("blend") or {}
    return {
        "run": str(run_dir), "modality": config.modality,
        "data": config.data.dataset or Path(config.data.train).name,
        "model": _model(config), "adaptation": _adaptation(config),
        "metric": shown, "model_val": (metrics.get("val") or {}).get(shown), "model_test": metrics["test"][shown],
        "baseline": baseline.get("key") or baseline.get("name"),
        "baseline_test": (baseline.get("test") or {}).get(shown),
        "verdict": _verdict_on(metrics.get("verdict"), shown),
        "blend_test": (blend.get("test") or {}).get(shown), "blend_verdict": _verdict_on(blend.get("verdict"), shown),
        "seconds": round((metrics.get("seconds") or {}).get("total") or 0.0) or None,
    }


def _verdict_on(result: dict | None, shown: str) -> str | None:
    """A paired-bootstrap verdict, only when it was taken on the metric the table shows."""
    return result.get("verdict") if result and result.get("metric") == shown else None


def _model(config) -> str:
    model = config.model
    if model.pretrained and model.pretrained.startswith("pkg:"):
        name = model.pretrained[4:].split("/")[0]  # the package that ships it says more than its inner folder
    else:
        path = Path(model.pretrained or "")
        name = (path.parent.name if path.name == "model" else path.name) if model.pretrained \
            else f"{model.preset} (scratch)"
    return name + "".join(f" + {f}" for f in model.extra_features)


def _adaptation(config) -> str:
    parts = [config.model.adaptation]
    if config.train.ensemble > 1:
        parts.append(f"ensemble {config.train.ensemble}")
    if config.train.adapt_steps:
        parts.append(f"adapted {config.train.adapt_steps} steps ({config.train.adapt_objective})")
    return ", ".join(parts)


def _sorted(table: pd.DataFrame, column: str) -> pd.DataFrame:
    if column not in table.columns:
        raise ConfigError(f"--sort: no column {column!r} (columns: {', '.join(table.columns)})")
    if column in ("model_val", "model_test", "baseline_test"):  # best first, within each metric
        sign = table["metric"].map(lambda m: -1.0 if GREATER_IS_BETTER.get(m, True) else 1.0)
        key = pd.to_numeric(table[column], errors="coerce") * sign
        order = table.assign(_key=key).sort_values(["metric", "_key"], kind="stable", na_position="last").index
        return table.loc[order].reset_index(drop=True)
    return table.sort_values(column, kind="stable", na_position="last").reset_index(drop=True)


def write_comparison(table: pd.DataFrame, path: str | Path) -> Path:
    """The table as CSV or as a self-contained HTML page, by ``path``'s suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".html"):
        raise ConfigError(f"--output: write .csv or .html, got {path.name!r}")
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            table.to_csv(tmp, index=False)
        else:
            tmp.write_text(_page(table), encoding="utf-8")
    return path


def _page(table: pd.DataFrame) -> str:
    body = table.to_html(index=False, na_rep="—", float_format=lambda v: f"{v:.4f}", escape=True, border=0)
    return ("<!doctype html><meta charset='utf-8'><title>biofm runs</title><style>body{font-family:sans-serif;"
            "margin:2em}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;"
            "text-align:left}</style>" f"<h1>{html.escape(f'{len(table)} runs')}</h1>{body}")
