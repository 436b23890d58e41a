"""Scoring a library larger than memory: read, validate, score and write in chunks; resume; top N; shards.

Why chunks written as parts: a virtual screen of 10^6–10^9 SMILES runs for hours, so memory must not grow
with the input, a killed run must continue where it stopped, and a cluster must be able to split the work.
Each chunk of ``chunk_rows`` input rows becomes one finished part file (written atomically) under
``OUTPUT.parts/``; a resumed screen skips the parts that exist; the parts are joined into OUTPUT at the end.
With ``top`` a part keeps only its own best N rows (the best N overall are among them), so disk and memory
stay O(N × chunks) and O(N + chunk).  ``shard=(K, N)`` scores the rows whose position in the file is K−1
modulo N: N shards together score every row exactly once, and their outputs concatenate into the whole.
"""

from __future__ import annotations

import gzip
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from biofm.core.console import console
from biofm.core.errors import ConfigError
from biofm.core.io import atomic_path, read_json, write_json
from biofm.core.tables import base_suffix, check_readable, spreadsheet_safe
from biofm.data.records import records_from_frame
from biofm.modeling.ensemble import members
from biofm.modeling.loaded_run import LoadedRun, load_run
from biofm.trust.predictions import prediction_frame

CHUNK_ROWS = 10_000  # rows read, validated and scored at once: a few MB, whatever the library's size
OUTPUTS = (".csv", ".parquet")  # .csv may be gzipped (name it .csv.gz)
MANIFEST = "screen.json"


@dataclass
class ScreenResult:
    """What a screen did: where the scores are, how many rows it read, scored and set aside, and how fast."""

    output: str
    rows_read: int
    scored: int
    invalid: int
    invalid_file: str | None
    kept: int  # rows in the output (the top N, or every scored row)
    seconds: float
    rows_per_second: float


def screen(run_dir: str | Path, input_path: str | Path, output_path: str | Path, top: int | None = None,
           rank_by: str | None = None, ascending: bool = False, shard: str | None = None, resume: bool = False,
           chunk_rows: int = CHUNK_ROWS, input_column: str | None = None, engine: str = "torch",
           views: bool | None = None) -> ScreenResult:
    """Score every valid row of ``input_path`` with the run, in chunks, into ``output_path`` (CSV or Parquet).

    Invalid rows are counted and written to ``OUTPUT.invalid.csv`` (row, reason). ``top``: keep the best
    ``top`` rows by ``rank_by`` (default: the last class's probability, or the first predicted value), highest
    first unless ``ascending``. ``shard``: ``"K/N"``. ``resume``: continue an interrupted screen of the same
    input, run and settings.  ``views`` overrides the run's ``data.tta`` (one view: several times faster).
    """
    started = time.perf_counter()
    output, source = Path(output_path), check_readable(input_path)
    if base_suffix(output) not in OUTPUTS:
        raise ConfigError(f"--output: write .csv, .csv.gz or .parquet, got {output.name!r}")
    if chunk_rows < 1 or (top is not None and top < 1):
        raise ConfigError("--chunk-rows and --top must be at least 1")
    run = load_run(run_dir, engine, views)
    column = input_column or run.config.data.input_column
    rank = rank_by or default_rank(run)
    settings = {"input": str(source.absolute()), "input_bytes": source.stat().st_size, "run": str(run.run_dir),
                "engine": engine, "column": column, "top": top, "rank_by": rank, "ascending": ascending,
                "shard": list(parse_shard(shard)), "chunk_rows": chunk_rows, "views": run.config.data.tta}
    parts = _parts_folder(output, settings, resume)
    totals = {"rows_read": 0, "scored": 0, "invalid": 0}
    columns = (TextColumn("[bold]screening"), BarColumn(), MofNCompleteColumn(), TextColumn("rows"),
               TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[note]}"))
    with Progress(*columns, console=console, transient=False) as progress:
        bar = progress.add_task("screen", total=row_count(source), note="")
        for index, chunk in enumerate(run.modality.read_chunks(source, chunk_rows)):
            chunk.index = range(totals["rows_read"], totals["rows_read"] + len(chunk))
            totals["rows_read"] += len(chunk)
            counts = _score_part(run, source, chunk, parts / f"part-{index:06d}", settings)
            totals["scored"] += counts["scored"]
            totals["invalid"] += counts["invalid"]
            rate = totals["rows_read"] / max(time.perf_counter() - started, 1e-9)
            progress.update(bar, advance=len(chunk), note=f"{totals['scored']:,} scored · {totals['invalid']:,} "
                                                          f"invalid · {rate:,.0f} rows/s")
    kept = _join(parts, output, top, rank, ascending)
    invalid_file = _join_invalid(parts, output)
    shutil.rmtree(parts)
    seconds = time.perf_counter() - started
    return ScreenResult(str(output), totals["rows_read"], totals["scored"], totals["invalid"], invalid_file, kept,
                        round(seconds, 2), round(totals["rows_read"] / max(seconds, 1e-9), 1))


def row_count(path: Path) -> int | None:
    """The rows of a library, found cheaply for the progress bar's time left (Parquet metadata; a text file's
    lines, less a CSV header and ``.smi`` comments); None where only reading it all would tell (SDF, FASTA)."""
    suffix = base_suffix(path)
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if suffix not in (".csv", ".tsv", ".tab", ".txt", ".smi", ".jsonl"):
        return None
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        lines = sum(1 for line in handle if line.strip() and not line.startswith("#"))
    return max(lines - (suffix in (".csv", ".tsv", ".tab", ".txt")), 0)


def default_rank(run: LoadedRun) -> str:
    """The column a screen ranks by unless told: the probability of the last class (``prob_1`` of 0/1, the
    positive of a sorted pair), or the first task's value."""
    return run.task.output_names()[-1 if run.task.mode == "multiclass" else 0]


def parse_shard(shard: str | None) -> tuple[int, int]:
    """``"K/N"`` → (K, N), 1 ≤ K ≤ N; None → (1, 1)."""
    if shard is None:
        return 1, 1
    k, sep, n = shard.partition("/")
    if not (sep and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise ConfigError(f"--shard: expected K/N with 1 <= K <= N (e.g. 3/100), got {shard!r}")
    return int(k), int(n)


def _parts_folder(output: Path, settings: dict, resume: bool) -> Path:
    parts = output.with_name(output.name + ".parts")
    manifest = parts / MANIFEST
    if parts.exists() and not resume:
        raise ConfigError(f"{parts} holds an interrupted screen: continue it with --resume, or delete the folder")
    if resume and parts.exists():
        saved = read_json(manifest) if manifest.is_file() else {}
        changed = [k for k, v in settings.items() if saved.get(k) != v]
        if changed:
            raise ConfigError(f"--resume: {parts} was screened with other settings ({', '.join(changed)}); "
                              "delete it to start afresh")
        return parts
    if resume and output.exists():
        raise ConfigError(f"--resume: {output} is already complete (no {parts.name} to continue)")
    parts.mkdir(parents=True)
    write_json(manifest, settings)
    return parts


def _score_part(run: LoadedRun, source: Path, chunk: pd.DataFrame, stem: Path, settings: dict) -> dict:
    """Score one chunk into ``stem.parquet`` (+ ``stem.invalid.csv``); an existing part is a finished one."""
    done = stem.with_suffix(".json")
    if done.is_file():
        return read_json(done)
    k, n = settings["shard"]
    mine = chunk[np.asarray(chunk.index) % n == k - 1]
    rank = settings["rank_by"]
    records = records_from_frame(run.modality, mine, source, settings["column"], skip_invalid=True,
                                 keep_columns=run.config.data.keep_columns)
    invalid = pd.DataFrame({"row": [s.row for s in records.skipped], "reason": [s.reason for s in records.skipped]})
    if records.inputs:
        ensemble = len(members(run.model)) > 1
        outputs, spread = run.outputs_with_members(records.inputs) if ensemble else (run.outputs(records.inputs), None)
        domain = run.domain.check(run.modality, records.inputs) if run.domain else None
        frame = prediction_frame(run.task, records, outputs, run.calibration, spread, domain)
        if rank not in frame.columns:
            raise ConfigError(f"--rank-by: no column {rank!r} in the scores (columns: {', '.join(frame.columns)})")
        if settings["top"]:
            frame = _best(frame, settings["top"], rank, settings["ascending"])
    else:
        frame = pd.DataFrame()
    with atomic_path(stem.with_suffix(".parquet")) as tmp:
        frame.to_parquet(tmp, index=False)
    with atomic_path(stem.with_suffix(".invalid.csv")) as tmp:
        invalid.to_csv(tmp, index=False)
    counts = {"scored": len(records.inputs), "invalid": len(records.skipped)}
    write_json(done, counts)  # last: a part counts as finished only once its files are complete
    return counts


def _best(frame: pd.DataFrame, top: int, rank: str, ascending: bool) -> pd.DataFrame:
    return frame.sort_values([rank, "row"], ascending=[ascending, True], kind="stable").head(top)


def _join(parts: Path, output: Path, top: int | None, rank: str, ascending: bool) -> int:
    """The parts as one file, in input order (or the best ``top``, best first), written atomically."""
    files = sorted(parts.glob("part-*.parquet"))
    frames = (pd.read_parquet(f) for f in files)
    if top:
        best = pd.DataFrame()
        for frame in frames:  # never more than top + one part in memory
            best = _best(pd.concat([best, frame], ignore_index=True), top, rank, ascending) if len(frame) else best
        return _write_all(output, [best])
    return _write_all(output, frames)


def _write_all(output: Path, frames) -> int:
    written = 0
    with atomic_path(output) as tmp:
        if base_suffix(output) == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            writer = None
            for frame in frames:
                if not len(frame):
                    continue
                table = pa.Table.from_pandas(frame, preserve_index=False)
                writer = writer or pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table.cast(writer.schema))
                written += len(frame)
            if writer is None:
                pd.DataFrame({"row": []}).to_parquet(tmp, index=False)
            else:
                writer.close()
        else:
            compression = "gzip" if output.suffix == ".gz" else None
            header = True
            for frame in frames:
                if not len(frame):
                    continue
                spreadsheet_safe(frame).to_csv(  # a cell starting with = is not run as a formula
                    tmp, mode="w" if header else "a", header=header, index=False, float_format="%.6g",
                    compression={"method": compression, "mtime": 0} if compression else None)
                header = False
                written += len(frame)
            if header:
                tmp.write_text("row\n")
    return written


def _join_invalid(parts: Path, output: Path) -> str | None:
    frames = [pd.read_csv(f) for f in sorted(parts.glob("part-*.invalid.csv"))]
    invalid = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if invalid.empty:
        return None
    target = output.with_name(output.name + ".invalid.csv")
    with atomic_path(target) as tmp:
        invalid.to_csv(tmp, index=False)
    return str(target)


def merge_scores(paths: list[str | Path], output_path: str | Path, top: int, rank_by: str,
                 ascending: bool = False) -> int:
    """The best ``top`` rows of several screens' outputs (shards of one library), best first, as one file."""
    frames = []
    for path in map(Path, paths):
        frame = pd.read_parquet(check_readable(path)) if base_suffix(path) == ".parquet" else \
            pd.read_csv(check_readable(path))
        if rank_by not in frame.columns:
            raise ConfigError(f"--rank-by: {path} has no column {rank_by!r} (columns: {', '.join(frame.columns)})")
        frames.append(_best(frame, top, rank_by, ascending))
    return _write_all(Path(output_path), [_best(pd.concat(frames, ignore_index=True), top, rank_by, ascending)])
